"""A box is what anon-pi recorded when it made it, never a label alone: every container inherits
its image's labels, so a plain launch of an image snapshotted from a box (or of a base image
labelled by its author) carries `anon-pi.container=<box>`. Such a container is never listed,
entered, removed or named as the box."""

import json
import os

from containers_support import (
    BOX_REF,
    box_entry,
    box_token,
    forwarding,
    ps_entry,
    ps_json,
    record_boxes,
)

PLAIN = "c" * 64  # the user's plain session, launched from a labelled image


def _plain_labelled(token=None):
    """A running plain launch whose image carried the box labels (token: what the image had)."""
    entry = ps_entry(PLAIN, state="running", cwd="/projects/alpha", name="netcage-run-9-tool")
    entry["Labels"].update({"anon-pi.container": "dev", "netcage.role": "tool",
                            "netcage.run-id": "9"})
    if token is not None:
        entry["Labels"]["anon-pi.container-token"] = token
    return entry


def test_a_labelled_plain_launch_is_not_the_box_and_rm_never_ends_it(cli):
    cli.configure()
    cli.can("ps", ps_json(_plain_labelled()))
    res = cli.run("container", "list")
    assert res.returncode == 0 and res.stdout.startswith("anon-pi: no boxes yet")
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
    assert res.returncode == 0 and res.stdout.startswith("anon-pi: no boxes yet"), res.stderr


def test_a_linked_records_folder_is_not_read(cli, tmp_path):
    cli.configure()
    real = tmp_path / "real-boxes"
    record_boxes(tmp_path / "holder", "dev")
    (tmp_path / "holder" / "boxes").rename(real)
    (cli.ws / "boxes").symlink_to(real)
    cli.can("ps", ps_json(box_entry(BOX_REF, "dev")))
    assert cli.run("container", "list").stdout.startswith("anon-pi: no boxes yet")
