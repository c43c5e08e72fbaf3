"""The bad-input corpus (bad names, ports, config files, netcage answers and session files),
through the real bin/anon-pi and a fake netcage.

Each row: the exit status, the first stderr line (one `anon-pi:` message), no traceback,
and a byte-identical workspace afterwards. A few rows are documented graceful fallbacks
(exit 0). The launch path's own, deeper corpus is tests/launch/test_launch_bad_input.py.
"""

import json
import os

import pytest
from tree_digest import tree_digest

from anonpi_helpers.core.identity import Identity, encode
from anonpi_helpers.core.shown import shown

NAME_HINT = "a name is 1-128 letters"
BAD_NAMES = [
    ("slash", "a/b", "it contains a path separator"),
    ("dotdot", "..", "it starts with '.'"),
    ("space", "a b", "it contains whitespace"),
    ("rtl-override", "a\u202eb", 'it contains "\u202e"'),
    ("zero-width", "a\u200bb", 'it contains "\u200b"'),
    ("combining", "e\u0301", 'it contains "\u0301"'),
    ("empty", "", "it is empty"),
    ("too-long", "x" * 129, "it is longer than 128 characters"),
]
# (verb argv with {} for the name, the kind the error names)
NAME_VERBS = [
    (["--dry-run", "{}", "-p", "x"], "project"),
    (["-m", "{}", "--dry-run", "p", "-p", "x"], "machine"),
    (["machine", "create", "{}"], "machine"),
    (["machine", "set-image", "{}", "img:1"], "machine"),
    (["machine", "rm", "{}", "--yes"], "machine"),
    (["--delete-home", "{}", "--yes"], "machine"),
    (["--delete-project", "{}", "--yes"], "project"),
    (["ports", "{}"], "project"),
    (["forward", "{}", "--port", "3000"], "project"),
    (["image", "snapshot", "{}"], "image"),
    (["image", "snapshot", "tb", "--update-machine", "{}"], "machine"),
    (["container", "create", "{}"], "box"),
    (["container", "create", "dev", "{}"], "project"),
    (["container", "enter", "{}"], "box"),
    (["container", "rm", "{}", "--yes"], "box"),
]

# where a launch or a box may start, a word holding `/` (or `..`) is a host folder's path
PATHS = ("a/b", "..")
WHERE = (NAME_VERBS[0][0], NAME_VERBS[12][0])


def state(cli) -> dict:
    """The workspace, HOME, and any projects root or --mount folder the tests put under the
    test folder (all but the fakes' call logs and anon-pi's caches: netcage version, images)."""
    return {k: v for k, v in tree_digest(cli.tmp).items()
            if k not in ("netcage.log", "podman.log") and not k.startswith("home/.cache")}


def check(cli, argv, code, first, cwd=None, **env):
    """Run anon-pi; assert status, the first `anon-pi:` line, no traceback, nothing changed."""
    before = state(cli)
    res = cli.run(*argv, cwd=cwd, **env)
    assert "Traceback" not in res.stderr + res.stdout
    assert res.returncode == code, (res.returncode, res.stderr)
    if first is not None:
        assert res.stderr.splitlines()[0].startswith("anon-pi: " + first), res.stderr
    assert state(cli) == before
    return res


@pytest.mark.parametrize("argv, kind", NAME_VERBS, ids=lambda v: v[0] if isinstance(v, list)
                         else v)
@pytest.mark.parametrize("_id, name, reason", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
def test_bad_names_everywhere(cli, argv, kind, _id, name, reason):
    cli.configure()
    args = [a.replace("{}", name) for a in argv]
    if name in PATHS and argv in WHERE:  # a folder's path there: it must exist
        (cli.tmp / "sub").mkdir()
        res = check(cli, args, 1, None, cwd=cli.tmp / "sub")
        assert res.stderr.splitlines()[0] in (
            f"anon-pi: {cli.tmp}/sub/a/b does not exist; there is no folder to work on.",
            f"anon-pi: {cli.tmp} holds your home folder; refusing to mount it.")
        assert cli.run_calls() == []
        return
    res = check(cli, args, 1, f'invalid {kind} name "{shown(name)}": ')  # a bidi override
    if kind != "image":  # or a zero-width space is spelled out, never printed
        assert shown(reason) in res.stderr.splitlines()[0]
        assert NAME_HINT in res.stderr
    assert cli.run_calls() == []


@pytest.mark.parametrize("port, words", [
    ("0", "a port is a number from 1 to 65535"),
    ("65536", "a port is a number from 1 to 65535"),
    ("a:b", "a port is a number from 1 to 65535"),
    ("1:2:3", "too many colons"),
    ("", "a port is a number from 1 to 65535"),
    ("8080:0", "a port is a number from 1 to 65535"),
])
def test_bad_forward_ports(cli, port, words):
    cli.configure()
    if not port:  # no port at all: the command line itself is wrong
        check(cli, ["forward", "p", "--port", port], 2, "--port needs a non-blank value.")
        return
    res = check(cli, ["forward", "p", "--port", port], 1, f'invalid --port "{port}": {words}')
    assert cli.calls() == []
    assert "hint: use <jail> or <host>:<jail>" in res.stderr


CORRUPT = ["{not json", "[1, 2]", '"text"', "null", "\xff\xfe"]
# the verbs that need config.json (ports/forward/snapshot scan every machine without -m)
CONFIG_VERBS = [["--dry-run", "p", "-p", "x"], ["p", "-p", "x"], ["--session", "abc"],
                ["--delete-project", "p", "--yes"], ["--delete-home", "--yes"]]


MACHINE_VERBS = [["--dry-run", "p", "-p", "x"], ["p", "-p", "x"],
                 ["machine", "set-image", "default", "img:2"]]
CORRUPTED = ([("config.json", argv) for argv in CONFIG_VERBS]
             + [("machines/default/machine.json", argv) for argv in MACHINE_VERBS])


@pytest.mark.parametrize("text", CORRUPT)
@pytest.mark.parametrize("file, argv", CORRUPTED, ids=[f"{f}: {' '.join(a)}" for f, a in CORRUPTED])
def test_a_corrupt_json_file_is_named(cli, file, argv, text):
    cli.configure()
    (cli.ws / file).write_bytes(text.encode("latin-1"))
    check(cli, argv, 1, f"{cli.ws}/{file} is not a valid JSON object")
    assert cli.run_calls() == []


def test_corrupt_machine_json_row_in_machine_list(cli):
    cli.configure()
    (cli.ws / "machines/default/machine.json").write_text("[")
    res = check(cli, ["machine", "list"], 0, None)
    assert "(invalid machine.json)" in res.stdout


# the launch's own row is in tests/launch/test_launch_bad_input.py (test_netcage_missing)
NETCAGE_VERBS = [["ports"], ["forward", "--port", "3000"], ["image", "list"],
                 ["image", "snapshot", "snap"]]


@pytest.mark.parametrize("argv", NETCAGE_VERBS, ids=" ".join)
def test_netcage_missing(cli, argv):
    cli.configure()
    cli.no_netcage()
    res = check(cli, argv, 1, "`netcage` not found on PATH.")
    assert "hint: anon-pi needs netcage" in res.stderr


def running(cli, projects=("p",)) -> str:
    """`ps` output: one running jail of machine `default` per project."""
    root = str(cli.ws / "projects")
    return json.dumps([{
        "Id": f"{i:064x}", "Names": [f"jail_{i}"], "State": "running",
        "Labels": {"netcage.managed": "true",
                   "anon-pi.key": encode(Identity("default", root, "", f"/projects/{p}"))}}
        for i, p in enumerate(projects)])


PS_VERBS = [["ports", "p"], ["forward", "p", "--port", "3000"], ["image", "snapshot", "snap"]]


@pytest.mark.parametrize("argv", PS_VERBS, ids=" ".join)
@pytest.mark.parametrize("out, rc, first", [
    ("junk", 0, "`netcage ps` printed something that is not a JSON list"),
    ("{}", 0, "`netcage ps` printed something that is not a JSON list"),
    ("", 0, "no running anon-pi container"),  # podman prints `[]`; nothing means none
    ("[]", 0, "no running anon-pi container"),
    ("", 125, "`netcage ps` failed (exit 125)"),
], ids=["junk", "object", "empty", "no-containers", "exit-125"])
def test_ps_answers(cli, argv, out, rc, first):
    cli.configure()
    cli.can("ps", out=out, rc=rc, err="Error: boom\n" if rc else "")
    check(cli, argv, 1, first)
    assert [c[0] for c in cli.run_calls()] == ["ps"]


@pytest.mark.parametrize("out, rc, first", [
    ("junk", 0, "`netcage ports` printed something that is not a JSON list for jail_0"),
    ("{}", 0, "`netcage ports` printed something that is not a JSON list for jail_0"),
    ("", 2, "`netcage ports` failed for jail_0 (exit 2)"),
], ids=["junk", "object", "exit-2"])
def test_ports_answers(cli, out, rc, first):
    cli.configure()
    cli.can("ps", out=running(cli))
    cli.can("ports", out=out, rc=rc, err="Error: boom\n" if rc else "")
    check(cli, ["ports", "p"], 1, first)


def test_ports_empty_list_is_a_plain_answer(cli):
    cli.configure()
    cli.can("ps", out=running(cli))
    cli.can("ports", out="[]")
    res = check(cli, ["ports", "p"], 0, None)
    assert res.stdout.startswith("default / p: no in-jail TCP listeners detected")


STORE_QUERY = "`podman --root {store} images --format json`"


@pytest.mark.parametrize("out, rc, code, first", [
    ("junk", 0, 1, f"{STORE_QUERY} printed something that is not a JSON list."),
    ("{}", 0, 1, f"{STORE_QUERY} printed something that is not a JSON list."),
    ("", 125, 1, f"{STORE_QUERY} failed (exit 125): Error: boom."),
    ("[]", 0, 0, None),
], ids=["junk", "object", "exit-125", "empty"])
def test_images_answers(cli, out, rc, code, first):
    cli.configure()
    cli.can("podman-images", out=out, rc=rc, err="Error: boom\n" if rc else "")
    res = check(cli, ["image", "list"], code, first and first.format(store=cli.store))
    if code == 0:
        assert res.stdout == "" and res.stderr.startswith("anon-pi: no anon-pi images yet")


@pytest.mark.parametrize("labels", ["junk", None, [], 5], ids=["junk", "null", "list", "int"])
def test_odd_labels_list_as_unknown(cli, labels):
    """An image of ours whose labels are not an object lists as <unknown>."""
    cli.configure()
    cli.can("podman-images", out=json.dumps([{"Id": "a" * 64, "Names": ["localhost/anon-pi/x:1"],
                                              "Labels": labels}]))
    res = check(cli, ["image", "list"], 0, None)
    assert res.stdout == "anon-pi/x:1\t<unknown>\t<unknown>\taaaaaaaaaaaa\n"


def _session(cli, name: str, first_line: bytes | None = None) -> None:
    group = cli.ws / "machines/default/home/.pi/agent/sessions/--projects-alpha--"
    group.mkdir(parents=True, exist_ok=True)
    if first_line is not None:
        (group / name).write_bytes(first_line)


@pytest.mark.parametrize("setup", [
    lambda cli: _session(cli, "2026_abc.jsonl", b'{"type":"message"}\n'),  # no header
    lambda cli: _session(cli, "2026_abc.jsonl", b"\xff\xfe\x00junk"),  # not text
    lambda cli: _session(cli, "2026_abc.jsonl", b""),  # empty
    lambda cli: _session(cli, "2026_abc.jsonl", b'{"type":"session","cwd":"/etc"}\n'),
], ids=["no-header", "binary", "empty", "foreign-cwd"])
def test_unusable_session_files_fall_back_to_the_root(cli, setup):
    """Documented fallback: a session without a usable header runs at /projects."""
    cli.configure()
    setup(cli)
    res = check(cli, ["--dry-run", "--session", "abc"], 0, None)
    argv = res.stdout.split()
    assert argv[argv.index("-w") + 1] == "/projects"


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir], ids=["fifo", "folder"])
def test_a_session_name_that_is_no_file_is_no_conversation(cli, make):
    """Not a regular file: not a conversation (pi writes only files), so the lookup refuses,
    no launch."""
    cli.configure()
    _session(cli, "x")
    make(cli.ws / "machines/default/home/.pi/agent/sessions/--projects-alpha--/2026_abc.jsonl")
    check(cli, ["--dry-run", "--session", "abc"], 1,
          'no conversation "abc" on machine "default"')


def _outside_folders(cli):
    """A projects root and a --mount folder outside the workspace, with every entry type."""
    for root in (cli.tmp / "code", cli.tmp / "mnt"):
        (root / "p" / "sub").mkdir(parents=True)
        (root / "p" / "f.txt").write_text("keep")
        (root / "p" / "sub" / "x.sh").write_text("#!/bin/sh\n")
        (root / "p" / "sub" / "x.sh").chmod(0o755)
        (root / "p" / "link").symlink_to(cli.tmp / "elsewhere")
        os.mkfifo(root / "p" / "fifo")
    return {"ANON_PI_PROJECTS": str(cli.tmp / "code")}


@pytest.mark.parametrize("argv, first", [
    (["--dry-run", "--mount", "{mnt}", "a b", "-p", "x"], 'invalid project name "a b"'),
    (["--mount", "{mnt}", "p", "-p", "x"], "llm 192.168.1.50:\u00b2 needs an explicit"),
    (["--delete-project", "p"], "refusing to delete without a TTY"),
    (["--delete-project", "../p", "--yes"], 'invalid project name "../p"'),
    (["machine", "create", "m"], "no image and no TTY"),
], ids=["bad-name", "bad-llm", "no-tty", "delete-bad-name", "create-no-image"])
def test_refusals_leave_projects_root_and_mount_untouched(cli, argv, first):
    cli.configure()
    env = _outside_folders(cli)
    if "llm" in first:
        env["ANON_PI_LLM"] = "192.168.1.50:\u00b2"
    check(cli, [a.format(mnt=cli.tmp / "mnt") for a in argv], 1, first, **env)
