"""A box is what anon-pi recorded when it made it, never a label alone: every container inherits
its image's labels, so a plain launch of an image snapshotted from a box (or of a base image
labelled by its author) carries `anon-pi.container=<box>`. Such a container is never listed,
entered, removed or named as the box."""

import json
import os

import pytest
from containers_support import (
    BOX_REF,
    box_entry,
    box_token,
    forwarding,
    ps_entry,
    ps_json,
    record_boxes,
)
from harness_paths import ROOT
from menu_support import finish, spawn
from tree_digest import tree_digest

PLAIN = "c" * 64  # the user's plain session, launched from a labelled image
OLD = "a" * 64  # a box made by an anon-pi older than the records
STRAY_NOTE = ('anon-pi: a container is labelled as a box but not recorded in this workspace '
              '(made by an older anon-pi, or labelled by its image): "{name}" (aaaaaaaaaaaa); '
              "anon-pi never lists, enters or removes them as boxes; remove one with "
              "`netcage rm <id>`\n")


def _plain_labelled(token=None):
    """A running plain launch whose image carried the box labels (token: what the image had);
    it removes itself on exit (`--rm`), as every plain launch does."""
    entry = ps_entry(PLAIN, state="running", cwd="/projects/alpha", name="netcage-run-9-tool")
    entry["AutoRemove"] = True
    entry["Labels"].update({"anon-pi.container": "dev", "netcage.role": "tool",
                            "netcage.run-id": "9"})
    if token is not None:
        entry["Labels"]["anon-pi.container-token"] = token
    return entry


def test_a_labelled_plain_launch_is_not_the_box_and_rm_never_ends_it(cli):
    cli.configure()
    cli.can("ps", ps_json(_plain_labelled()))
    res = cli.run("container", "list")
    assert res.returncode == 0 and res.stdout == ""
    # a session of the user's own, never offered for `netcage rm`: only the empty listing's note
    assert res.stderr.startswith("anon-pi: no boxes yet") and len(res.stderr.splitlines()) == 1
    res = cli.run("container", "rm", "dev", "--yes")
    assert res.returncode == 1 and res.stderr.startswith('anon-pi: no box "dev".')
    assert [c for c in cli.run_calls() if c[0] == "rm"] == []


def test_beside_the_real_box_only_the_real_box_is_listed_and_removed(cli):
    """A snapshot of box dev taken before its labels were blanked, launched plainly: the real,
    stopped box and the user's running session both say `anon-pi.container=dev`."""
    cli.configure()
    record_boxes(cli.ws, "dev")
    for inherited in (None, "", box_token("web")):
        cli.can("ps", ps_json(box_entry(BOX_REF, "dev"), _plain_labelled(inherited)))
        [row] = json.loads(cli.run("container", "list", "--json").stdout)
        assert (row["id"], row["state"]) == (BOX_REF, "stopped")
    res = cli.run("container", "rm", "dev", "--yes")
    assert res.returncode == 0, res.stderr
    assert [c for c in cli.run_calls() if c[0] == "rm"] == [["rm", BOX_REF]]
    assert not (cli.ws / "boxes" / "dev.json").exists()  # rm forgets the record too


def test_forward_names_the_project_not_a_box_it_is_not(cli):
    cli.configure()
    cli.can("ps", ps_json(_plain_labelled(box_token("dev"))))  # a token, but none recorded
    cli.can("forward", forwarding(PLAIN, "3001"))
    res = cli.run("forward", "-p", "3001")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("anon-pi: forwarding http://127.0.0.1:3001 -> default / alpha, jail "
                          "port 3001 (Ctrl-C to stop)\n")


def test_a_record_that_is_no_regular_file_or_no_token_is_no_record(cli, tmp_path):
    cli.configure()
    folder = cli.ws / "boxes"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"token": box_token("dev")}))
    (folder / "dev.json").symlink_to(elsewhere)
    (folder / "web.json").write_text('{"token": "not hex"}')
    os.mkfifo(folder / "api.json")  # never blocks the listing
    (folder / "x.json").write_text("[")
    cli.can("ps", ps_json(*(box_entry(r * 64, n) for r, n in
                            (("a", "dev"), ("b", "web"), ("d", "api"), ("e", "x")))))
    res = cli.run("container", "list")
    assert res.returncode == 0 and res.stdout == "", res.stdout
    assert "anon-pi: no boxes yet" in res.stderr


def test_a_linked_records_folder_is_not_read(cli, tmp_path):
    cli.configure()
    real = tmp_path / "real-boxes"
    record_boxes(tmp_path / "holder", "dev")
    (tmp_path / "holder" / "boxes").rename(real)
    (cli.ws / "boxes").symlink_to(real)
    cli.can("ps", ps_json(box_entry(BOX_REF, "dev")))
    res = cli.run("container", "list")
    assert res.stdout == "" and "anon-pi: no boxes yet" in res.stderr


def _old_box(name: str) -> dict:
    """What an anon-pi before the records made: the name label, no token, no record."""
    entry = box_entry(OLD, name)
    del entry["Labels"]["anon-pi.container-token"]
    return entry


def test_a_box_made_before_records_is_named_but_never_listed_or_removed(cli):
    cli.configure()
    cli.can("ps", ps_json(_old_box("old")))
    res = cli.run("container", "list")
    assert res.returncode == 0 and res.stdout == ""
    assert res.stderr.startswith(STRAY_NOTE.format(name="old") + "anon-pi: no boxes yet")
    res = cli.run("container", "list", "--json")
    assert (res.stdout, res.stderr) == ("[]\n", STRAY_NOTE.format(name="old"))
    res = cli.run("container", "rm", "old", "--yes")
    assert res.returncode == 1 and res.stderr == (
        'anon-pi: no box "old": a container labelled as box "old" (aaaaaaaaaaaa) exists without '
        "a record in this workspace (made by an older anon-pi?); anon-pi never enters or "
        "removes it as a box.\n  hint: remove it with `netcage rm aaaaaaaaaaaa`\n")
    assert [c for c in cli.run_calls() if c[0] == "rm"] == []


def test_create_never_makes_a_second_box_of_a_name_an_older_box_uses(cli):
    cli.configure()
    cli.can("ps", ps_json(_old_box("dev")))
    before = tree_digest(cli.ws)
    out, code = finish(spawn(cli, "container", "create", "dev"))
    assert code == 1 and cli.run_calls() == []
    assert ('anon-pi: a container labelled as box "dev" (aaaaaaaaaaaa) exists without a record '
            "in this workspace (made by an older anon-pi?); create never makes a second box of "
            "that name.") in " ".join(out.split())
    assert "hint: remove it with `netcage rm aaaaaaaaaaaa`, or pick another name" in out
    assert tree_digest(cli.ws) == before


def test_the_readme_upgrade_section_says_what_becomes_of_older_boxes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    upgrade = readme.split("\n## Upgrade\n", 1)[1].split("\n## ", 1)[0]
    assert "`container list` names them on stderr" in upgrade
    assert "remove each with `netcage rm <id>`" in upgrade


def _ws(tmp_path):
    from anonpi_helpers.edges.workspace import Workspace

    return Workspace(tmp_path / "ws")


def _never_used():
    pass


def test_a_left_over_record_is_taken_over_unless_its_box_exists(tmp_path):
    """A record no create holds and no container carries the token of (a create that failed
    before records were released, a box removed with `netcage rm`) is replaced; one whose box
    exists is refused, and stays as it was."""
    from anonpi_helpers.core.errors import AnonPiError
    from anonpi_helpers.edges.box_records import claim, recorded

    ws = _ws(tmp_path)
    record_boxes(ws.root, "dev")
    held = claim(ws, "dev", box_token("web"), _never_used)
    held.close()
    assert recorded(ws) == {"dev": box_token("web")}

    def used():
        raise AnonPiError('box "dev" already exists')

    with pytest.raises(AnonPiError, match='box "dev" already exists'):
        claim(ws, "dev", box_token("zed"), used)
    assert recorded(ws) == {"dev": box_token("web")}
    assert sorted(os.listdir(ws.root / "boxes")) == ["dev.json"]  # no temp file left


def test_a_release_removes_only_the_record_this_create_wrote(tmp_path):
    from anonpi_helpers.edges.box_records import claim, recorded

    ws = _ws(tmp_path)
    held = claim(ws, "dev", box_token("dev"), _never_used)
    assert (ws.root / "boxes" / "dev.json").stat().st_mode & 0o777 == 0o600
    (ws.root / "boxes" / "dev.json").unlink()  # `container rm`, then a create of another run
    record_boxes(ws.root, "dev", dev=box_token("web"))
    held.release()
    held.close()
    assert recorded(ws) == {"dev": box_token("web")}
    held = claim(ws, "web", box_token("web"), _never_used)
    held.release()
    held.close()
    assert "web" not in recorded(ws)
