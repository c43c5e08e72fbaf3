"""Pseudo-terminal helpers for the menu, picker and prompt tests (real bin/anon-pi, pexpect)."""

import re
from pathlib import Path

import pexpect
from harness_paths import BIN
from waiting import thread_ids, until

# reverse video (SGR 7) among any other parameters: the colour row is \x1b[0;7;36m
ACTIVE = re.compile(r"\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m> ([^\x1b\r\n]*)")
CURSOR_SHOWN = "\x1b[?25h"
PLAIN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(cli, *args, cwd=None, rows=40, cols=120, encoding="utf-8", **extra) -> pexpect.spawn:
    """The real anon-pi in a fresh pty, fake netcage first on PATH; `encoding` is the
    terminal's (a test under a Latin-1 locale reads Latin-1)."""
    return pexpect.spawn(str(BIN), list(args), env=cli.env(**extra), encoding=encoding,
                         dimensions=(rows, cols), timeout=10, cwd=str(cwd or cli.tmp))


def held(cli, verb: str) -> tuple[dict, Path]:
    """Environment making the fake netcage hold `verb` until the test lets it go (`let_go`)."""
    gate = cli.tmp / f"let-{verb}-go"
    return {"FAKE_NETCAGE_HOLD": f"{verb}={gate}"}, gate


def let_go(cli, p: pexpect.spawn, gate: Path, verb: str) -> None:
    """Once anon-pi has asked the held `netcage <verb>`, let it answer and wait until the
    thread of anon-pi that asked has ended: what it made of the answer is then recorded (a
    redraw, a warning kept for later)."""
    until(lambda: any(c[:1] == [verb] for c in cli.calls()), f"a `netcage {verb}` call")
    asking = thread_ids(p.pid)  # the thread blocked on the held call is among these
    gate.touch()
    until(lambda: not asking <= thread_ids(p.pid),
          f"the end of anon-pi's thread waiting on `netcage {verb}`")


def finish(p: pexpect.spawn) -> tuple[str, int]:
    """Wait for the end: everything printed after the last expect, and the exit status."""
    p.expect(pexpect.EOF)
    p.close()
    return p.before, p.exitstatus


def active_label(screen: str) -> str:
    """The highlighted row of the last frame drawn (the `> ` row in reverse video)."""
    found = ACTIVE.findall(screen)
    assert found, f"no highlighted row in {screen!r}"
    return found[-1]


def last_frame(screen: str) -> list[str]:
    """The lines of the last frame drawn, escape codes removed (each redraw starts with the
    clear-to-end `ESC[J`; the first frame after the hidden cursor)."""
    start = max(screen.rfind("\x1b[J"), screen.rfind("\x1b[?25l"))
    assert start >= 0, f"no frame in {screen!r}"
    text = screen[start:].split(CURSOR_SHOWN)[0]
    return [line for line in PLAIN.sub("", text).replace("\r", "").split("\n") if line.strip()]


def menu(cli, *args, keys: str, after: str | None = None, **extra) -> tuple[str, str, int]:
    """Open the menu, wait for its header (and the row `after`, when rows join later), type
    `keys`; (highlighted label, output, status)."""
    p = spawn(cli, *args, **extra)
    p.expect(r'anon-pi: machine "[^"]+" \(')
    seen = p.before + p.after
    if after is not None:
        p.expect_exact(after)
        seen += p.before + p.after
    p.send(keys)
    out, code = finish(p)
    return active_label(out), seen + out, code


def typed(cli, *args, **extra) -> list[list[str]]:
    """The netcage calls a typed command makes when run in a pty (log cleared first)."""
    if cli.log.exists():
        cli.log.unlink()
    out, code = finish(spawn(cli, *args, **extra))
    assert code == 0, out
    return cli.run_calls()


def layout(cli) -> None:
    """Two machines, four project folders and the noise the menu must drop."""
    cli.configure()
    cli.configure(machine="box")
    root = cli.ws / "projects"
    for name in ("beta", "alpha", "Gamma", "_under", ".hidden", "pi"):
        (root / name).mkdir(parents=True)
    (root / "notes.txt").write_text("not a project\n")
    sessions = "home/.pi/agent/sessions"
    for machine, slugs in (("default", ["--projects-alpha--", "--projects--"]),
                           ("box", ["--projects-alpha--", "--projects-beta--"])):
        for slug in slugs:
            (cli.ws / "machines" / machine / sessions / slug).mkdir(parents=True)
