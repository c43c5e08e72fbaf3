"""What config.json and machine.json mean: known keys, their order, how blanks count."""

CONFIG_KEYS = ("proxy", "llm", "defaultMachine", "projects", "isolation", "piNetwork")
MACHINE_KEYS = ("image", "projects", "gitIdentity", "timezone", "locale")
# what `anon-pi config` reads and writes: config.json's keys, then the machine's own
SETTING_KEYS = (*CONFIG_KEYS, "web", "image", "gitIdentity", "timezone", "locale")


def str_field(obj: dict | None, key: str) -> str | None:
    """A known field: a string, trimmed; blank, missing or another type counts as absent."""
    if not obj:
        return None
    value = obj.get(key)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def flag_field(obj: dict | None, key: str) -> bool:
    """A known true/false switch: only a JSON `true` turns it on (another type is ignored)."""
    return bool(obj) and obj.get(key) is True


def with_fields(obj: dict | None, **fields: str | None) -> dict:
    """A copy of `obj` with the given fields set (trimmed) or removed when blank/None.

    Unknown keys are kept, so a rewrite never loses what another tool stored.
    """
    out = dict(obj or {})
    for key, value in fields.items():
        value = value.strip() if isinstance(value, str) else None
        if value:
            out[key] = value
        else:
            out.pop(key, None)
    return out
