"""Step 1c: pi's own network: silent unless the user asks for pi's services.

Every launch runs pi with PI_OFFLINE=1 and PI_TELEMETRY=0; `"piNetwork": true` in
config.json lifts both. Asked once here so the choice is made knowingly, not found later in
the README; Enter keeps what config.json says (silent when it says nothing).
"""

from .grammar import parse_confirm
from .prompt import ask, say, warn

QUESTION = "Let pi reach its own services through the proxy (update notice, pi install/update, " \
           "model catalogs)?"


def step(io, current: bool) -> bool:
    """True = store `"piNetwork": true`; False = pi stays silent (the key is dropped)."""
    say(io, "pi stays silent by default: it talks to your model only (no install report, update\n"
            "check, model-catalog refresh or download; PI_OFFLINE=1 PI_TELEMETRY=0 in the jail).")
    shown = "[Y/n]" if current else "[y/N]"
    while (yes := parse_confirm(ask(io, f"{QUESTION} {shown}"), default=current)) is None:
        warn(io, "answer y or n (or Enter)")
    say(io, "pi's own network: " + ("on (through the proxy)" if yes else "off (pi stays silent)"))
    return yes
