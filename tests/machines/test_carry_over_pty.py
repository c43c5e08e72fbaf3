"""The carry-over prompts in a real pseudo-terminal: COPY/SKIP per group, then one delete
question that removes only the copied groups from the source."""

import io
import json
import os

import pytest
from data_verbs_support import SESSIONS, answer, finish, listing, make_machine, spawn
from tree_digest import tree_digest

SLUGS = ("--projects-alpha--", "--projects-Beta--", "--projects--", "--projects-gone--")
ROWS = [". (projects root)", "alpha", "Beta", "--projects-gone--  (no current project folder)"]


def _setup(cli):
    src = make_machine(cli.ws, "recon", slugs=SLUGS)
    root = cli.ws / "projects"
    for name in ("alpha", "Beta", ".git", "my notes"):
        (root / name).mkdir(parents=True)
    (root / "notes.txt").write_text("x")
    cli.can("inspect", json.dumps({"anon-pi.source-machine": "recon"}))
    return src


def _start(cli, transcript=None):
    p = spawn(cli, "machine", "create", "new", "--image", "anon-pi/snap:latest")
    p.logfile_read = transcript
    p.expect_exact('"recon" has 4 conversation group(s) (by project); choose COPY or SKIP')
    return p


@pytest.mark.parametrize("delete", [False, True])
def test_copy_matrix_then_delete_question(cli, delete):
    src = _setup(cli)
    p = _start(cli)
    for label, reply in zip(ROWS, ["c", "COPY", "", "s"], strict=True):
        answer(p, f"  {label}  [copy/SKIP]: ", reply)
    p.expect_exact('copied 2 group(s) into "new".')
    answer(p, 'Also DELETE the 2 copied group(s) from source machine "recon"? [y/N] ',
           "y" if delete else "n")
    assert finish(p) == 0
    new = cli.ws / "machines/new"
    assert listing(new / SESSIONS) == ["--projects--", "--projects-alpha--"]
    assert (new / SESSIONS / "--projects-alpha--/s1.jsonl").exists()
    kept = listing(src / SESSIONS)
    if delete:
        assert kept == ["--projects-Beta--", "--projects-gone--"]
    else:
        assert kept == sorted(SLUGS)


def test_cop_and_eof_skip_remaining_groups(cli):
    src = _setup(cli)
    before = tree_digest(src)
    transcript = io.StringIO()
    p = _start(cli, transcript)
    answer(p, f"  {ROWS[0]}  [copy/SKIP]: ", "cop")
    answer(p, f"  {ROWS[1]}  [copy/SKIP]: ", "C")
    answer(p, f"  {ROWS[2]}  [copy/SKIP]: ", None)
    answer(p, 'Also DELETE the 1 copied group(s) from source machine "recon"? [y/N] ', None)
    assert finish(p) == 0
    assert listing(cli.ws / "machines/new" / SESSIONS) == ["--projects-alpha--"]
    assert tree_digest(src) == before
    # EOF at the third group skips the fourth: its prompt is never shown (the whole
    # transcript, not just what followed the last match)
    assert ROWS[3] not in transcript.getvalue()
    assert transcript.getvalue().count("[copy/SKIP]: ") == 3


def test_eof_at_first_group_copies_nothing_and_keeps_the_machine(cli):
    _setup(cli)
    p = _start(cli)
    answer(p, f"  {ROWS[0]}  [copy/SKIP]: ", None)
    p.expect_exact("no conversation groups copied.")
    assert finish(p) == 0
    new = cli.ws / "machines/new"
    assert (new / "home/.pi/agent/.anon-pi-seed").exists()
    assert not (new / SESSIONS).exists()


def test_ctrl_c_rolls_the_new_machine_back(cli):
    src = _setup(cli)
    before = tree_digest(src)
    p = _start(cli)
    p.expect_exact("[copy/SKIP]: ")
    p.sendintr()
    p.expect_exact("cancelled; nothing written")
    assert finish(p) == 130
    assert not os.path.lexists(cli.ws / "machines/new")
    assert tree_digest(src) == before


def test_orphans_when_projects_root_is_elsewhere(cli):
    _setup(cli)
    p = spawn(cli, "machine", "create", "new", "--image", "anon-pi/snap:latest",
              ANON_PI_PROJECTS=str(cli.tmp / "empty"))
    for row in [". (projects root)", "--projects-alpha--  (no current project folder)",
                "--projects-Beta--  (no current project folder)",
                "--projects-gone--  (no current project folder)"]:
        answer(p, f"  {row}  [copy/SKIP]: ", "")
    p.expect_exact("no conversation groups copied.")
    assert finish(p) == 0
