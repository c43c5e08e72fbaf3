"""Who the jail says it is: machine.json's git identity, timezone and locale (or anon-pi's
neutral defaults), read strictly; a home's git config read as git reads it; anon-pi's
identity added to a home only when nothing there names anybody, never through a link."""

import os
import shutil
import subprocess

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.jail_identity import (
    DEFAULT_IDENTITY,
    DEFAULT_LOCALE,
    DEFAULT_TZ,
    GitIdentity,
    config_identity,
    has_identity,
    jail_looks,
    parse_identity,
    with_identity,
)
from anonpi_helpers.edges.git_identity import give_identity, home_identity

ANON = GitIdentity("anon", "anon@localhost")
SECTION = "[user]\n\tname = anon\n\temail = anon@localhost\n"


def test_defaults_are_neutral():
    looks = jail_looks(None, "default")
    assert looks.identity == ANON and str(looks.identity) == "anon <anon@localhost>"
    assert looks.env == ("TZ=UTC", "LANG=C.UTF-8") and looks.chosen == ()
    assert jail_looks({"image": "x", "timezone": "  ", "locale": 3}, "m") == looks
    # the defaults are taken without their checks: they pass them
    chosen = {"gitIdentity": DEFAULT_IDENTITY, "timezone": DEFAULT_TZ, "locale": DEFAULT_LOCALE}
    assert jail_looks(chosen, "m") == looks._replace(chosen=tuple(chosen))


def test_machine_json_chooses():
    looks = jail_looks({"gitIdentity": " Ada Lovelace  <ada@example.org> ",
                        "timezone": "Europe/Berlin", "locale": "de_DE.UTF-8"}, "box")
    assert looks.identity == GitIdentity("Ada Lovelace", "ada@example.org")
    assert looks.env == ("TZ=Europe/Berlin", "LANG=de_DE.UTF-8")
    assert looks.chosen == ("gitIdentity", "timezone", "locale")


@pytest.mark.parametrize("key, value", [
    ("gitIdentity", "anon"), ("gitIdentity", "anon <a b@c>"), ("gitIdentity", "<a@b>"),
    ("gitIdentity", "a <b@c> <d@e>"), ("gitIdentity", "a\x1b[31m <a@b>"),
    ("timezone", "Europe Berlin"), ("timezone", "-x"), ("timezone", "UT\nC"),
    ("timezone", "a" * 80), ("locale", "C UTF-8"), ("locale", "C.UTF-8;rm"),
    ("locale", "-C"), ("locale", "ü"),
])
def test_bad_values_are_refused_naming_the_key(key, value):
    with pytest.raises(AnonPiError) as got:
        jail_looks({key: value}, "box")
    assert got.value.message.startswith(f'machine.json of machine "box": {key} ')
    assert "is not a valid value" in got.value.message
    assert "\x1b" not in got.value.message and "\n" not in got.value.message
    assert f'"{key}":' in got.value.hint


def test_identity_forms():
    assert parse_identity("anon <anon@localhost>") == ANON
    assert parse_identity("J. Random Hacker<jr@example.org>") == GitIdentity(
        "J. Random Hacker", "jr@example.org")
    assert parse_identity("nobody") is None


@pytest.mark.parametrize("text, found", [
    ("[user]\n\tname = Ada\n\temail = ada@x\n", ("Ada", "ada@x", False)),
    ('[User]\n  NAME = "Ada  L" # me\n', ("Ada  L", None, False)),
    ("[user] email = a@b ; c\n", (None, "a@b", False)),
    ('[user "work"]\n\tname = Ada\n', (None, None, False)),
    ("[core]\n\tname = Ada\n[user]\n#\tname = x\n", (None, None, False)),
    ("[user]\n\tname = a\n[user]\n\tname = b\n", ("b", None, False)),
    ("[include]\n\tpath = ~/.id\n", (None, None, True)),
    ('[includeIf "gitdir:~/w/"]\n\tpath = w\n', (None, None, True)),
    ('[user]\n\tname = "a\\"b\\\\c"\n', ('a"b\\c', None, False)),
])
def test_git_config_read_as_git_reads_it(text, found):
    assert config_identity(text) == found


def test_has_identity_over_both_files():
    assert not has_identity(None, None)
    assert not has_identity("[core]\n\teditor = vi\n", None)
    assert has_identity(None, "[user]\n\temail = a@b\n")


def test_section_is_added_after_the_users_lines():
    assert with_identity(None, ANON) == SECTION
    assert with_identity("[core]\n\teditor = vi", ANON) == "[core]\n\teditor = vi\n" + SECTION
    odd = GitIdentity('x "q" #1 ', "e@f")
    written = with_identity(None, odd)
    assert config_identity(written)[:2] == ('x "q" #1 ', "e@f")


def test_a_fresh_home_gets_the_identity(tmp_path):
    assert give_identity(tmp_path, ANON) is True
    assert (tmp_path / ".gitconfig").read_text() == SECTION
    assert oct((tmp_path / ".gitconfig").stat().st_mode & 0o777) == oct(0o644)
    assert home_identity(tmp_path) == (ANON, True)


def test_written_once(tmp_path):
    give_identity(tmp_path, ANON)
    before = (tmp_path / ".gitconfig").stat()
    assert give_identity(tmp_path, GitIdentity("other", "o@p")) is False
    after = (tmp_path / ".gitconfig").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_users_own_identity_is_left_alone(tmp_path):
    own = b"[user]\n\tname = Me Myself\n\temail = me@example.org\n[alias]\n\tco = checkout\n"
    (tmp_path / ".gitconfig").write_bytes(own)
    os.chmod(tmp_path / ".gitconfig", 0o600)
    assert give_identity(tmp_path, ANON) is False
    assert (tmp_path / ".gitconfig").read_bytes() == own
    assert home_identity(tmp_path) == (GitIdentity("Me Myself", "me@example.org"), True)


def test_a_config_without_identity_keeps_its_bytes_and_mode(tmp_path):
    own = b"[core]\n\teditor = vi\n\t# caf\xc3\xa9 \xff\n"  # not even UTF-8 throughout
    (tmp_path / ".gitconfig").write_bytes(own)
    os.chmod(tmp_path / ".gitconfig", 0o600)
    assert give_identity(tmp_path, ANON) is True
    assert (tmp_path / ".gitconfig").read_bytes() == own + SECTION.encode()
    assert (tmp_path / ".gitconfig").stat().st_mode & 0o777 == 0o600


def test_an_identity_in_the_xdg_file_is_left_alone(tmp_path):
    xdg = tmp_path / ".config" / "git"
    xdg.mkdir(parents=True)
    (xdg / "config").write_text("[user]\n\temail = me@example.org\n")
    assert give_identity(tmp_path, ANON) is False
    assert not (tmp_path / ".gitconfig").exists()  # a new ~/.gitconfig would win over it
    assert home_identity(tmp_path) == (GitIdentity("", "me@example.org"), True)


@pytest.mark.parametrize("where", [".gitconfig", ".config"])
def test_links_are_never_followed(tmp_path, where):
    home, outside = tmp_path / "home", tmp_path / "outside"
    home.mkdir()
    outside.mkdir()
    (outside / "config").write_text("")
    target = outside / "config" if where == ".gitconfig" else outside
    (home / where).symlink_to(target)
    assert give_identity(home, ANON) is False
    assert (home / where).is_symlink() and (outside / "config").read_text() == ""
    assert sorted(p.name for p in outside.iterdir()) == ["config"]
    assert home_identity(home) == (None, True)


def test_a_missing_home_decides_nothing(tmp_path):
    assert home_identity(tmp_path / "nope") == (None, False)


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_git_itself_reads_back_what_was_written(tmp_path):
    odd = GitIdentity('x "q" #1 ; \\ ', "e;f@g")
    give_identity(tmp_path, odd)
    for key, want in (("user.name", odd.name), ("user.email", odd.email)):
        got = subprocess.run(["git", "config", "--file", str(tmp_path / ".gitconfig"), key],
                             capture_output=True, text=True, check=True).stdout
        assert got == want + "\n"


def test_a_config_too_big_to_read_whole_is_left_alone(tmp_path):
    big = b"# " + b"x" * (1 << 20) + b"\n"
    (tmp_path / ".gitconfig").write_bytes(big)
    assert give_identity(tmp_path, ANON) is False
    assert (tmp_path / ".gitconfig").read_bytes() == big


def test_a_fifo_is_left_alone_without_blocking(tmp_path):
    os.mkfifo(tmp_path / ".gitconfig")
    assert give_identity(tmp_path, ANON) is False
    assert home_identity(tmp_path) == (None, True)
    (tmp_path / ".config" / "git").mkdir(parents=True)
    os.mkfifo(tmp_path / ".config" / "git" / "config")
    os.unlink(tmp_path / ".gitconfig")
    assert give_identity(tmp_path, ANON) is False
