"""`image snapshot` on a live jail prints one result line of its own: podman's image id stays
off stdout, podman's `Copying blob …` progress reaches a person at a terminal only, `--json`
gives the tag and the id. netcage's answers are the ones real netcage 0.13.0 printed for this
very commit (recorded; ids replaced)."""

import json

import pexpect
import pytest
from containers_support import ps_entry, ps_json
from harness_paths import BIN

from anonpi_helpers.containers.snapshot_labels import committed_id

ONE = ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"))
NEW_ID = "5f2c" * 16
# what real `netcage commit` (0.13.0, podman 4.3.1) wrote: the id on stdout, progress on stderr
COMMIT_OUT = f"{NEW_ID}\n"
COMMIT_ERR = ("Getting image source signatures\n"
              f"Copying blob sha256:{'1' * 64}\n"
              f"Copying blob sha256:{'2' * 64}\n"
              f"Copying config sha256:{NEW_ID}\n"
              "Writing manifest to image destination\n"
              "Storing signatures\n")
RESULT = ('anon-pi: snapshotted alpha_1 into image anon-pi/tb:latest (from machine "default").'
          "\n")


def _live(cli) -> None:
    cli.configure()
    cli.can("ps", ONE)
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")
    cli.can("commit", COMMIT_OUT, err=COMMIT_ERR)


def test_piped_stdout_is_empty_and_no_progress(cli):
    """The snapshot's lines are notes: on stderr, and podman's progress not even there."""
    _live(cli)
    res = cli.run("image", "snapshot", "tb")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr == ("anon-pi: committing alpha_1 -> image anon-pi/tb:latest (pausing the "
                          "container briefly)…\n" + RESULT)


def test_json_is_one_document_with_the_tag_and_the_id(cli):
    _live(cli)
    res = cli.run("image", "snapshot", "tb", "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert (doc["tag"], doc["id"], doc["sourceMachine"], doc["sourceImage"]) == (
        "anon-pi/tb:latest", NEW_ID, "default", "localhost/anon-pi/pi:latest")
    assert doc["pinnedMachine"] is None and doc["snapshotAt"].endswith("Z")
    assert "Copying" not in res.stderr


def test_json_with_a_repin_keeps_stdout_one_document(cli):
    _live(cli)
    cli.configure(machine="work", image="old:1")
    res = cli.run("image", "snapshot", "tb", "--update-machine", "work", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["pinnedMachine"] == "work"
    assert 'anon-pi: re-pinned machine "work" image old:1 -> anon-pi/tb:latest.' in res.stderr


def test_an_id_netcage_did_not_print_is_null(cli):
    _live(cli)
    cli.can("commit", "something else\n")
    res = cli.run("image", "snapshot", "tb", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["id"] is None


def test_a_failure_off_a_terminal_still_quotes_the_kept_progress(cli):
    _live(cli)
    cli.can("commit", "", rc=125, err=COMMIT_ERR + "Error: writing blob: no space left\n")
    res = cli.run("image", "snapshot", "tb")
    assert res.returncode == 125 and res.stdout == ""
    assert res.stderr.splitlines()[-1] == ("anon-pi: netcage commit failed: Error: writing blob: "
                                           "no space left; image anon-pi/tb:latest NOT written.")
    assert "Copying blob" not in res.stderr


def test_on_a_terminal_the_progress_shows_and_the_id_does_not(cli):
    _live(cli)
    p = pexpect.spawn(str(BIN), ["image", "snapshot", "tb"], env=cli.env(), cwd=str(cli.tmp),
                      encoding="utf-8", dimensions=(40, 200), timeout=30)
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 0, p.before
    shown = p.before.replace("\r\n", "\n")
    assert f"Copying blob sha256:{'1' * 64}\n" in shown and "Storing signatures\n" in shown
    assert shown.endswith(RESULT)
    assert f"\n{NEW_ID}\n" not in shown  # the id line itself stays off the terminal


@pytest.mark.parametrize("out, want", [
    (f"{NEW_ID}\n", NEW_ID), (f"sha256:{NEW_ID}\n", NEW_ID), (f"noise\n{NEW_ID}\n\n", NEW_ID),
    ("", None), ("c0ffee\n", None), (f"{NEW_ID.upper()}\n", None), (f"{NEW_ID}x\n", None)])
def test_committed_id(out, want):
    assert committed_id(out) == want


def test_the_snapshot_help_names_every_label_the_commit_writes():
    """`image snapshot --help` says what the image will carry: every label the commit sets."""
    from anonpi_helpers.containers.snapshot_labels import commit_argv
    from anonpi_helpers.core.command_line import find
    from anonpi_helpers.core.help_pages import page

    argv = commit_argv("aaa111", "anon-pi/tb:latest", machine="default",
                       image="localhost/anon-pi/pi:latest", at="2026-07-05T09:05:07.000Z")
    labels = [a.removeprefix("LABEL ").split("=")[0] for a in argv if a.startswith("LABEL ")]
    text = " ".join(page(find(("image", "snapshot"))).split())
    assert [k for k in labels if k not in text] == []
    assert "netcage.run-id becomes `none`" in text
