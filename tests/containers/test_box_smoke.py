"""The container (box) verbs through the real bin/anon-pi and the fake netcage: exact argv,
output, refusals
(no terminal here; the interactive halves are in test_pty_boxes.py)."""

import json

from containers_support import BOX_REF, box_entry, ps_entry, ps_json, record_boxes
from harness_paths import BOX_LIST
from launch_support import no_traceback
from tree_digest import tree_digest

REF = BOX_REF


def test_list_piped_is_tab_separated_from_one_ps(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev"), ps_entry("c" * 64),
                          box_entry("b" * 64, "web", state="running", cwd="/projects")))
    res = cli.run("container", "list")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ("dev\tdefault\t/projects/recon\tanon-pi/pi:latest\tstopped\n"
                          "web\tdefault\t/projects\tanon-pi/pi:latest\trunning\n")
    assert cli.run_calls() == [] and [c for c in cli.calls() if c[0] == "ps"] == [BOX_LIST]


def test_list_inspects_only_boxes_without_an_image(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev", image=None), box_entry("b" * 64, "web")))
    cli.can(f"inspect-{REF}", "localhost/anon-pi/other:1\n")
    res = cli.run("container", "list", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert [(r["name"], r["image"]) for r in rows] == [
        ("dev", "anon-pi/other:1"), ("web", "anon-pi/pi:latest")]  # shown without localhost/
    assert [c for c in cli.calls() if c[0] == "inspect"] == [
        ["inspect", REF, "--format", "{{.ImageName}}"]]


def test_list_without_boxes_is_a_hint_and_exit_0(cli):
    cli.configure()
    res = cli.run("container", "list")
    assert res.returncode == 0
    assert res.stdout == ""
    assert res.stderr.startswith("anon-pi: no boxes yet; make one with `anon-pi container create")
    assert cli.run("container", "list", "--json").stdout == "[]\n"


def test_list_with_a_failing_or_junk_ps(cli):
    cli.configure()
    cli.can("ps", "", rc=125, err="Error: podman broke\n")
    res = cli.run("container", "list")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: `netcage ps` failed (exit 125): Error: podman broke.")
    cli.can("ps", "not json")
    res = cli.run("container", "list")
    assert res.returncode == 1 and res.stderr == (
        "anon-pi: `netcage ps` printed something that is not a JSON list; cannot tell which "
        "boxes exist.\n  hint: check `netcage ps --format json`\n")
    no_traceback(res)


def test_rm_stopped_box_passes_the_id_alone(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 0, res.stderr
    assert cli.run_calls() == [["rm", REF]]
    assert res.stdout == "" and res.stderr == ('anon-pi: removed box "dev"; its machine home and '
                                             "projects stay on the host.\n")


def test_rm_running_box_needs_yes_without_a_terminal(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev", state="running")))
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 1 and cli.run_calls() == []
    assert res.stderr == ('anon-pi: box "dev" is running; removing it ends what runs inside.\n'
                          "  hint: `anon-pi container rm dev --yes`\n")
    res = cli.run("container", "rm", "dev", "--yes")
    assert res.returncode == 0 and cli.run_calls() == [["rm", REF]]


def test_rm_failure_keeps_netcages_status(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    cli.can(f"rm-{REF}", "", rc=3, err="netcage: rm: boom\n")
    res = cli.run("container", "rm", "dev")
    assert res.returncode == 3 and "`netcage rm` failed (exit 3): netcage: rm: boom" in res.stderr


def test_unknown_box(cli):
    cli.configure()
    for verb in ("rm", "enter"):
        res = cli.run("container", verb, "nope")
        assert res.returncode == 1
        assert res.stderr.splitlines()[0] in ('anon-pi: no box "nope".', "anon-pi: no TTY.")


def test_enter_and_create_need_a_terminal_and_touch_nothing(cli):
    cli.configure()
    before = tree_digest(cli.ws)
    for args in (("create", "dev", "recon"), ("enter", "dev")):
        res = cli.run("container", *args)
        assert res.returncode == 1
        assert res.stderr.splitlines()[0] == "anon-pi: no TTY."
    assert tree_digest(cli.ws) == before and cli.run_calls() == []
    assert [c for c in cli.calls() if c[0] == "ps"] == []


def test_create_refuses_bad_config_before_netcage(cli):
    cli.configure(proxy="http://127.0.0.1:8080")
    res = cli.run("container", "create", "dev")
    assert res.returncode == 1 and cli.calls() == []


def test_container_is_a_reserved_project_name(cli):
    cli.configure()
    res = cli.run("--dry-run", "--shell", "--", "container")  # a verb word, then pi's words
    assert res.returncode == 2 and "--shell takes no pi arguments" in res.stderr
    res = cli.run("--shell", "container")  # the verb, with a launch flag it has no use for
    assert res.returncode == 2 and "container needs a sub-verb" in res.stderr
    res = cli.run("container", "create", "dev", "container", "--dry-run")
    assert res.returncode == 1 and 'invalid project name "container"' in res.stderr
    assert cli.run_calls() == []


def test_help(cli):
    res = cli.run("container", "--help")
    assert res.returncode == 0 and res.stdout.startswith("anon-pi container - durable")
    res = cli.run("container", "create", "-h")
    assert res.returncode == 0 and res.stdout.startswith("anon-pi container create - make")
    assert cli.calls() == []


def test_create_takes_a_project_or_shell_not_both(cli):
    cli.configure()
    res = cli.run("container", "create", "dev", "recon", "--shell")
    assert res.returncode == 2 and "takes a project, `.` or --shell, not both" in res.stderr
    assert cli.calls() == []
