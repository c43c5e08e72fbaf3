"""Helpers for the machine / carry-over / delete tests: machine homes and a pty driver."""

import json
import os
from pathlib import Path

import pexpect
from harness_paths import BIN

AGENT = Path("home/.pi/agent")
SESSIONS = AGENT / "sessions"


def make_machine(ws: Path, name: str, image: str | None = "img:1", seeded: bool = True,
                 slugs: tuple[str, ...] = ()) -> Path:
    """A machine folder with a pin, a home with config and (optionally) conversations."""
    folder = ws / "machines" / name
    (folder / "home").mkdir(parents=True, exist_ok=True)
    if image is not None:
        (folder / "machine.json").write_text(json.dumps({"image": image}) + "\n")
    if seeded:
        (folder / AGENT).mkdir(parents=True, exist_ok=True)
        (folder / AGENT / ".anon-pi-seed").write_text("1\n")
        (folder / AGENT / "settings.json").write_text('{"theme": "dark"}\n')
        (folder / "home" / ".bashrc").write_text("# rc\n")
    for slug in slugs:
        d = folder / SESSIONS / slug
        d.mkdir(parents=True, exist_ok=True)
        (d / "s1.jsonl").write_text(f'{{"slug": "{slug}"}}\n')
    return folder


def spawn(cli, *args, **extra) -> pexpect.spawn:
    """The real bin/anon-pi in a pseudo-terminal (always with a timeout)."""
    return pexpect.spawn(str(BIN), list(args), env=cli.env(**extra), cwd=str(cli.tmp),
                         encoding="utf-8", timeout=20, dimensions=(40, 200))


def finish(p: pexpect.spawn) -> int:
    p.expect(pexpect.EOF)
    p.close()
    return p.exitstatus


def answer(p: pexpect.spawn, prompt: str, reply: str | None) -> None:
    """Wait for `prompt`, then type `reply` + Enter, or Ctrl-D (EOF) when reply is None."""
    p.expect_exact(prompt)
    if reply is None:
        p.sendeof()
    else:
        p.sendline(reply)


def listing(path: Path) -> list[str]:
    return sorted(os.listdir(path)) if path.exists() else []
