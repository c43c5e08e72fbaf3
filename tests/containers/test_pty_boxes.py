"""Durable boxes in a real pty (pexpect): create and enter run netcage interactively, rm asks y/N
for a running box, and the bare menu offers the stopped boxes of the current machine."""

import re

from containers_support import BOX_REF as REF
from containers_support import box_entry, ps_entry, ps_json, record_boxes
from harness_paths import BOX_LIST
from launch_support import IMAGE, SCRIPT, label
from menu_support import finish, held, let_go, menu, spawn

SHELL_ROW = "shell (a jailed bash on this machine)"


def test_create_argv_is_a_kept_labelled_launch(cli):
    cli.configure()
    p = spawn(cli, "container", "create", "dev", "recon")
    p.expect_exact(f'Create project "recon" in {cli.ws}/projects? [Y/n] ')  # a new project
    p.sendline("")
    out, code = finish(p)
    assert code == 0, out
    ws = cli.ws
    # the token this create recorded (test_box_pairs: the record, kept once the pair exists)
    token = next(a for a in cli.run_calls()[0] if a.startswith("anon-pi.container-token="))
    token = token.partition("=")[2]
    assert re.fullmatch("[0-9a-f]{32}", token)
    assert cli.run_calls() == [[
        "run", "--label", label("default", f"{ws}/projects", "", "/projects/recon"),
        "--label", "anon-pi.container=dev", "--label", f"anon-pi.container-token={token}",
        "--proxy", cli.proxy, "--allow", "192.168.1.50:8080", "-e", "TZ=UTC",
        "-e", "LANG=C.UTF-8", "-it", "-v", f"{ws}/machines/default/home:/root",
        "-v", f"{ws}/projects:/projects",
        "-w", "/projects/recon", IMAGE, "sh", "-c", SCRIPT + "; exec pi"]]
    # before (is the name free?) and after (is its jail left up?)
    assert [c for c in cli.calls() if c[0] == "ps"] == [BOX_LIST, BOX_LIST]
    assert (ws / "projects" / "recon").is_dir()
    assert 'creating box "dev"' in out


def test_create_shell_box_at_the_root_on_another_machine(cli):
    cli.configure()
    cli.configure(machine="m2")
    out, code = finish(spawn(cli, "container", "create", "tools", "--shell", "-m", "m2"))
    assert code == 0, out
    [argv] = cli.run_calls()
    assert argv[argv.index("-w") + 1] == "/projects" and argv[-1].endswith("; exec bash")
    assert f"{cli.ws}/machines/m2/home:/root" in argv


def test_create_refuses_an_existing_box_name(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    out, code = finish(spawn(cli, "container", "create", "dev"))
    assert code == 1 and cli.run_calls() == []
    assert 'box "dev" already exists; create never re-enters or replaces a box.' in out
    assert not (cli.ws / "machines" / "default" / "home").exists()


def test_enter_starts_the_stopped_box_with_the_current_jail_settings(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev"), box_entry("b" * 64, "web")))
    out, code = finish(spawn(cli, "container", "enter", "dev"))
    assert code == 0, out
    assert cli.run_calls() == [["start", "--proxy", cli.proxy, "--allow", "192.168.1.50:8080",
                                "-it", REF]]
    assert 'entering box "dev"' in out


def test_enter_status_is_netcages(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    _, code = finish(spawn(cli, "container", "enter", "dev", FAKE_NETCAGE_RC="4"))
    assert code == 4


def test_enter_a_running_box_is_refused_with_the_ways_to_reach_it(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev", state="running")))
    out, code = finish(spawn(cli, "container", "enter", "dev"))
    assert code == 1 and cli.run_calls() == []
    assert 'box "dev" is already running' in out
    assert "anon-pi forward" in out and "anon-pi container rm dev --yes" in out


def test_enter_explains_a_changed_configuration(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    cli.can("start", "", rc=1, err="netcage: start: this container was jailed with a different "
            "proxy/allowlist (proxy differs); remove it and run again, or start it with the "
            "same jail config\n")
    out, code = finish(spawn(cli, "container", "enter", "dev"))
    assert code == 1
    assert "netcage: start: this container was jailed" in out  # netcage's own line, relayed
    assert 'box "dev" was created with another proxy or llm than the current configuration' in out


def test_rm_running_box_asks_and_no_keeps_it(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev", state="running")))
    p = spawn(cli, "container", "rm", "dev")
    p.expect_exact('Box "dev" is running; remove it and end what runs inside? [y/N] ')
    p.sendline("n")
    out, code = finish(p)
    assert code == 1 and cli.run_calls() == [] and 'box "dev" not removed.' in out
    p = spawn(cli, "container", "rm", "dev")
    p.expect_exact("[y/N] ")
    p.sendline("y")
    out, code = finish(p)
    assert code == 0 and cli.run_calls() == [["rm", REF]]


def test_menu_offers_and_enters_a_stopped_box_of_this_machine(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev"), box_entry("b" * 64, "other", machine="m2"),
                          box_entry("c" * 64, "live", state="running")))
    picked, out, code = menu(cli, keys="k\r", after="enter box dev")  # joins above "."
    assert code == 0, out
    assert picked == "enter box dev"
    assert "enter box other" not in out and "enter box live" not in out
    assert cli.run_calls() == [["start", "--proxy", cli.proxy, "--allow", "192.168.1.50:8080",
                                "-it", REF]]


def test_menu_draws_before_ps_answers_and_the_cursor_stays_on_its_row(cli):
    """The projects are up while `netcage ps` is still running; the box row joins later, and
    a row chosen meanwhile (here: up to "shell") is still the one Enter launches."""
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    (cli.ws / "projects" / "alpha").mkdir(parents=True)
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    hold, gate = held(cli, "ps")
    p = spawn(cli, **hold)
    p.expect_exact(SHELL_ROW)
    assert "enter box dev" not in p.before  # the first screen came before ps answered
    p.send("k")
    p.expect_exact(f"> {SHELL_ROW}")  # redrawn on the shell row while ps is still held
    let_go(cli, p, gate, "ps")
    p.expect_exact("enter box dev")
    p.send("\r")
    out, code = finish(p)
    assert code == 0, out
    [run] = cli.run_calls()
    assert run[0] == "run" and run[-1].endswith("; exec bash")


def test_menu_with_an_unreadable_ps_offers_no_box_and_warns_after(cli):
    cli.configure()
    (cli.ws / "projects" / "alpha").mkdir(parents=True)
    cli.can("ps", "not json")
    hold, gate = held(cli, "ps")
    p = spawn(cli, **hold)
    p.expect_exact(SHELL_ROW)
    let_go(cli, p, gate, "ps")
    p.send("\r")
    out, code = finish(p)
    assert code == 0, out
    assert "enter box" not in out
    warning = "anon-pi: warning: `netcage ps` printed something that is not a JSON list"
    assert warning in out  # `out` is what came after the menu was drawn and redrawn
    [run] = cli.run_calls()
    assert run[run.index("-w") + 1] == "/projects/alpha"  # the first row, as drawn


def test_forward_picker_row_says_box(cli):
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    cli.can("ps", ps_json(box_entry(REF, "dev", state="running"),
                          ps_entry("b" * 64, name="plain_one")))
    p = spawn(cli, "ports")
    p.expect_exact("default / recon [box dev]")
    p.send("q")
    out, code = finish(p)
    assert code == 130 and "cancelled; nothing listed" in out


def test_isolation_gives_create_and_enter_the_same_proxy(cli):
    """Per-machine stream isolation puts credentials in the proxy netcage bakes into
    the box; enter must send exactly that URL again or netcage refuses."""
    cli.configure()
    record_boxes(cli.ws, "dev", "web", "other", "live")
    (cli.ws / "projects" / "recon").mkdir(parents=True)
    isolated = cli.proxy.replace("//", "//anonpi-default:x@")
    _, code = finish(spawn(cli, "container", "create", "dev", "recon", ANON_PI_ISOLATION="machine"))
    assert code == 0
    [run] = cli.run_calls()
    assert run[run.index("--proxy") + 1] == isolated
    cli.log.unlink()
    record_boxes(cli.ws, "dev")  # the token this test's listing carries
    cli.can("ps", ps_json(box_entry(REF, "dev")))
    _, code = finish(spawn(cli, "container", "enter", "dev", ANON_PI_ISOLATION="machine"))
    assert code == 0
    assert cli.run_calls() == [["start", "--proxy", isolated, "--allow", "192.168.1.50:8080",
                                "-it", REF]]
