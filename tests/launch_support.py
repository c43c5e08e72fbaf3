"""Helpers for the launch tests: the identity label and the argv head every run shares."""

import base64

from anonpi_helpers.core.seed_script import seed_script

PROXY = "socks5h://127.0.0.1:9050"
LLM = "192.168.1.50:8080"
IMAGE = "localhost/anon-pi/pi:latest"
SCRIPT = seed_script()
PI_ARGS_CMD = ["sh", "-c", SCRIPT + '; exec pi "$@"', "pi"]
# what every jail runs with unless machine.json says otherwise: UTC and a neutral locale
JAIL_ENV = ["-e", "TZ=UTC", "-e", "LANG=C.UTF-8"]


def label(machine: str, root: str, mount: str, cwd: str) -> str:
    record = f"machine={machine}\nprojectsRoot={root}\nmountParent={mount}\ncwd={cwd}"
    return "anon-pi.key=" + base64.b64encode(record.encode()).decode()


def head(machine, root, mount, cwd, hole="--allow", llm=LLM, proxy=PROXY,
         env=tuple(JAIL_ENV)) -> list[str]:
    """`run --label … --rm --proxy … <hole> <llm> -e TZ=… -e LANG=…`: what every launch
    starts with (a launch through the cli harness gets `cli.proxy`, the harness's loopback
    listener)."""
    return ["run", "--label", label(machine, root, mount, cwd), "--rm", "--proxy", proxy,
            hole, llm, *env]


def no_traceback(res) -> None:
    assert "Traceback" not in res.stderr and "unexpected error" not in res.stderr
