"""Name rules (spec ruling 8): one safe folder segment for machines and projects."""

import json
import re
import unicodedata

RESERVED_NAMES = frozenset(
    {".", "..", "pi", "machine", "image", "init", "forward", "ports", "doctor", "completions",
     "help", "version", "container"}
)  # the verbs: `help`/`version` since issue 14, `container` since issue 16
MAX_NAME = 128
NAME_RULE = (
    "a name is 1-128 letters, digits, '.', '_' or '-', does not start with '.' or '-', "
    "and is not one of: " + " ".join(sorted(RESERVED_NAMES))
)
_SNAPSHOT_RE = re.compile(r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*")
SNAPSHOT_RESERVED = frozenset({"pi", "pi-webveil"})
SNAPSHOT_RULE = (
    "an image name is lowercase letters and digits, joined by '.', '_', '__' or dashes, "
    "at most 128 characters, and not 'pi' or 'pi-webveil'"
)
# JavaScript's \s, which the original used: Python's str.isspace differs (see data-verbs §2).
_WHITESPACE = frozenset(
    " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def quoted(name: str) -> str:
    """Names in messages are JSON-quoted so odd characters stay visible."""
    return json.dumps(name, ensure_ascii=False)


def _allowed_char(ch: str) -> bool:
    return ch in "._-" or unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd"


def name_problem(name: str) -> str | None:
    """Why `name` is not a valid machine/project name, or None when it is.

    Ruling 8's order: length, then every character, then the leading character, then reserved.
    """
    if name == "":
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    if any(ch in "/\\:" for ch in name):
        return "it contains a path separator ('/', '\\' or ':')"
    if any(ch in _WHITESPACE or ch.isspace() for ch in name):
        return "it contains whitespace"
    bad = next((ch for ch in name if not _allowed_char(ch)), None)
    if bad is not None:
        return f"it contains {quoted(bad)}, which is not a letter, digit, '.', '_' or '-'"
    if name.startswith("."):
        return "it starts with '.' (hidden folders and '..' are not allowed)"
    if name.startswith("-"):
        return "it starts with '-' (it would read as an option)"
    if name in RESERVED_NAMES:
        return "it is a reserved name"
    return None


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*", re.ASCII)


def is_valid_name(name: str) -> bool:
    """name_problem's verdict; plain ASCII names take one regex (the menu checks thousands)."""
    if _PLAIN_NAME.fullmatch(name):
        return len(name) <= MAX_NAME and name not in RESERVED_NAMES
    return name_problem(name) is None


def invalid_name_message(kind: str, name: str, why: str) -> str:
    return f"invalid {kind} name {quoted(name)}: {why}."


def check_name(name: str, kind: str) -> str:
    """Return `name` unchanged, or raise the one-line refusal with the rule as hint."""
    from .errors import AnonPiError

    why = name_problem(name)
    if why is not None:
        raise AnonPiError(invalid_name_message(kind, name, why), hint=NAME_RULE)
    return name


def snapshot_name_problem(name: str) -> str | None:
    """Why `name` cannot become `anon-pi/<name>:latest`, or None."""
    if name == "":
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    if not _SNAPSHOT_RE.fullmatch(name):
        return "it is not a valid OCI repository name (lowercase letters, digits, '.', '_', '-')"
    if name in SNAPSHOT_RESERVED:
        return "it is reserved for the images init builds"
    return None


def check_snapshot_name(name: str) -> str:
    from .errors import AnonPiError

    why = snapshot_name_problem(name)
    if why is not None:
        raise AnonPiError(invalid_name_message("image", name, why), hint=SNAPSHOT_RULE)
    return name
