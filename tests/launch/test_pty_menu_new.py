"""The menu's `+ new project…` prompt in a real pty (§1.8 and the fixes of §7.2, 7.12, 7.13)."""

import pytest
from conftest import tree_digest
from menu_support import finish, layout, spawn, typed

PROMPT = "New project name (a single folder segment): "


def _answer(cli, text=None, eof=False):
    """Pick `+ new project…`, answer the prompt; (output after the prompt, exit status)."""
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("kk\r")
    p.expect_exact(PROMPT)
    if eof:
        p.sendeof()
    else:
        p.sendline(text)
    return finish(p)


@pytest.mark.parametrize("answer, name", [("fresh", "fresh"), ("  padded  ", "padded"),
                                          ("café", "café"), ("日本語", "日本語")])
def test_new_name_is_created_and_launched_like_typed(cli, answer, name):
    layout(cli)
    out, code = _answer(cli, answer)
    assert code == 0, out
    assert (cli.ws / "projects" / name).is_dir()
    picked = cli.run_calls()
    assert picked[0][picked[0].index("-w") + 1] == f"/projects/{name}"
    assert typed(cli, name) == picked


@pytest.mark.parametrize("answer", ["a/b", ".x", "pi", "two words", "-dash", "x:y"])
def test_invalid_name_refused_and_nothing_created(cli, answer):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _answer(cli, answer)
    assert code == 1
    assert "anon-pi: invalid project name" in out and "Traceback" not in out
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


@pytest.mark.parametrize("answer, eof", [("", False), ("   ", False), (None, True)])
def test_no_name_launches_nothing(cli, answer, eof):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _answer(cli, answer, eof=eof)
    assert code == 1
    assert "anon-pi: no name given; nothing launched" in out
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_existing_name_says_it_opens_the_existing_project(cli):
    layout(cli)
    (cli.ws / "projects/alpha/keep.txt").write_text("mine\n")
    out, code = _answer(cli, "alpha")
    assert code == 0
    assert 'anon-pi: project "alpha" already exists; opening it' in out
    assert (cli.ws / "projects/alpha/keep.txt").read_text() == "mine\n"
    picked = cli.run_calls()
    assert typed(cli, "alpha") == picked


def test_name_of_a_file_is_a_clean_error(cli):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _answer(cli, "notes.txt")
    assert code == 1
    assert "exists but is not a folder" in out and "Traceback" not in out
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_ctrl_c_at_the_name_prompt_cancels(cli):
    layout(cli)
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("kk\r")
    p.expect_exact(PROMPT)
    p.sendintr()
    out, code = finish(p)
    assert code == 130 and "anon-pi: cancelled; nothing launched" in out
    assert cli.run_calls() == []
