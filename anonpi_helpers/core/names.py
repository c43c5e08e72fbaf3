"""Name rules: one safe folder segment for machines and projects (docs/design.md, rule 21)."""

import json
import re
import unicodedata

from .shown import shown

RESERVED_NAMES = frozenset(
    {".", "..", "pi", "machine", "image", "init", "forward", "ports", "doctor", "completions",
     "help", "version", "container", "config"}
)  # `.`, `..`, `pi` and every verb: a project of that name could not be told from it
MAX_NAME = 128
MAX_NAME_BYTES = 255  # one file name on Linux
# pi keeps a project's conversations in `--projects-<name>--`: that must be a file name too
MAX_PROJECT_BYTES = MAX_NAME_BYTES - len("--projects---")
NAME_RULE = (
    "a name is 1-128 letters, digits, '.', '_' or '-', does not start with '.' or '-', "
    f"fits in 255 bytes of UTF-8 ({MAX_PROJECT_BYTES} for a project), "
    "and is not one of: " + " ".join(sorted(RESERVED_NAMES))
)
# patterns only the image and box verbs match: compiled on first use (re's own cache), so a
# launch does not pay for them
_CONTAINER_ID = r"[0-9a-f]{12,64}"
_PODMAN_NAME = r"[a-zA-Z0-9][a-zA-Z0-9_.-]*"
_SNAPSHOT_RE = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*"
SNAPSHOT_RESERVED = frozenset({"pi", "pi-webveil"})
SNAPSHOT_RULE = (
    "an image name is lowercase letters and digits, joined by '.', '_', '__' or dashes, "
    "at most 128 characters, and not 'pi' or 'pi-webveil'"
)
# JavaScript's \s, which the original used: Python's str.isspace differs (it adds \x1c-\x1f
# and \x85, and omits U+FEFF), so both sets are checked.
_WHITESPACE = frozenset(
    " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def quoted(name: str) -> str:
    """Names in messages are JSON-quoted and shown (core.shown), so odd characters stay
    visible and none reaches the terminal raw: JSON escapes the ASCII controls, `shown()`
    the rest (C1, DEL, bidi and invisible characters, lone surrogates)."""
    return shown(json.dumps(name, ensure_ascii=False))


def _allowed_char(ch: str) -> bool:
    return ch in "._-" or unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd"


def undecodable(text: str) -> bool:
    """Holds bytes that were not UTF-8 (Python keeps them as lone surrogates in argv/env)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_utf8(text: str, what: str) -> str:
    """anon-pi's own values (names, image refs, paths) must be UTF-8: refused in one line."""
    if undecodable(text):
        from .errors import AnonPiError
        from .shown import shown  # undecodable bytes as \xNN, any other surrogate escaped

        raise AnonPiError(f"{what} is not valid UTF-8: {shown(text)}",
                          "anon-pi takes UTF-8 names, paths and image refs only")
    return text


def name_problem(name: str, kind: str | None = None) -> str | None:
    """Why `name` is not a valid machine/project name, or None when it is.

    A fixed order, so every bad name gets one stable reason: length, then every character,
    then the leading character, then reserved; the byte limits of a file name (and, for a
    project, of pi's session folder) come with the length.
    """
    if name == "":
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    if undecodable(name):
        return "it is not valid UTF-8"
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return f"it is {size} bytes of UTF-8, longer than a file name can be ({MAX_NAME_BYTES})"
    if kind == "project" and size > MAX_PROJECT_BYTES:
        return (f"it is {size} bytes of UTF-8; pi's session folder --projects-<name>-- would "
                f"be longer than a file name can be (at most {MAX_PROJECT_BYTES} bytes)")
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


def is_valid_name(name: str, kind: str | None = None) -> bool:
    """name_problem's verdict; plain ASCII names take one regex (the menu checks thousands;
    at most 128 ASCII bytes, they fit every byte limit)."""
    if _PLAIN_NAME.fullmatch(name):
        return len(name) <= MAX_NAME and name not in RESERVED_NAMES
    return name_problem(name, kind) is None


def invalid_name_message(kind: str, name: str, why: str) -> str:
    return f"invalid {kind} name {quoted(name)}: {why}."


def check_name(name: str, kind: str) -> str:
    """Return `name` unchanged, or raise the one-line refusal with the rule as hint."""
    from .errors import AnonPiError

    why = name_problem(name, kind)
    if why is not None:
        raise AnonPiError(invalid_name_message(kind, name, why), hint=NAME_RULE)
    return name


def snapshot_name_problem(name: str) -> str | None:
    """Why `name` cannot become `anon-pi/<name>:latest`, or None."""
    if name == "":
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    if not re.fullmatch(_SNAPSHOT_RE, name):
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


def is_container_ref(text: str) -> bool:
    """A container id (12-64 hex) or podman name, as netcage reports them: anything else (an
    option such as `--privileged`) is never passed on as a positional."""
    return bool(re.fullmatch(_CONTAINER_ID, text) or re.fullmatch(_PODMAN_NAME, text))
