"""PATHS is the table: one row per printing path, each a function that sets the path up in a
fresh workspace and returns what anon-pi wrote. Add a row for every new printing path.

Each row reads the payloads (TEXT, UTF8_TEXT, QUIET, FILE_NAME, ESCAPES) from this module's
own names, so a test can change them here for every row at once (monkeypatch)."""

import json
import os
import subprocess
import sys

from harness_paths import BIN
from hostile_corpus import (
    ESCAPES,
    FILE_NAME,
    QUIET,
    TEXT,
    UTF8_TEXT,
    both,
    container,
    pty,
    run,
)


def text_stream(cli):
    """`--mode text-stream`: the model's text, a tool call, retries, a failed turn."""
    cli.configure()
    records = [
        {"type": "tool_execution_start", "toolName": TEXT, "args": {"command": TEXT}},
        {"type": "auto_retry_start", "attempt": TEXT, "maxAttempts": 3, "errorMessage": TEXT},
        {"type": "compaction_start", "reason": TEXT},
        {"type": "message_update", "assistantMessageEvent": {"type": "text_delta",
                                                             "delta": TEXT}},
        {"type": "message_end", "message": {"role": "assistant", "errorMessage": TEXT,
                                            "content": [{"type": "text", "text": TEXT}]}},
        {"type": "message_end", "message": {"role": "assistant",
                                            "content": [{"type": "text", "text": TEXT}]}}]
    feed = cli.tmp / "stream.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return both(run(cli, "recon", "-p", "x", "--mode", "text-stream", FAKE_NETCAGE_STREAM=feed))


def config_errors(cli):
    """An error that echoes a config.json value (the llm), and doctor's rows about it."""
    cli.configure(llm=TEXT + ":8080")
    return {**both(run(cli, "--dry-run", "p", "-p", "x"), "launch"),
            **both(run(cli, "doctor"), "doctor"), **both(run(cli, "doctor", "--json"), "json")}


def machine_list(cli):
    """`machine list` piped, as JSON and as a terminal table: a pin written by anyone."""
    cli.configure(image=TEXT)
    cli.configure(machine="quiet", image=QUIET)
    return {**both(run(cli, "machine", "list"), "piped"),
            **both(run(cli, "machine", "list", "--json"), "json"),
            "table": pty(cli, ["machine", "list"])}


def image_list(cli):
    """`image list`: a snapshot's labels (an image's labels are whatever its maker put)."""
    cli.can("podman-images", json.dumps([
        {"Id": "ab" * 32, "Names": ["localhost/anon-pi/snap:1"],
         "Labels": {"anon-pi.source-machine": TEXT, "anon-pi.snapshot-at": TEXT}},
        {"Id": "cd" * 32, "Names": ["localhost/anon-pi/snap:2"],
         "Labels": {"anon-pi.source-machine": QUIET, "anon-pi.snapshot-at": QUIET}}]))
    return {**both(run(cli, "image", "list"), "piped"),
            **both(run(cli, "image", "list", "--json"), "json"),
            "table": pty(cli, ["image", "list"])}


def container_list(cli):
    """`container list`: a box's key label (machine, cwd) and image name."""
    from containers_support import box_entry, record_boxes

    cli.can("ps", json.dumps([
        box_entry("1" * 64, "dev", cwd="/projects/" + UTF8_TEXT, image=TEXT),
        box_entry("2" * 64, "web", cwd="/projects/" + QUIET, image=QUIET)]))
    record_boxes(cli.ws, "dev", "web")
    return {**both(run(cli, "container", "list"), "piped"),
            **both(run(cli, "container", "list", "--json"), "json")}


def ports(cli):
    """`ports`: the running jail's place (key label) and netcage's listener addresses."""
    cli.configure()
    cli.can("ps", json.dumps([container("2", "/work/" + UTF8_TEXT, mount=UTF8_TEXT)]))
    cli.can("ports", json.dumps([{"address": TEXT, "port": 3000, "loopbackOnly": False},
                                 {"address": QUIET, "port": 3001, "loopbackOnly": False}]))
    return {**both(run(cli, "ports"), "lines"), **both(run(cli, "ports", "--json"), "json")}


def forward_picker(cli):
    """`forward` on a terminal: the picker's rows (edges/selector.py) name two jails by
    their key labels; Esc cancels."""
    cli.configure()
    cli.can("ps", json.dumps([container("3", "/projects/" + UTF8_TEXT),
                              container("4", "/projects/b" + UTF8_TEXT)]))
    return {"picker": pty(cli, ["forward"], [(b"pick a container", "q")])}


def menu_warning(cli):
    """The bare menu: netcage's refusal to list the boxes (its stderr) is echoed once the
    menu is gone. Run in a child Python whose picker waits for the box rows before it picks
    (a person may pick sooner; then there is nothing to echo)."""
    cli.configure()
    cli.can("ps", "", rc=1, err=UTF8_TEXT + "\n")
    code = (f"import sys; sys.path[:0] = [{str(BIN.parent.parent)!r}]\n"
            "from anonpi_helpers.edges import terminal\n"
            "def select(io, header, labels, nothing, later=None, **_):\n"
            "    later()\n"
            "    return 0\n"
            "terminal.select = select\n"
            "from anonpi_helpers.launch.menu import choose\n"
            "from anonpi_helpers.edges.launch_prep import resolve_context\n"
            "from anonpi_helpers.launch.grammar import parse_launch\n"
            "from anonpi_helpers.edges.real_io import real_context\n"
            "args, io = parse_launch([]), real_context()\n"
            "choose(io, args, resolve_context(io, args))\n")
    return both(subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                               check=False, stdin=subprocess.DEVNULL, env=cli.env()))


def session_list(cli):
    """`--session <prefix>`: the conversations that match, named by files the jail made."""
    cli.configure()
    store = cli.ws / "machines/default/home/.pi/agent/sessions/--projects-p--"
    store.mkdir(parents=True)
    for stamp in ("2026-01-01T00-00-00-000Z", "2026-01-02T00-00-00-000Z"):
        name = os.fsencode(f"{stamp}_ab{FILE_NAME}.jsonl")
        with open(os.path.join(os.fsencode(store), name), "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"type": "session", "cwd": "/projects/" + TEXT}) + "\n")
    return both(run(cli, "--dry-run", "--session", "ab"))


def session_dry_run(cli):
    """`--dry-run --session <prefix>`: pi gets the full id, a file name the jail chose."""
    cli.configure()
    store = cli.ws / "machines/default/home/.pi/agent/sessions/--projects-p--"
    store.mkdir(parents=True)
    name = os.fsencode(f"2026-01-01T00-00-00-000Z_ab{FILE_NAME}.jsonl")
    with open(os.path.join(os.fsencode(store), name), "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "session", "cwd": "/projects/p"}) + "\n")
    return {**both(run(cli, "--dry-run", "--session", "ab"), "piped"),
            "terminal": pty(cli, ["--dry-run", "--session", "ab"])}


def _source_machine(cli):
    from data_verbs_support import make_machine

    src = make_machine(cli.ws, "recon")
    cli.can("inspect", json.dumps({"anon-pi.source-machine": "recon"}))
    return src


def carry_over_notes(cli):
    """`machine create --image <snapshot>` without a terminal: the special files it skipped
    in the source home (a FIFO the jail made) are named in a note."""
    src = _source_machine(cli)
    os.mkfifo(os.path.join(os.fsencode(src / "home"), os.fsencode(FILE_NAME)))
    return both(run(cli, "machine", "create", "new", "--image", "anon-pi/snap:latest"))


def carry_over_prompt(cli):
    """The same on a terminal: the COPY/SKIP prompt names an orphan conversation folder."""
    src = _source_machine(cli)
    sessions = os.path.join(os.fsencode(src), b"home/.pi/agent/sessions")
    os.makedirs(os.path.join(sessions, os.fsencode(FILE_NAME)))
    return {"prompt": pty(cli, ["machine", "create", "new", "--image", "anon-pi/snap:latest"],
                          [(b"[copy/SKIP]: ", "\r")])}


def delete_prompt(cli):
    """`--delete-project`: the confirmation names the target of a link the jail planted in
    the projects root."""
    cli.configure()
    (cli.ws / "projects").mkdir(parents=True)
    os.symlink(os.fsencode("/nowhere/" + FILE_NAME), cli.ws / "projects" / "p")
    return {"prompt": pty(cli, ["--delete-project", "p"], [(b"[y/N] ", "n\r")])}


def delete_dry_run(cli):
    """`--delete-project --dry-run`: the paths it would remove hold the configured projects
    root, a config.json value."""
    root = cli.tmp / ("root" + ESCAPES)
    (root / "p").mkdir(parents=True)
    cli.write_json(cli.ws / "config.json", {"projects": str(root)})
    return both(run(cli, "--delete-project", "p", "--dry-run"))


def init_echoes(cli):
    """init: `netcage verify`'s output (a web service answers it) relayed live, and the
    current config.json values it echoes."""
    from init_support import VERIFY_OK, VERIFY_QUESTION, Lab

    lab = Lab(cli)
    try:
        cli.write_json(cli.ws / "config.json", {"projects": "/srv/" + ESCAPES})
        cli.can("verify", VERIFY_OK + UTF8_TEXT + "\n", 0)
        steps = [(anchor.encode(), reply + "\r") for anchor, reply in lab.happy_steps()]
        return {"init": pty(cli, ["init"], steps, {VERIFY_QUESTION.encode(): "y\r"}, **lab.env)}
    finally:
        lab.close()


def init_config_echoes(cli):
    """init: the config.json values it shows back (the proxy, the model address, the
    projects root) and the verdict that names what is wrong with them; verify declined."""
    from init_support import VERIFY_QUESTION, Lab

    lab = Lab(cli)
    try:
        cli.write_json(cli.ws / "config.json",
                       {"proxy": TEXT, "llm": TEXT, "projects": "/srv/" + TEXT})
        steps = [(anchor.encode(), reply + "\r") for anchor, reply in lab.happy_steps()]
        return {"init": pty(cli, ["init"], steps, {VERIFY_QUESTION.encode(): "n\r"}, **lab.env)}
    finally:
        lab.close()


def delete_home_result(cli):
    """`--delete-home --yes`: the result line names the machine's image pin as machine.json
    holds it (whoever wrote it)."""
    cli.configure(image=TEXT)
    (cli.ws / "machines" / "default" / "home").mkdir()
    return both(run(cli, "--delete-home", "default", "--yes"))


def mount_echo(cli):
    """`--mount <relative folder>`: the folder it resolved to, echoed, and the dry-run's
    command; a folder name the jail may have made (a TAB offers it) holding no C0 control,
    which the mount's own check refuses."""
    cli.configure()
    name = QUIET + "]52;c;cHduZWQ="
    (cli.tmp / name / "p").mkdir(parents=True)
    return both(run(cli, "--dry-run", "--mount", name, "p", "-p", "x"))


def relayed_output(cli):
    """netcage's own output relayed live: `verify` and image builds (run_echoed, stdout and
    stderr merged), and the stderr of `start` and `commit` (run_watching_stderr; their
    stdout is the session's terminal, anon-pi's to hand over, not to read)."""
    noisy = cli.tmp / "noisy"
    noisy.write_text(f"#!{sys.executable}\nimport sys\n"
                     "if sys.argv[1:] != ['start']:\n"
                     f"    sys.stdout.write({UTF8_TEXT!r} + '\\n')\n"
                     f"sys.stderr.buffer.write({FILE_NAME!r}.encode('utf-8', 'surrogateescape')"
                     " + b'\\n')\n", encoding="utf-8")
    noisy.chmod(0o755)
    (cli.tmp / "netcage").symlink_to(noisy)
    code = (f"import sys; sys.path[:0] = [{str(BIN.parent.parent)!r}]\n"
            "from anonpi_helpers.edges import netcage_live as live\n"
            "from anonpi_helpers.edges.real_io import real_context\n"
            f"live.run_echoed(real_context(), [], {str(noisy)!r})\n"
            "live.run_watching_stderr(real_context(), ['start'], [])\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                         check=False, stdin=subprocess.DEVNULL,
                         env={**cli.env(), "PATH": f"{cli.tmp}:/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    return both(res)


PATHS = {
    "text-stream (stdout and stderr)": text_stream,
    "errors echoing config.json values, doctor rows and --json": config_errors,
    "machine list (piped, --json, terminal table)": machine_list,
    "image list (piped, --json, terminal table)": image_list,
    "container list (piped, --json)": container_list,
    "ports (lines, --json)": ports,
    "forward picker rows (edges/selector.py)": forward_picker,
    "the bare menu and its warning": menu_warning,
    "--session ambiguity list": session_list,
    "--dry-run with a resumed session id": session_dry_run,
    "carry-over notes (skipped FIFO)": carry_over_notes,
    "carry-over COPY/SKIP prompt (orphan folder)": carry_over_prompt,
    "--delete-project prompt (link target)": delete_prompt,
    "--dry-run of a delete (the configured root in its paths)": delete_dry_run,
    "init echoes and relayed netcage verify": init_echoes,
    "netcage verify/build output and start/commit stderr relayed": relayed_output,
    "init's echoes of config.json values and its verdict": init_config_echoes,
    "--delete-home result line (the machine.json pin)": delete_home_result,
    "--mount's relative folder echoed": mount_echo,
}
TERMINAL = {"table", "picker", "menu", "terminal", "prompt", "init"}
