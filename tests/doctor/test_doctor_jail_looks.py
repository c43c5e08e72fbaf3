"""doctor's "jail sees" rows for who the jail says it is: the git identity the agent's commits
carry (the home's own, or the one the next launch writes), the timezone and the locale; the
user's own host identity or login name in the jail is a warning with its fix."""

import json

from doctor_support import (
    doc_fixture,  # noqa: F401  the `doc` fixture
    fix_after,
    line,
    run,
)


def _home(doc):
    home = doc.ws / "machines" / "default" / "home"
    home.mkdir(parents=True, exist_ok=True)
    return home


def _machine(doc, **keys):
    (doc.ws / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": "anon-pi/toolbox:latest", **keys}))


def test_machine_json_values_are_shown_as_chosen(doc, capsys):
    _machine(doc, gitIdentity="Pat <pat@example.net>", timezone="Asia/Tokyo",
             locale="ja_JP.UTF-8")
    code, lines = run(capsys)
    assert code == 0, lines
    home = doc.ws / "machines" / "default" / "home"
    assert line(lines, "jail sees git identity") == (
        "ok   jail sees git identity: Pat <pat@example.net> (machine.json; written into "
        f"{home}/.gitconfig at the next launch)")
    assert line(lines, "jail sees TZ") == "ok   jail sees TZ: Asia/Tokyo (machine.json)"
    assert line(lines, "jail sees locale") == (
        "ok   jail sees locale: LANG=ja_JP.UTF-8 (machine.json)")


def test_the_homes_own_identity_is_what_the_jail_sees(doc, capsys):
    home = _home(doc)
    (home / ".gitconfig").write_text("[user]\n\tname = Pen Name\n\temail = pen@example.org\n")
    before = (home / ".gitconfig").read_bytes()
    code, lines = run(capsys)
    assert code == 0, lines
    assert line(lines, "jail sees git identity") == (
        f"ok   jail sees git identity: Pen Name <pen@example.org> ({home}/.gitconfig)")
    assert (home / ".gitconfig").read_bytes() == before  # doctor only reads


def test_the_users_host_identity_in_the_jail_is_a_warning(doc, capsys, tmp_path):
    (tmp_path / "home").mkdir(exist_ok=True)
    (tmp_path / "home" / ".gitconfig").write_text(
        "[user]\n\tname = Real Person\n\temail = Real@Example.ORG\n")
    home = _home(doc)
    (home / ".gitconfig").write_text("[user]\n\tname = Someone\n\temail = real@example.org\n")
    code, lines = run(capsys)
    assert code == 0, lines
    row = line(lines, "jail sees git identity")
    assert row == ("warn jail sees git identity: Someone <real@example.org>: your own git "
                   f"identity (the host's git config) ({home}/.gitconfig)")
    assert fix_after(lines, row) == (
        f"  fix: edit {home}/.gitconfig, e.g. `git config --file {home}/.gitconfig user.name "
        f"anon` and `git config --file {home}/.gitconfig user.email anon@localhost`")


def test_a_machine_json_identity_showing_the_login_is_a_warning(doc, capsys):
    _machine(doc, gitIdentity="zed <zed-the-tester@laptop>")
    code, lines = run(capsys)
    assert code == 0, lines  # a warning, not a failure
    row = line(lines, "jail sees git identity")
    assert row == ("warn jail sees git identity: zed <zed-the-tester@laptop> from machine.json:"
                   " it shows your login name")
    assert fix_after(lines, row) == (
        '  fix: set another `gitIdentity` in machine.json, e.g. "anon <anon@localhost>"')


def test_a_bad_value_fails_in_the_launchs_words(doc, capsys):
    _machine(doc, timezone="Mars Base")
    code, lines = run(capsys)
    assert code == 1
    row = line(lines, "jail sees")
    assert row == ('FAIL jail sees: machine.json of machine "default": timezone "Mars Base" is '
                   "not a valid value.")
    assert fix_after(lines, row) == ("  fix: fix or remove it in machines/default/machine.json,"
                                     ' e.g. "timezone": "Etc/UTC"')
