"""Helpers for the launch tests: the identity label and the argv head every run shares."""

import base64
import re

from anonpi_helpers.core.seed_script import seed_script

PROXY = "socks5h://127.0.0.1:9050"
LLM = "192.168.1.50:8080"
IMAGE = "localhost/anon-pi/pi:latest"
SCRIPT = seed_script()
PI_ARGS_CMD = ["sh", "-c", SCRIPT + '; exec pi "$@"', "pi"]
# what every jail runs with unless machine.json says otherwise: UTC and a neutral locale
JAIL_ENV = ["-e", "TZ=UTC", "-e", "LANG=C.UTF-8"]


class RelayURL(str):
    """Equal to the proxy netcage gets in a launch: anon-pi's egress relay on loopback, at the
    port it was given (or the dry run's placeholder for it)."""

    _SHAPE = re.compile(r"socks5h://127\.0\.0\.1:(\d+|<relay-port>)")

    def __eq__(self, other):
        return isinstance(other, str) and self._SHAPE.fullmatch(other) is not None

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


RELAY = RelayURL("socks5h://127.0.0.1:<relay-port>")


def relay_note(upstream: str) -> str:
    """What a dry run says on stderr about the relay: where the jail's web would go."""
    return ("anon-pi: netcage's proxy is anon-pi's relay on 127.0.0.1 (its port is picked at "
            f"launch); it carries the jail's web through {upstream}\n")


def label(machine: str, root: str, mount: str, cwd: str) -> str:
    record = f"machine={machine}\nprojectsRoot={root}\nmountParent={mount}\ncwd={cwd}"
    return "anon-pi.key=" + base64.b64encode(record.encode()).decode()


def head(machine, root, mount, cwd, hole="--allow", llm=LLM, proxy=None,
         env=tuple(JAIL_ENV)) -> list[str]:
    """`run --label … --rm --proxy … <hole> <llm> -e TZ=… -e LANG=…`: what every launch
    starts with (netcage's proxy is the launch's egress relay on loopback)."""
    proxy = RELAY if proxy is None else proxy
    return ["run", "--label", label(machine, root, mount, cwd), "--rm", "--proxy", proxy,
            hole, llm, *env]


def no_traceback(res) -> None:
    assert "Traceback" not in res.stderr and "unexpected error" not in res.stderr
