"""The model seed files init writes (the shared models.json and the default-model selection)
and the picker's grammar."""

from ..core.numbers import ascii_int
from .models_listing import minimal_entry

PROVIDER = "local"
SELECTION_KEYS = ("defaultProvider", "defaultModel", "enabledModels")
PROVIDER_KEYS = ("api", "apiKey", "baseUrl", "models")


def sort_key(model_id: str) -> tuple[str, str]:
    """Locale-free order, the same on every machine: case-insensitive, and on a tie by code
    unit (`B` before `b`)."""
    return (model_id.lower(), model_id)


def merge(configured: list[dict], server_ids: list[str]) -> list[tuple[dict, str]]:
    """(entry, source) sorted; a configured entry wins over a server id of the same name."""
    by_id: dict[str, tuple[dict, str]] = {}
    for entry in configured:
        by_id[entry["id"]] = (entry, "configured")
    for model_id in server_ids:
        by_id.setdefault(model_id, (minimal_entry(model_id), "server"))
    return [by_id[k] for k in sorted(by_id, key=sort_key)]


def parse_pick(answer: str, count: int, configured: list[int]) -> list[int] | str | None:
    """0-based picks in typed order, "skip", or None (re-ask) for the import prompt."""
    text = answer.strip().lower()
    if text == "s":
        return "skip"
    if text == "a" or (text == "" and not configured):
        return list(range(count))
    if text in ("", "c"):
        return list(configured) or None
    picks: list[int] = []
    for token in text.replace(",", " ").split():
        n = ascii_int(token)
        if n is None or not 1 <= n <= count:
            return None
        if n - 1 not in picks:
            picks.append(n - 1)
    return picks or None


def parse_default(answer: str, count: int, default: int = 0) -> int | None:
    """0-based index; Enter = `default`; None re-asks."""
    text = answer.strip()
    if not text:
        return default
    n = ascii_int(text)
    return n - 1 if n is not None and 1 <= n <= count else None


def models_doc(api: str, api_key: str, base_url: str, entries: list[dict]) -> dict:
    """models.json: one `local` provider, models unique by id and sorted."""
    unique = {e["id"]: e for e in entries}
    models = [unique[k] for k in sorted(unique, key=sort_key)]
    return {"providers": {PROVIDER: {"api": api, "apiKey": api_key, "baseUrl": base_url,
                                     "models": models}}}


def settings_seed_doc(default_id: str, ids: list[str]) -> dict:
    enabled = [f"{PROVIDER}/{i}" for i in sorted(set(ids), key=sort_key)]
    return {"defaultProvider": PROVIDER, "defaultModel": default_id, "enabledModels": enabled}


def with_selection(settings: dict, seed: dict | None) -> dict:
    """A home's settings.json with the three selection keys set (seed) or removed (None)."""
    out = dict(settings)
    for key in SELECTION_KEYS:
        if seed is None:
            out.pop(key, None)
        else:
            out[key] = seed[key]
    return out
