"""The selector on a real screen: tmux shows what the user sees (scrolling, no staircase)."""

import re
import shlex
import subprocess
import sys
import time

import pexpect
import pytest
from harness_paths import BIN, ROOT
from menu_support import finish
from tool_support import need


class Tmux:
    """One private tmux server running anon-pi in a small window."""

    def __init__(self, cli, rows: int):
        self.base = ["tmux", "-S", str(cli.tmp / "tmux.sock")]
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in cli.env(TERM="xterm").items())
        command = f"env -i {env} {BIN}; echo EXIT=$?; sleep 30"
        subprocess.run(self.base + ["new-session", "-d", "-s", "m", "-x", "80", "-y", str(rows),
                                    command], check=True, timeout=10)

    def screen(self) -> list[str]:
        out = subprocess.run(self.base + ["capture-pane", "-p", "-e", "-t", "m"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
        return out.splitlines()

    def wait_for(self, text: str, timeout: float = 10) -> list[str]:
        return self.wait_until(lambda lines: any(text in line for line in lines), repr(text),
                               timeout)

    def wait_until(self, check, what: str, timeout: float = 10) -> list[str]:
        """The first screen `check` accepts; fails naming `what` and the last screen."""
        end = time.time() + timeout
        while time.time() < end:
            lines = self.screen()
            if check(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"{what} never appeared: {self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(self.base + ["send-keys", "-t", "m", *keys], check=True, timeout=10)

    def close(self) -> None:
        subprocess.run(self.base + ["kill-server"], timeout=10, check=False)


@pytest.fixture
def tmux(cli):
    need("tmux")
    made = []
    yield lambda rows: made.append(Tmux(cli, rows)) or made[-1]
    for t in made:
        t.close()


def _active(lines: list[str]) -> list[str]:
    return [line for line in lines if "\x1b[7m> " in line]


def test_long_list_scrolls_and_keeps_the_header(cli, tmux):
    cli.configure()
    for i in range(20):
        (cli.ws / "projects" / f"p{i:02d}").mkdir(parents=True)
    t = tmux(8)
    first = t.wait_for('machine "default"')
    assert len(first) <= 8 and "p00  (no conversations yet)" in _active(first)[0]
    plain = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in first[1:] if line]
    assert all(re.match(r"(> |  )\S", line) for line in plain), plain  # no staircase
    t.keys("k")
    wrapped = t.wait_until(lambda lines: "shell (a jailed bash" in "".join(_active(lines)),
                           "the highlight on the shell row after k (wrapped from the top)")
    assert 'machine "default"' in wrapped[0]
    assert len(_active(wrapped)) == 1
    assert not any("p00" in line for line in wrapped)
    t.keys("j", "j", "j", "Enter")
    done = t.wait_for("EXIT=0")
    assert any("entering the netcage jail" in line for line in done)
    run = cli.run_calls()[0]
    assert run[run.index("-w") + 1] == "/projects/p02"


def test_no_screen_to_draw_on_is_a_clean_refusal(cli):
    cli.configure()
    err = cli.tmp / "err.txt"
    p = pexpect.spawn("/bin/sh", ["-c", f'"{BIN}" > /dev/null 2> "{err}"'], env=cli.env(),
                      encoding="utf-8", dimensions=(40, 120), timeout=10)
    _out, code = finish(p)
    assert code == 1
    assert err.read_text().startswith("anon-pi: no terminal to draw the choices on")
    assert cli.run_calls() == []


def test_launch_path_never_loads_the_prompt_library(cli):
    cli.configure()
    code = ("import sys; from anonpi_helpers import cli; from anonpi_helpers.launch import menu; "
            "from anonpi_helpers.edges import terminal; "
            "from anonpi_helpers.edges.real_io import real_context; "
            "rc = cli.run(['--dry-run', 'alpha', '-p', 'hi'], real_context()); "
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in "
            "('prompt_toolkit', 'questionary')))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=cli.env(),
                         capture_output=True, text=True, timeout=30, check=False)
    assert res.stdout.splitlines()[-1] == "0 []", res.stderr
