"""Carry-over decisions: which source a label names, and how conversation groups are shown.

Pure: the label text, slugs and project names come in; nothing here touches the disk.
"""

from .jsonfmt import loads_any
from .names import is_valid_name, name_problem, quoted
from .shown import shown
from .slugs import project_slug

SOURCE_LABEL = "anon-pi.source-machine"
ROOT_LABEL = ". (projects root)"
ORPHAN_SUFFIX = "  (no current project folder)"


def source_from_labels(text: str) -> str | None:
    """The trimmed `anon-pi.source-machine` of `inspect ... {{json .Config.Labels}}` output.

    `null`, `<no value>`, garbage or a non-object all mean "no labels".
    """
    labels = loads_any(text.strip()) if text.strip() else None
    if not isinstance(labels, dict):
        return None
    value = labels.get(SOURCE_LABEL)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def source_problem(source: str, dest: str) -> str | None:
    """Why a label-derived source must not be used as a path, or None. Any image can carry the
    label: a value like `../..` would copy host files into a jail-visible home, and a source
    equal to the new machine would copy a home onto itself."""
    why = name_problem(source)
    if why is not None:
        return f"the source machine {quoted(source)} is not a valid machine name ({why})"
    if source == dest:
        return f"the source machine {quoted(source)} is the new machine itself"
    return None


def group_rows(slugs: list[str], projects: list[str]) -> list[tuple[str, str]]:
    """(slug, label) rows: named projects (and the root) first, then orphans; each by lower case.

    Projects-root entries that are not valid names (`.git`, `my notes`) are ignored, never
    fatal: the machine exists by now, and one stray folder must not fail its carry-over. An
    orphan's label is its folder name, which the jail chose: shown, so it stays on its line.
    """
    by_slug = {project_slug(p): p for p in projects if is_valid_name(p)}
    by_slug[project_slug(".")] = ROOT_LABEL
    named = [(s, by_slug[s]) for s in slugs if s in by_slug]
    orphans = [(s, shown(s) + ORPHAN_SUFFIX) for s in slugs if s not in by_slug]
    named.sort(key=lambda row: row[1].lower())
    orphans.sort(key=lambda row: row[0].lower())
    return named + orphans


def wants_copy(answer: str | None) -> bool:
    """COPY only for c/copy (any case, trimmed); anything else, or no answer, is SKIP."""
    return answer is not None and answer.strip().lower() in ("c", "copy")
