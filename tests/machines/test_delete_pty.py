"""Confirmations typed in a real pseudo-terminal: only y/yes (any case, trimmed) deletes."""

import os

import pytest
from data_verbs_support import SESSIONS, answer, finish, make_machine, spawn
from tree_digest import tree_digest

YES = ["y", "YES", " yes "]
NO = ["n", "", None, "yep", "yes please"]


def _setup(cli):
    box = make_machine(cli.ws, "box", slugs=("--projects-p--", "--work-p--"))
    (cli.ws / "projects/p").mkdir(parents=True)
    return box


def _cases(cli, box):
    return {
        "rm": (("machine", "rm", "box"),
               f'Delete machine "box" and its home (conversations, config) at {box}? [y/N] ',
               lambda: not box.exists()),
        "home": (("--delete-home", "box"),
                 f'Delete machine "box" home (conversations + config) at {box / "home"}? [y/N] ',
                 lambda: not (box / "home").exists() and (box / "machine.json").exists()),
        "project": (("--delete-project", "p"),
                    (f'Delete project "p": its files ({cli.ws / "projects/p"}) and 1 per-machine '
                    "session dir(s)? [y/N] "),
                    lambda: not (cli.ws / "projects/p").exists()
                    and os.listdir(box / SESSIONS) == ["--work-p--"]),
    }


@pytest.mark.parametrize("reply", YES)
@pytest.mark.parametrize("verb", ["rm", "home", "project"])
def test_yes_deletes(cli, verb, reply):
    box = _setup(cli)
    args, prompt, gone = _cases(cli, box)[verb]
    p = spawn(cli, *args)
    answer(p, prompt, reply)
    assert finish(p) == 0
    assert gone()


@pytest.mark.parametrize("reply", NO)
@pytest.mark.parametrize("verb", ["rm", "home", "project"])
def test_anything_else_keeps_everything(cli, verb, reply):
    box = _setup(cli)
    before = tree_digest(cli.ws)
    args, prompt, _ = _cases(cli, box)[verb]
    p = spawn(cli, *args)
    answer(p, prompt, reply)
    p.expect_exact("anon-pi: aborted; nothing deleted")
    assert finish(p) == 1
    assert tree_digest(cli.ws) == before


def test_ctrl_c_at_a_confirmation_cancels(cli):
    box = _setup(cli)
    before = tree_digest(cli.ws)
    p = spawn(cli, "machine", "rm", "box")
    p.expect_exact("[y/N] ")
    p.sendintr()
    p.expect_exact("anon-pi: cancelled; nothing deleted")
    assert finish(p) == 130
    assert tree_digest(cli.ws) == before and box.exists()


def test_prompt_for_missing_project_folder_does_not_claim_files(cli):
    box = make_machine(cli.ws, "box", slugs=("--projects-p--",))
    p = spawn(cli, "--delete-project", "p")
    answer(p, f'Delete project "p": no project folder ({cli.ws / "projects/p"} does not exist) '
              "and 1 per-machine session dir(s)? [y/N] ", "y")
    assert finish(p) == 0
    assert os.listdir(box / SESSIONS) == []


@pytest.mark.parametrize("reply", ["", None, "   "])
def test_create_prompt_blank_or_eof_writes_nothing(cli, reply):
    p = spawn(cli, "machine", "create", "box")
    answer(p, 'Image ref for machine "box" (a container with `pi` on PATH): ', reply)
    p.expect_exact("no image given; aborting create")
    assert finish(p) == 1
    assert not cli.ws.exists()
    assert cli.calls() == []


def test_create_prompt_pins_the_typed_ref(cli):
    p = spawn(cli, "machine", "create", "box")
    answer(p, 'Image ref for machine "box" (a container with `pi` on PATH): ', "  my/pi:tag ")
    p.expect_exact('created machine "box" with image my/pi:tag')
    assert finish(p) == 0
    assert (cli.ws / "machines/box/machine.json").read_bytes() == b'{\n\t"image": "my/pi:tag"\n}\n'
