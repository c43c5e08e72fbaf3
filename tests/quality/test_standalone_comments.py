"""Comments that stand alone (docs/design.md, rule 55): the code, the tests and the scripts
never cite an issue number, a numbered ruling or a section of a document that is not in this
repository; a reader has the code and docs/design.md, nothing else. Where a comment points at
docs/design.md, the rule it names exists there."""

import re

from harness_paths import ROOT

# Where comments live. tests/fixtures is recorded data (netcage's and pi's own words), not ours.
SCANNED = ["anonpi_helpers", "tests", "bench", "bin", ".ci", "tasks.py", "Makefile"]
SKIPPED_PARTS = {"__pycache__", "fixtures", ".pytest_cache", ".hypothesis"}
DESIGN = ROOT / "docs" / "design.md"

# Each pattern is split so that this file does not match itself. A test's name that joins the
# word and its number with underscores counts too: no letter, rather than a word boundary,
# must come before the word.
CITATIONS = [
    ("a ruling", re.compile(r"(?<![a-z])rul" r"ings?[\s_-]*\d", re.IGNORECASE)),
    ("an issue number", re.compile(r"(?<![a-z])iss" r"ues?[\s_-]*#?\d", re.IGNORECASE)),
    ("an issue by name", re.compile(r"\bhardening\s+iss" r"ue\b", re.IGNORECASE)),
    ("a section sign", re.compile("\u00a7")),
    ("a spec file", re.compile(r"\bspec/|\b(launch|data-verbs|interactive|init|quality|"
                               r"shell-integration|netcage)\.m" r"d\b")),
    ("a review round", re.compile(r"\bR[1-9]\b|\bround\s+\d|\bsuspected\s+item\s+\d")),
]
RULE_REF = re.compile(r"docs/design\.md,\s+rules?\s+(\d+)(?:\s+and\s+(\d+))?")


def _files():
    for name in SCANNED:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            if SKIPPED_PARTS.isdisjoint(path.relative_to(ROOT).parts):
                try:
                    yield path, path.read_text(encoding="utf-8")
                except UnicodeDecodeError:  # a binary file holds no comment
                    continue


def citations(text: str) -> list[tuple[int, str, str]]:
    """(line number, what, the line) for every citation a reader of the repo cannot follow."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in CITATIONS:
            if pattern.search(line):
                found.append((number, what, line.strip()))
    return found


def design_rules() -> set[int]:
    return {int(m.group(1)) for m in re.finditer(r"(?m)^(\d+)\. \*\*", DESIGN.read_text())}


def test_no_citation_a_reader_cannot_follow():
    bad = [f"{path.relative_to(ROOT)}:{n}: {what}: {line}"
           for path, text in _files() for n, what, line in citations(text)]
    assert bad == [], ("say the reason in words, or point at docs/design.md's rule:\n"
                       + "\n".join(bad))


def test_design_rule_references_exist():
    rules = design_rules()
    missing = [f"{path.relative_to(ROOT)}: rule {n}"
               for path, text in _files() for m in RULE_REF.finditer(text)
               for n in map(int, filter(None, m.groups())) if n not in rules]
    assert missing == [], "docs/design.md has no such rule:\n" + "\n".join(missing)


def test_design_rules_are_numbered_once_in_order():
    numbers = [int(n) for n in re.findall(r"(?m)^(\d+)\. \*\*", DESIGN.read_text())]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_scanner_sees_each_kind_of_citation():
    """The check can fail: each kind of citation planted in a line is reported."""
    # each line in two parts, so that this file does not match itself
    planted = ["".join(parts) for parts in [
        ("# see rul", "ing 12"), ("# (iss", "ue 14 item 8)"), ("def test_the_rul", "ing_27():"),
        ("# interactive \u00a7", "7.2"), ("# launch.m", "d says so"), ("# the hardening iss", "ue"),
        ("# R", "2: confirmed"), ("# suspected it", "em 1")]]
    assert [n for n, _, _ in citations("\n".join(planted))] == list(range(1, len(planted) + 1))
    assert citations("# docs/design.md, rule 12: the netcage argv is a contract") == []
