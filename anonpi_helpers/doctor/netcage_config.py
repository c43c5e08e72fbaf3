"""netcage's own config file, judged as the installed netcage will read it. Pure.

netcage reads `~/.config/netcage/config.json` on every `run` and `start`, even when anon-pi
passes `--proxy` and the hole flag, and a file it cannot take is fatal: every launch exits 2
(checked with the real 0.11.1, 0.12.0 and 0.13.0). It takes one JSON object with `proxy` and
the allow list, whose key depends on the generation (`allowDirect` up to 0.11, `allow` from
0.12), matched without regard to case (Go's JSON decoder); any other key is refused.
"""

import json

from ..core.shown import shown
from .checks import Check

NAME = "netcage config"
KEYS = {"--allow-direct": ("allowDirect", "0.11"), "--allow": ("allow", "0.12 or newer")}
FATAL = "every `netcage run` exits 2"


def _fix(path: str) -> str:
    return (f"remove it (`rm {path}`: anon-pi passes --proxy and the hole flag on every "
            "launch), or correct it")


def _parsed(text: str):
    """The first JSON value of `text`, as netcage's decoder reads it (what follows is not
    read), or a ValueError."""
    body = text.lstrip(" \t\r\n")
    if not body:
        raise ValueError("EOF")
    return json.JSONDecoder().raw_decode(body)[0]


def config_check(path: str, text: str | None, error: str | None, hole_flag: str) -> Check:
    """`text` is the file's content (None: no file, or `error` says why it cannot be read)."""
    where = shown(path)
    if error is not None:
        return Check("FAIL", NAME, f"{where} cannot be read ({error}): {FATAL}", _fix(where))
    if text is None:
        return Check("ok", NAME, f"none at {where} (anon-pi passes --proxy and the hole flag)")
    key, generation = KEYS.get(hole_flag, KEYS["--allow"])
    try:
        doc = _parsed(text)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).split(":")[0] if str(exc) != "EOF" else "it is empty"
        return Check("FAIL", NAME, f"{where} is not valid JSON ({shown(reason)}): {FATAL}",
                     _fix(where))
    if doc is None:
        return Check("ok", NAME, f"{where} holds null (netcage reads it as empty)")
    if not isinstance(doc, dict):
        return Check("FAIL", NAME, f"{where} is not a JSON object: {FATAL}", _fix(where))
    for name, value in doc.items():
        problem = _key_problem(name, value, key, generation)
        if problem:
            return Check("FAIL", NAME, f"{where}: {problem}: {FATAL}", problem_fix(
                name, key, where))
    keys = ", ".join(shown(k) for k in doc) or "no keys"
    return Check("ok", NAME, f"{where} ({keys}) is what netcage {generation} reads; anon-pi's "
                 "--proxy and hole flag replace its values")


def _key_problem(name: str, value, key: str, generation: str) -> str | None:
    lowered = name.lower()
    if lowered == "proxy":
        return None if value is None or isinstance(value, str) else "`proxy` is not a string"
    if lowered == key.lower():
        if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return None
        return f"`{key}` is not a list of strings"
    other = next((k for k, _ in KEYS.values() if k.lower() == lowered), None)
    if other:
        return (f"`{shown(name)}` is the allow-list key of another netcage generation; the "
                f"installed netcage {generation} reads `{key}`")
    return f"unknown key `{shown(name)}`"


def problem_fix(name: str, key: str, where: str) -> str:
    other = next((k for k, _ in KEYS.values() if k.lower() == name.lower()), None)
    if other and other != key:
        return (f"rename `{shown(name)}` to `{key}` in {where} (each entry an IP:port), or "
                f"remove the file (`rm {where}`: anon-pi passes the hole flag itself)")
    return _fix(where)
