"""`image snapshot <name> --update-machine <m>` commits, then re-pins the EXISTING
machine <m> to the new image in the same step (its home untouched)."""

import json

import pytest
from command_line_support import parsed
from containers_support import ps_entry, ps_json
from tree_digest import tree_digest

from anonpi_helpers.core.errors import AnonPiError

ONE = ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1"))


def test_grammar(cli):
    line = parsed("image", "snapshot", "tb", "--update-machine", "work")
    assert (line.name, line.update_machine, line.create_machine) == ("tb", "work", None)
    res = cli.run("image", "snapshot", "tb", "--create-machine", "a", "--update-machine", "b")
    assert res.returncode == 2 and cli.calls() == []
    assert "--create-machine and --update-machine cannot be combined" in res.stderr
    with pytest.raises(AnonPiError, match="invalid machine name"):
        parsed("image", "snapshot", "tb", "--update-machine", "../x")
    with pytest.raises(AnonPiError, match="needs a machine name"):
        parsed("image", "snapshot", "tb", "--update-machine")


def _seeded(cli, machine, image="localhost/anon-pi/pi:latest", extra=None):
    cli.configure(image=image, machine=machine)
    path = cli.ws / "machines" / machine / "machine.json"
    if extra:
        cli.write_json(path, {"image": image, **extra})
    agent = cli.ws / "machines" / machine / "home" / ".pi" / "agent"
    agent.mkdir(parents=True)
    (agent / ".anon-pi-seed").write_text("1\n")
    (agent / "settings.json").write_text("{}\n")
    return cli.ws / "machines" / machine / "home"


def test_update_another_machine_repins_and_warns(cli):
    cli.configure()
    home = _seeded(cli, "work", image="old:1", extra={"projects": "/srv/p", "mine": 1})
    before = tree_digest(home)
    cli.can("ps", ONE)
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")
    res = cli.run("image", "snapshot", "tb", "--update-machine", "work")
    assert res.returncode == 0, res.stderr
    assert json.loads((cli.ws / "machines" / "work" / "machine.json").read_text()) == {
        "image": "anon-pi/tb:latest", "projects": "/srv/p", "mine": 1}
    assert tree_digest(home) == before
    assert res.stdout == ""  # podman's image id stays off anon-pi's stdout; notes on stderr
    assert ('anon-pi: snapshotted alpha_1 into image anon-pi/tb:latest (from machine "default").\n'
            'anon-pi: re-pinned machine "work" image old:1 -> anon-pi/tb:latest.\n') in res.stderr
    assert "WARNING: the home was NOT reseeded" in res.stderr
    assert [c[0] for c in cli.run_calls()] == ["ps", "inspect", "commit"]


def test_update_the_source_machine_prints_no_warning(cli):
    home = _seeded(cli, "default")
    before = tree_digest(home)
    cli.can("ps", ONE)
    res = cli.run("image", "snapshot", "tb", "--update-machine", "default")
    assert res.returncode == 0, res.stderr
    assert json.loads((cli.ws / "machines" / "default" / "machine.json").read_text()) == {
        "image": "anon-pi/tb:latest"}
    assert "WARNING" not in res.stderr and "not seeded" not in res.stderr
    assert tree_digest(home) == before


def test_a_missing_machine_is_refused_before_netcage(cli):
    cli.configure()
    before = tree_digest(cli.ws)
    res = cli.run("image", "snapshot", "tb", "--update-machine", "nope")
    assert res.returncode == 1 and cli.calls() == []
    assert res.stderr.splitlines() == [
        f'anon-pi: no machine "nope" to update ({cli.ws}/machines/nope).',
        ("  hint: make it from the snapshot instead: `anon-pi image snapshot tb "
         "--create-machine nope`")]
    assert tree_digest(cli.ws) == before


@pytest.mark.parametrize("flag, machine, unreadable, words", [
    ("--create-machine", "default", False, "`anon-pi image snapshot tb --update-machine default`"),
    ("--update-machine", "work", True, "machine.json"),
], ids=["existing create target hints at update", "unreadable update target"])
def test_a_target_machine_is_checked_before_netcage(cli, flag, machine, unreadable, words):
    cli.configure()
    if unreadable:
        bad = cli.ws / "machines" / machine / "machine.json"
        bad.parent.mkdir(parents=True)
        bad.write_text("[1]\n")
    res = cli.run("image", "snapshot", "tb", flag, machine)
    assert res.returncode == 1 and cli.calls() == []
    assert words in res.stderr


def test_a_failed_commit_repins_nothing(cli):
    cli.configure()
    _seeded(cli, "work", image="old:1")
    cli.can("ps", ONE)
    res = cli.run("image", "snapshot", "tb", "--update-machine", "work", FAKE_NETCAGE_RC="125")
    assert res.returncode == 125
    assert json.loads((cli.ws / "machines" / "work" / "machine.json").read_text()) == {
        "image": "old:1"}
