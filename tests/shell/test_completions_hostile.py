"""What a TAB offers is safe to insert and to list, in a real bash, zsh and fish.

The jail writes the projects root, so a project folder can be named anything a file name can
hold: a command (`notes;touch${IFS}PWNED`), terminal escapes (OSC 52 writes the clipboard,
OSC 0 the title), bidi overrides, a newline. Only names that pass anon-pi's own name rules
are offered, bash quotes what it inserts, and the image and box caches are read only when
they are this user's own regular files (folder and file owned by the user, neither a link).
"""

import os
import subprocess
import time

import pytest
from completions_support import (
    BASH_SCRIPT,
    offered,
    shell_env,
    write_cache,
    zsh_fpath,
)
from tool_support import need

HOSTILE = ["notes;touch${IFS}PWNED", "n$(touch PWNED)", "n\x1b]52;c;aGk=\x07x",
           "n\x1b]0;owned\x07", "n\u202eevil", "n\nline", "n\x9b31m", "-nrf", "pi",
           "n" * 129, "n o", "n`id`"]
GOOD = ["notes", "nété", "n_1.x-y"]
OTHER_USER = 65534  # nobody
SHELLS = ["bash", "zsh", "fish"]  # each case calls need(shell): one line when it is missing


@pytest.fixture
def place(tmp_path):
    projects = tmp_path / "ws" / "projects"
    for name in HOSTILE + GOOD:
        (projects / name).mkdir(parents=True)
    (tmp_path / "ws" / "machines" / "n\x1b]52;c;aGk=\x07m").mkdir(parents=True)
    (tmp_path / "ws" / "machines" / "box").mkdir()
    (tmp_path / "home").mkdir()
    return tmp_path


def _env(place, **extra):
    return shell_env(place / "home", ANON_PI_HOME=place / "ws", XDG_CACHE_HOME=place / "xdg",
                     LC_ALL="C.UTF-8", **extra)


def _offered(shell: str, line: str, place) -> list[str]:
    return offered(shell, line, _env(place), place)


@pytest.mark.parametrize("shell", SHELLS)
def test_only_names_that_pass_the_name_rules_are_offered(place, shell):
    assert _offered(shell, "anon-pi n", place) == sorted(GOOD)
    assert _offered(shell, "anon-pi -m ", place) == ["box"]
    assert _offered(shell, "anon-pi --delete-project n", place) == sorted(GOOD)


def test_bash_tab_then_enter_never_runs_a_jail_made_name(place):
    """`anon-pi no<TAB><Enter>` in an interactive bash, with only the hostile folder there:
    nothing is inserted, so nothing of the name runs."""
    import pexpect

    for name in GOOD:
        (place / "ws" / "projects" / name).rmdir()
    env = {**_env(place), "PS1": "$ ", "INPUTRC": "/dev/null"}
    sh = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=env, cwd=str(place),
                       encoding="utf-8", timeout=10, dimensions=(40, 200))
    try:
        sh.sendline(f"source {BASH_SCRIPT}; anon-pi() {{ echo RAN \"$*\"; }}")
        sh.sendline("echo READY")
        sh.expect("\r\nREADY")
        sh.send("anon-pi no\t")
        sh.send("\t\r")
        sh.expect("RAN ")
        sh.sendline("echo DONE")
        sh.expect("\r\nDONE")
    finally:
        sh.terminate(force=True)
    assert not (place / "PWNED").exists()


def test_bash_quotes_what_it_inserts(place):
    """Whatever passes the filter is still inserted through `printf %q`: a name the rules
    allow stays as it is, so the check is on the quoting path with a stand-in name list."""
    program = f"""source {BASH_SCRIPT}
_anon_pi_core() {{ _anon_pi_reply=('a b' 'c;d' plain) _anon_pi_dirs=0; }}
COMP_WORDS=(anon-pi x) COMP_CWORD=1
_anon_pi anon-pi x anon-pi
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    out = subprocess.run(["bash", "--norc", "-c", program], env=_env(place), cwd=place,
                         capture_output=True, text=True, timeout=20, check=True).stdout
    assert out.splitlines() == ["a\\ b", "c\\;d", "plain"]


def test_zsh_listing_prints_no_escape(place):
    """zsh lists candidates with `compadd -d`, which prints them raw: a listing of the
    projects must not carry the jail's escapes to the terminal."""
    import io

    import pexpect

    need("zsh")
    shown = io.StringIO()
    z = pexpect.spawn("zsh", ["-f", "-i"], env=_env(place), cwd=str(place), encoding="utf-8",
                      timeout=10, dimensions=(50, 200), codec_errors="replace")
    try:
        setup = (f"fpath=({zsh_fpath(place)} $fpath); PROMPT='%% '; autoload -Uz compinit; "
                 "compinit -u -D")
        for cmd in (setup, "bindkey '^I' complete-word", "print READY"):
            z.sendline(cmd)
        z.expect("\r\nREADY")
        z.logfile_read = shown
        z.send("anon-pi n\t")
        z.expect("nété")  # the listing is drawn
        z.send("\x03")  # drop the line; everything the listing printed came before DONE
        z.sendline("print DONE")
        z.expect("\r\nDONE")
    finally:
        z.terminate(force=True)
    text = shown.getvalue()
    assert "notes" in text
    assert "\x1b]52" not in text and "\x1b]0;" not in text and "\u202e" not in text


def _cache(place, kind="images", names=("anon-pi/pi:latest",)):
    return write_cache(place / "xdg", kind, list(names))


CACHE_CASES = {
    "another user's file": lambda p: os.chown(_cache(p), OTHER_USER, OTHER_USER),
    "another user's folder": lambda p: os.chown(_cache(p).parent, OTHER_USER, OTHER_USER),
    "a linked file": lambda p: _linked_file(p),
    "a linked folder": lambda p: _linked_folder(p),
    "a FIFO": lambda p: _fifo(p),
    "no header": lambda p: _cache(p).write_text("anon-pi/pi:latest\n"),
    "a non-ASCII digit in the expiry": lambda p: _cache(p).write_text(
        "#anon-pi-names 9999999999²\nanon-pi/pi:latest\n"),
    "an expression for an expiry": lambda p: _cache(p).write_text(
        "#anon-pi-names a[$(touch PWNED)]\nanon-pi/pi:latest\n"),
}


def _linked_file(place):
    real = _cache(place)
    moved = real.with_name("elsewhere")
    real.rename(moved)
    real.symlink_to(moved)


def _linked_folder(place):
    real = _cache(place).parent
    moved = real.with_name("elsewhere")
    real.rename(moved)
    real.symlink_to(moved)


def _fifo(place):
    path = _cache(place)
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("case", list(CACHE_CASES))
def test_a_cache_that_is_not_the_users_own_offers_nothing(place, shell, case):
    _cache(place)
    assert _offered(shell, "anon-pi -i ", place) == ["anon-pi/pi:latest"]  # the file as made
    CACHE_CASES[case](place)
    start = time.monotonic()
    assert _offered(shell, "anon-pi -i ", place) == []
    assert time.monotonic() - start < 15  # a FIFO never hangs the TAB
    assert not (place / "PWNED").exists()


@pytest.mark.parametrize("shell", SHELLS)
def test_hostile_cached_names_are_filtered(place, shell):
    _cache(place, "images", ["anon-pi/ok:latest", "anon-pi/x;touch PWNED", "a\x1b]52;c;aGk=\x07",
                             "-bad", "anon-pi/$(id)"])
    _cache(place, "boxes", ["dev", "d\x1b]0;t\x07", "d;x", "pi"])
    assert _offered(shell, "anon-pi -i ", place) == ["anon-pi/ok:latest"]
    assert _offered(shell, "anon-pi container enter ", place) == ["dev"]
