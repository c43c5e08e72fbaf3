"""The byte format of every JSON file anon-pi writes (spec ruling 5)."""

import json


def order_keys(obj: dict, known: tuple[str, ...] = ()) -> dict:
    """Known keys first in the documented order, then unknown keys in their original order."""
    ordered = {k: obj[k] for k in known if k in obj}
    ordered.update((k, v) for k, v in obj.items() if k not in ordered)
    return ordered


def dumps(obj, known: tuple[str, ...] = ()) -> str:
    """TAB indent, non-ASCII literal, exactly one trailing newline."""
    if isinstance(obj, dict):
        obj = order_keys(obj, known)
    return json.dumps(obj, indent="\t", ensure_ascii=False) + "\n"


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
