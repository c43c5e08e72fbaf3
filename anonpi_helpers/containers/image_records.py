"""`image list`: which images are anon-pi snapshots and how each is shown (ruling 22).

Pure. `images --format json` is untrusted: odd field shapes are tolerated, junk skipped.
"""

from dataclasses import dataclass, replace

from ..core.jsonfmt import loads_any
from ..core.names import is_container_ref, is_valid_name, quoted

OUR_PREFIXES = ("anon-pi/", "localhost/anon-pi/")
SOURCE_MACHINE = "anon-pi.source-machine"
SNAPSHOT_AT = "anon-pi.snapshot-at"
LABELS_FORMAT = "{{json .Config.Labels}}"
UNKNOWN = "<unknown>"


@dataclass(frozen=True)
class ImageEntry:
    """One image from `images --format json`, with its anon-pi labels."""

    id: str
    tag: str | None  # our tag as shown (no `localhost/`); None when untagged
    labels: dict | None  # None: the entry had no `Labels` key, so it must be inspected


def _first_id(entry: dict) -> str | None:
    for key in ("Id", "ID", "id"):
        value = entry.get(key)
        if isinstance(value, str) and is_container_ref(value.strip().removeprefix("sha256:")):
            return value.strip()
    return None


def _tags(entry: dict) -> list[str]:
    tags = []
    for key in ("Names", "RepoTags", "Tags"):
        values = entry.get(key)
        if isinstance(values, list):
            tags += [t for t in values if isinstance(t, str) and t and not t.startswith("<none>")]
    repo, tag = entry.get("Repository"), entry.get("Tag")
    if (isinstance(repo, str) and repo.strip() and repo != "<none>"
            and isinstance(tag, str) and tag.strip() and tag != "<none>"):
        tags.append(f"{repo}:{tag}")
    return tags


def _our_tag(tags: list[str]) -> str | None:
    for t in tags:
        if t.startswith(OUR_PREFIXES):
            return t.removeprefix("localhost/")
    return None


def parse_images(text: str) -> list[ImageEntry] | None:
    """Candidates in input order: our tagged images and every untagged one (first id wins).

    Someone else's tagged image is dropped here; untagged ones are decided by their labels.
    None when the output is not a JSON list (blank output is an empty list).
    """
    if not text.strip():
        return []
    entries = loads_any(text)
    if not isinstance(entries, list):
        return None
    seen: set[str] = set()
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        image_id = _first_id(entry)
        if image_id is None or image_id in seen:
            continue
        seen.add(image_id)
        tags = _tags(entry)
        ours = _our_tag(tags)
        if tags and ours is None:
            continue
        labels = None
        if "Labels" in entry:
            labels = entry["Labels"] if isinstance(entry["Labels"], dict) else {}
        found.append(ImageEntry(image_id, ours, labels))
    return found


def ids_to_inspect(entries: list[ImageEntry]) -> list[str]:
    """Only entries without inline labels need the one batched `inspect` (quality: <= 2 calls)."""
    return [e.id for e in entries if e.labels is None]


def parse_inspect_lines(text: str, count: int) -> list[dict] | None:
    """One labels object per ref, in order; None when the lines cannot be matched up."""
    lines = text.splitlines()
    if len(lines) != count:
        return None
    out = []
    for line in lines:
        value = loads_any(line)
        out.append(value if isinstance(value, dict) else {})
    return out


def fill_labels(entries: list[ImageEntry], inspected: dict[str, dict]) -> list[ImageEntry]:
    """Inspected labels for entries that had none inline; unknown ones count as empty."""
    return [e if e.labels is not None else replace(e, labels=inspected.get(e.id, {}))
            for e in entries]


def _label(labels: dict | None, key: str) -> str | None:
    value = (labels or {}).get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def listed(entries: list[ImageEntry]) -> list[ImageEntry]:
    """Our tagged images, and untagged ones with a non-blank source-machine label."""
    return [e for e in entries if e.tag is not None or _label(e.labels, SOURCE_MACHINE)]


def _shown(value: str | None, ok: bool) -> str:
    if value is None:
        return UNKNOWN
    return value if ok else quoted(value)


def image_line(e: ImageEntry) -> str:
    """`<tag|<none>>  from machine <M|<unknown>>  <at|<unknown>>  id:<12>` (two spaces)."""
    machine = _label(e.labels, SOURCE_MACHINE)
    at = _label(e.labels, SNAPSHOT_AT)
    short = e.id.removeprefix("sha256:")[:12]
    return (f"{e.tag or '<none>'}  from machine {_shown(machine, is_valid_name(machine or ''))}"
            f"  {_shown(at, (at or '').isprintable())}  id:{short}")
