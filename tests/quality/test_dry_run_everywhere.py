"""`--dry-run` anywhere on a line that would run or change something prints what would happen
and does nothing: exit 0, the workspace and the caches byte-identical, and netcage asked only
what it is asked to look (its version, `ps`, `inspect`), never to run, start, commit or remove.
"""

import json

import pytest
from containers_support import BOX_REF, PS, box_entry, ps_entry, ps_json, record_boxes
from data_verbs_support import make_machine
from launch_support import no_traceback
from tree_digest import tree_digest

from anonpi_helpers.core.identity import Identity, encode

LOOKS = {"--version", "ps", "inspect"}


def _boxes(cli, state):
    """Box "dev", as `container create` recorded it and netcage lists it."""
    record_boxes(cli.ws, "dev")
    key = encode(Identity("default", f"{cli.ws}/projects", "", "/projects/recon"))
    entry = box_entry(BOX_REF, "dev", state=state)
    entry["Labels"]["anon-pi.key"] = key
    cli.can("ps", ps_json(entry))


def _running(cli):
    key = encode(Identity("default", f"{cli.ws}/projects", "", "/projects/recon"))
    cli.can("ps", json.dumps([ps_entry("aaa111", labels={"anon-pi.key": key,
                                                         "netcage.managed": "true"})]))
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")


def _launch(cli):
    cli.configure()


def _box_stopped(cli):
    cli.configure()
    _boxes(cli, "exited")


def _box_running(cli):
    cli.configure()
    _boxes(cli, "running")


def _homes(cli):
    cli.configure()
    make_machine(cli.ws, "box", slugs=("--projects-recon--",))
    make_machine(cli.ws, "default", slugs=("--projects-recon--",))
    (cli.ws / "projects" / "recon").mkdir(parents=True)


def _snapshot(cli):
    cli.configure()
    _running(cli)


def _caches(cli) -> dict:
    """HOME's files (the completion caches among them), but for netcage's version answer:
    asking netcage its version is a look, and remembering it is that probe's own business."""
    return {k: v for k, v in tree_digest(cli.home).items()
            if k not in (".cache", ".cache/anon-pi") and "netcage-version" not in k}


CASES = [
    # (setup, argv with --dry-run somewhere, what stdout says)
    (_launch, ["--dry-run", "recon", "-p", "hi"], ["netcage run ", "-w /projects/recon "]),
    (_launch, ["recon", "-p", "hi", "--dry-run"], ["netcage run ", " pi -p hi\n"]),
    (_launch, ["--shell", "--dry-run"], ["netcage run ", "exec bash"]),
    (_box_stopped, ["container", "create", "web", "recon", "--dry-run"],
     ["netcage run ", "--label anon-pi.container=web "]),
    (_box_stopped, ["--dry-run", "container", "create", "web", "--shell"],
     ["netcage run ", "exec bash"]),
    (_box_stopped, ["container", "enter", "dev", "--dry-run"],
     [(f"netcage start --proxy {{proxy}} --allow 192.168.1.50:8080 -it "
      f"{BOX_REF}\n")]),
    (_box_running, ["container", "rm", "--dry-run", "dev"],
     [f"netcage rm {BOX_REF}\n", ('would remove box "dev" (running: what runs inside would '
                                 "end)\n")]),
    (_homes, ["--delete-home", "box", "--dry-run"],
     ['would remove {ws}/machines/box/home (machine "box"\'s home)\n']),
    (_homes, ["--dry-run", "--delete-home"],
     ['would remove {ws}/machines/default/home (machine "default"\'s home)\n']),
    (_homes, ["--delete-project", "--dry-run", "recon"],
     ['would remove {ws}/projects/recon (project "recon"\'s folder)\n',
      ("would remove {ws}/machines/box/home/.pi/agent/sessions/--projects-recon-- (its "
      'conversations on machine "box")\n'),
      ("would remove {ws}/machines/default/home/.pi/agent/sessions/--projects-recon-- (its "
      'conversations on machine "default")\n')]),
    (_homes, ["machine", "rm", "box", "--dry-run"],
     ['would remove {ws}/machines/box (machine "box": its pin, home and conversations)\n']),
    (_snapshot, ["image", "snapshot", "tb", "--dry-run"],
     ["netcage commit -c 'LABEL anon-pi.source-machine=default' ",
      " aaa111 anon-pi/tb:latest\nwould make image anon-pi/tb:latest\n"]),
    (_snapshot, ["--dry-run", "image", "snapshot", "tb", "--create-machine", "tb2"],
     ['would create machine "tb2" at {ws}/machines/tb2, pinned to anon-pi/tb:latest\n']),
    (_snapshot, ["image", "snapshot", "tb", "--update-machine", "default", "--dry-run"],
     ['would re-pin machine "default" to anon-pi/tb:latest\n']),
]


@pytest.mark.parametrize("setup, argv, says", CASES, ids=[" ".join(c[1]) for c in CASES])
def test_dry_run_does_nothing_and_says_what_it_would(cli, setup, argv, says):
    setup(cli)
    before = (tree_digest(cli.ws), _caches(cli))
    res = cli.run(*argv)
    assert res.returncode == 0, res.stderr
    no_traceback(res)
    for words in says:
        assert words.format(ws=cli.ws, proxy=cli.proxy) in res.stdout, res.stdout
    assert (tree_digest(cli.ws), _caches(cli)) == before
    assert {call[0] for call in cli.calls()} <= LOOKS, cli.calls()


def test_without_dry_run_the_same_lines_do_change_things(cli):
    """The counterpart: the stand-in sees the removal and the workspace changes."""
    _homes(cli)
    assert cli.run("machine", "rm", "box", "--yes").returncode == 0
    assert not (cli.ws / "machines" / "box").exists()
    _box_running(cli)
    assert cli.run("container", "rm", "dev", "--yes").returncode == 0
    assert ["rm", BOX_REF] in cli.calls()


def test_ps_is_asked_the_usual_way(cli):
    _snapshot(cli)
    cli.run("image", "snapshot", "tb", "--dry-run")
    assert PS in cli.calls()
