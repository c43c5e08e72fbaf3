"""The byte format of every JSON file anon-pi writes (docs/design.md, rule 24): people edit
these files and other tools read them, so the bytes stay predictable."""

import json
import re

# A lone surrogate (`"\ud800"` in a file someone wrote) is a valid JSON string that UTF-8
# cannot carry: written as the same JSON escape, a rewrite keeps such a value as it was. Its
# pattern is compiled on the first write (re keeps it): building this character class takes
# about 0.3 ms, which every verb paid at import, writing or not.
_LONE_SURROGATE = "[\ud800-\udfff]"


def order_keys(obj: dict, known: tuple[str, ...] = ()) -> dict:
    """Known keys first in the documented order, then unknown keys in their original order."""
    ordered = {k: obj[k] for k in known if k in obj}
    ordered.update((k, v) for k, v in obj.items() if k not in ordered)
    return ordered


def dumps(obj, known: tuple[str, ...] = ()) -> str:
    """TAB indent, non-ASCII literal (a lone surrogate escaped), exactly one trailing newline."""
    if isinstance(obj, dict):
        obj = order_keys(obj, known)
    text = json.dumps(obj, indent="\t", ensure_ascii=False)
    return re.sub(_LONE_SURROGATE, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def document(obj) -> str:
    """A JSON document printed for a script (`--json`): two-space indent, non-ASCII literal
    (callers pass it through shown_json), one trailing newline. Every verb prints this one
    shape; the files anon-pi writes keep their TAB indent (dumps)."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def loads_object(text: str) -> dict:
    """Parse a JSON object (a UTF-8 BOM is accepted); ValueError when it is not one."""
    value = json.loads(text.removeprefix("\ufeff"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")  # noqa: TRY004 callers catch ValueError with parse errors
    return value


def loads_any(text: str):
    """Parse any JSON value, or None when the text is not JSON (netcage output is untrusted)."""
    try:
        return json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return None


def loads_list(text: str) -> list | None:
    """A podman/netcage JSON listing: blank output is an empty list, anything but a JSON list
    is None (the caller's error, never "nothing found")."""
    if not text.strip():
        return []
    value = loads_any(text)
    return value if isinstance(value, list) else None
