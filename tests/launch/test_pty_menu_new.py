"""The menu's `+ new project…` prompt in a real pty: a refused name is explained and asked
again, an existing name says it opens that project, and UTF-8 names arrive intact."""

import pytest
from menu_support import finish, layout, spawn, typed
from tree_digest import tree_digest

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


def _refused_then(cli, bad: str, then: str | None):
    """Pick `+ new project…`, answer `bad`, see the refusal and the prompt again, then `then`
    (None: Ctrl-C); (output from the first answer on, exit status)."""
    p = spawn(cli)
    p.expect('machine "default"')
    p.send("kk\r")
    p.expect_exact(PROMPT)
    p.sendline(bad)
    p.expect_exact(PROMPT)
    refusal = p.before
    if then is None:
        p.sendintr()
    else:
        p.sendline(then)
    out, code = finish(p)
    return refusal + out, code


@pytest.mark.parametrize("answer, why", [
    ("a/b", "invalid project name"), (".x", "invalid project name"),
    ("pi", "invalid project name"), ("two words", "invalid project name"),
    ("-dash", "invalid project name"), ("x:y", "invalid project name"),
    ("notes.txt", "exists but is not a folder")])
def test_refused_name_asks_again_and_the_next_one_launches(cli, answer, why):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _refused_then(cli, answer, "fresh")
    assert code == 0, out
    said = " ".join(out.split())  # the refusal is wrapped to the terminal's width
    assert f"anon-pi: {why}" in said.replace(f"{cli.ws}/projects/notes.txt ", "")
    assert "type another name, or press Enter alone to launch nothing" in said
    assert "Traceback" not in out
    [run] = cli.run_calls()
    assert run[run.index("-w") + 1] == "/projects/fresh"
    after = tree_digest(cli.ws)  # the launch made the project and gave the home its identity
    made = {k for k in after if k not in before and not k.startswith("egress")}
    assert made == {"projects/fresh", "machines/default/home/.gitconfig"}  # and its egress log


def test_refused_name_then_enter_launches_nothing(cli):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _refused_then(cli, "a/b", "")
    assert code == 1 and "anon-pi: no name given; nothing launched" in out
    assert cli.run_calls() == [] and tree_digest(cli.ws) == before


def test_ctrl_c_after_a_refusal_still_cancels(cli):
    layout(cli)
    before = tree_digest(cli.ws)
    out, code = _refused_then(cli, "a/b", None)
    assert code == 130 and "anon-pi: cancelled; nothing launched" in out
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
