"""One output discipline for every verb of the command table: the result on stdout and
nothing else (never an `anon-pi:` note), notes on stderr, nothing on stdout for an empty
listing or a verb that only changes something, one two-space JSON document for `--json`, and
`-q/--quiet` leaving stderr without a note. Table-driven: a verb added to the table without a
row here fails test_every_verb_has_a_row."""

import json

import pytest
from containers_support import BOX_REF, box_entry, listeners_json, ps_entry, ps_json, record_boxes
from data_verbs_support import make_machine
from harness_paths import BOX_LIST
from test_dry_run_everywhere import _box_running, _box_stopped, _homes, _snapshot

from anonpi_helpers.core.command_table import COMMANDS
from anonpi_helpers.core.jsonfmt import document

RESULT, NOTHING, JSON = "result", "nothing", "json"


def _plain(cli):
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)


def _empty(cli):
    """A workspace with nothing in it, and a store and `ps` with nothing either."""
    cli.can("podman-images", "[]")
    cli.can("ps", "[]")


def _machine(cli):
    _plain(cli)
    make_machine(cli.ws, "box", image="localhost/anon-pi/pi:latest")


def _folder(cli):
    """A folder of the user's own beside the workspace, worked on alone (`anon-pi ./repo`)."""
    _plain(cli)
    (cli.tmp / "repo").mkdir()


def _ports(cli):
    _plain(cli)
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/recon", name="recon_1")))
    cli.can("ports-aaa111", listeners_json(("0.0.0.0", 5173, False)))
    cli.can("forward", "")


def _commit(cli):
    _snapshot(cli)
    cli.can("commit", "sha256:" + "e" * 64 + "\n")


def _list_boxes(cli):
    _plain(cli)
    record_boxes(cli.ws, "dev")
    cli.can("ps", ps_json(box_entry(BOX_REF, "dev")))


# (command, argv, setup, what stdout holds, whether stderr has notes (without -q), exit)
ROWS = [
    ("launch", ["--dry-run", "recon", "-p", "hi"], _plain, RESULT, False, 0),
    ("launch", ["--dry-run", "./repo", "-p", "hi"], _folder, RESULT, True, 0),
    ("init", ["init"], _plain, NOTHING, False, 1),  # needs a terminal: refused, stdout empty
    ("machine create", ["machine", "create", "new", "--image", "img:1", "--force"], _plain,
     NOTHING, True, 0),
    ("machine list", ["machine", "list"], _machine, RESULT, False, 0),
    ("machine list", ["machine", "list"], _empty, NOTHING, True, 0),
    ("machine list", ["machine", "list", "--json"], _machine, JSON, False, 0),
    ("machine set-image", ["machine", "set-image", "box", "img:2", "--force"], _machine, NOTHING,
     True, 0),
    ("machine rm", ["machine", "rm", "box", "--yes"], _machine, NOTHING, True, 0),
    ("machine rm", ["machine", "rm", "box", "--dry-run"], _machine, RESULT, False, 0),
    ("image snapshot", ["image", "snapshot", "tb", "-m", "default"], _commit, NOTHING, True, 0),
    ("image snapshot", ["image", "snapshot", "tb", "--json"], _commit, JSON, True, 0),
    ("image snapshot", ["image", "snapshot", "tb", "--dry-run"], _snapshot, RESULT, False, 0),
    ("image list", ["image", "list"], _empty, NOTHING, True, 0),
    ("image list", ["image", "list", "--json"], _empty, JSON, False, 0),
    ("container create", ["container", "create", "web", "recon", "--dry-run"], _box_stopped,
     RESULT, False, 0),
    ("container enter", ["container", "enter", "dev", "--dry-run"], _box_stopped, RESULT, False,
     0),
    ("container list", ["container", "list"], _list_boxes, RESULT, False, 0),
    ("container list", ["container", "list"], _empty, NOTHING, True, 0),
    ("container list", ["container", "list", "--json"], _list_boxes, JSON, False, 0),
    ("container rm", ["container", "rm", "dev", "--yes"], _box_running, NOTHING, True, 0),
    ("forward", ["forward", "recon", "--port", "5173"], _ports, NOTHING, False, 0),
    ("ports", ["ports", "recon"], _ports, RESULT, False, 0),
    ("ports", ["ports", "recon", "--json"], _ports, JSON, False, 0),
    ("egress", ["egress"], _plain, NOTHING, True, 0),
    ("egress", ["egress", "--json"], _plain, JSON, False, 0),
    ("--delete-home", ["--delete-home", "box", "--yes"], _homes, NOTHING, True, 0),
    ("--delete-home", ["--delete-home", "box", "--dry-run"], _homes, RESULT, False, 0),
    ("--delete-project", ["--delete-project", "recon", "--yes"], _homes, NOTHING, True, 0),
    ("doctor", ["doctor", "--json"], _plain, JSON, False, None),
    ("doctor", ["doctor", "--here", "--json"], _folder, JSON, False, None),
    ("completions", ["completions", "bash"], _plain, RESULT, False, 0),
    ("help", ["help", "config", "set"], _plain, RESULT, False, 0),
    ("version", ["version"], _plain, RESULT, False, 0),
    ("config show", ["config", "show"], _plain, RESULT, False, 0),
    ("config show", ["config", "show", "--json"], _plain, JSON, False, 0),
    ("config get", ["config", "get", "isolation"], _plain, RESULT, False, 0),
    ("config set", ["config", "set", "isolation", "machine"], _plain, NOTHING, True, 0),
    ("config set", ["config", "set", "isolation", "machine", "--dry-run"], _plain, RESULT, False,
     0),
    ("config unset", ["config", "unset", "llm"], _plain, NOTHING, True, 0),
    ("config path", ["config", "path"], _plain, RESULT, False, 0),
]


def test_every_verb_has_a_row():
    assert {c.name for c in COMMANDS} == {r[0] for r in ROWS}


def _notes(stderr: str) -> list[str]:
    """stderr's lines that are notes: neither a warning nor the line of an error."""
    return [line for line in stderr.splitlines()
            if line.startswith("anon-pi: ") and not line.startswith("anon-pi: warning")]


@pytest.mark.parametrize("quiet", [False, True], ids=["", "quiet"])
@pytest.mark.parametrize("row", ROWS, ids=[" ".join(r[1]) for r in ROWS])
def test_results_on_stdout_notes_on_stderr(cli, row, quiet):
    _, argv, setup, out, notes, code = row
    setup(cli)
    res = cli.run(*_with_quiet(argv, quiet))
    if code is not None:
        assert res.returncode == code, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    assert not [line for line in res.stdout.splitlines() if line.startswith("anon-pi:")], \
        res.stdout
    if out == NOTHING:
        assert res.stdout == ""
    elif out == JSON:
        doc = json.loads(res.stdout)  # exactly one document
        assert res.stdout == document(doc)  # two-space indent, one trailing newline
    else:
        assert res.stdout.strip()
    if code:
        return  # an error's line is on stderr whatever -q says
    if quiet:
        assert _notes(res.stderr) == [], res.stderr
    elif notes:
        assert _notes(res.stderr), res.stderr


def _with_quiet(argv: list[str], quiet: bool) -> list[str]:
    """-q goes after the verb's words (`help` reads its words as topics: it gets none)."""
    if not quiet or argv[0] in ("help", "version"):
        return argv
    return [*argv, "-q"] if "--" not in argv else argv


def test_quiet_before_the_verb_and_on_a_launch_line(cli):
    _plain(cli)
    res = cli.run("-q", "machine", "create", "b2", "--image", "img:1", "--force")
    assert res.returncode == 0 and res.stdout == "" and res.stderr == ""
    res = cli.run("--dry-run", "recon", "-q", "-p", "hi")
    assert res.returncode == 0, res.stderr
    assert " pi -p hi\n" in res.stdout and "-q" not in res.stdout


def test_an_empty_listing_says_so_on_stderr_and_exits_0(cli):
    _empty(cli)
    res = cli.run("machine", "list")
    assert (res.returncode, res.stdout) == (0, "")
    assert res.stderr.startswith("anon-pi: no machines yet")
    assert cli.run("machine", "list", "--json").stdout == "[]\n"


def test_image_refs_are_shown_without_localhost_by_every_listing(cli):
    _list_boxes(cli)
    make_machine(cli.ws, "box", image="localhost/anon-pi/pi:latest")
    machines = cli.run("machine", "list").stdout
    assert "box\tanon-pi/pi:latest\n" in machines
    assert json.loads(cli.run("machine", "list", "--json").stdout)[0]["image"] == \
        "anon-pi/pi:latest"
    assert cli.run("container", "list").stdout == \
        "dev\tdefault\t/projects/recon\tanon-pi/pi:latest\tstopped\n"
    assert cli.run("config", "get", "image", "-m", "box").stdout == "anon-pi/pi:latest\n"
    # the file keeps what was written
    assert json.loads((cli.ws / "machines/box/machine.json").read_text())["image"] == \
        "localhost/anon-pi/pi:latest"
    assert BOX_LIST in cli.calls()


@pytest.mark.parametrize("env, flag, red", [
    ({}, [], False),  # a pipe: no colour
    ({"FORCE_COLOR": "1"}, [], True),
    ({"CLICOLOR_FORCE": "1"}, [], True),
    ({"FORCE_COLOR": "0"}, [], False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
    ({"NO_COLOR": "1"}, ["--color=always"], True),
    ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
])
def test_colour_follows_the_flag_then_the_conventions(cli, env, flag, red):
    env = {"NO_COLOR": "", **env}
    res = cli.run("config", "get", "proxy", *flag, **env)  # unset: an error line
    assert res.returncode == 1
    assert res.stderr.startswith("\x1b[1;31manon-pi:\x1b[0m ") is red, res.stderr


def test_a_bad_color_value_is_a_usage_error(cli):
    res = cli.run("config", "show", "--color=sometimes")
    assert res.returncode == 2
    assert res.stderr.startswith("anon-pi: --color takes auto | always | never")
