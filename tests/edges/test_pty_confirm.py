"""The [y/N] confirmations in a real pty: only y/yes deletes; EOF is No."""

import pytest
from menu_support import finish, layout, spawn
from tree_digest import tree_digest


def _targets(cli):
    ws = cli.ws
    home = ws / "machines/box/home"
    alpha = ws / "projects/alpha"
    return {
        "machine-rm": (["machine", "rm", "box"],
                       (f'Delete machine "box" and its home (conversations, config) at '
                        f"{ws / 'machines/box'}? [y/N] "), [ws / "machines/box"], []),
        "delete-home": (["--delete-home", "box"],
                        f'Delete machine "box" home (conversations + config) at {home}? [y/N] ',
                        [home], [ws / "machines/box/machine.json"]),
        "delete-project": (["--delete-project", "alpha"],
                           (f'Delete project "alpha": its files ({alpha}) and 2 per-machine '
                            "session dir(s)? [y/N] "),
                           [alpha, ws / "machines/box/home/.pi/agent/sessions/--projects-alpha--",
                            ws / "machines/default/home/.pi/agent/sessions/--projects-alpha--"],
                           [ws / "projects/beta",
                            ws / "machines/box/home/.pi/agent/sessions/--projects-beta--"]),
    }


def _ask(cli, verb, answer):
    argv, prompt, gone, kept = _targets(cli)[verb]
    p = spawn(cli, *argv)
    p.expect_exact(prompt)
    if answer is None:
        p.sendeof()
    else:
        p.sendline(answer)
    out, code = finish(p)
    return out, code, gone, kept


VERBS = ["machine-rm", "delete-home", "delete-project"]


@pytest.mark.parametrize("answer", ["y", "YES", " yes "])
@pytest.mark.parametrize("verb", VERBS)
def test_yes_deletes(cli, verb, answer):
    layout(cli)
    out, code, gone, kept = _ask(cli, verb, answer)
    assert code == 0, out
    assert not any(p.exists() for p in gone)
    assert all(p.exists() for p in kept)


@pytest.mark.parametrize("answer", ["n", "", None, "yep", "no"])
@pytest.mark.parametrize("verb", VERBS)
def test_anything_else_keeps(cli, verb, answer):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code, _gone, _kept = _ask(cli, verb, answer)
    assert code == 1
    assert "anon-pi: aborted; nothing deleted" in out
    assert tree_digest(cli.ws) == before


@pytest.mark.parametrize("verb", VERBS)
def test_ctrl_c_cancels_and_deletes_nothing(cli, verb):
    layout(cli)
    argv, prompt, gone, _kept = _targets(cli)[verb]
    p = spawn(cli, *argv)
    p.expect_exact(prompt)
    p.sendintr()
    out, code = finish(p)
    assert code == 130 and "anon-pi: cancelled; nothing deleted" in out
    assert all(p.exists() for p in gone)
