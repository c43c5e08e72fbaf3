"""Interactive launches in a real pseudo-terminal (pexpect): `-it` only with a terminal."""

import pexpect
from harness_paths import BIN
from launch_support import IMAGE, PI_ARGS_CMD, RELAY, SCRIPT, head
from waiting import appeared


def _spawn(cli, *args):
    p = pexpect.spawn(str(BIN), list(args), env=cli.env(), cwd=str(cli.tmp), encoding="utf-8",
                      dimensions=(40, 120), timeout=30)
    p.expect(pexpect.EOF)
    p.close()
    return p


def _configured(cli):
    """A configured workspace whose project `recon` exists (a new one is asked about first)."""
    cli.configure()
    (cli.ws / "projects" / "recon").mkdir(parents=True)


def _tail(cli, cwd):
    ws = cli.ws
    return ["-v", f"{ws}/machines/default/home:/root", "-v", f"{ws}/projects:/projects",
            "-w", cwd, IMAGE]


def test_interactive_project_gets_it(cli):
    _configured(cli)
    p = _spawn(cli, "recon")
    assert p.exitstatus == 0, p.before
    assert "entering the netcage jail" in p.before
    assert cli.run_calls() == [
        head("default", f"{cli.ws}/projects", "", "/projects/recon", proxy=RELAY) + ["-it"]
        + _tail(cli, "/projects/recon") + ["sh", "-c", SCRIPT + "; exec pi"]]


def test_shell_in_a_terminal_gets_it_and_bash(cli):
    _configured(cli)
    p = _spawn(cli, "--shell")
    assert p.exitstatus == 0, p.before
    assert cli.run_calls() == [
        head("default", f"{cli.ws}/projects", "", "/projects", proxy=RELAY) + ["-it"]
        + _tail(cli, "/projects") + ["sh", "-c", SCRIPT + "; exec bash"]]


def test_headless_in_a_terminal_still_gets_no_it(cli):
    _configured(cli)
    p = _spawn(cli, "recon", "-p", "x")
    assert p.exitstatus == 0, p.before
    assert cli.run_calls() == [
        head("default", f"{cli.ws}/projects", "", "/projects/recon", proxy=RELAY)
        + _tail(cli, "/projects/recon") + [*PI_ARGS_CMD, "-p", "x"]]


def test_exit_status_passes_through_in_a_terminal(cli):
    _configured(cli)
    p = pexpect.spawn(str(BIN), ["recon"], env=cli.env(FAKE_NETCAGE_RC="4"), cwd=str(cli.tmp),
                      encoding="utf-8", timeout=30)
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 4


def test_same_launch_without_a_terminal_is_refused(cli):
    cli.configure()
    res = cli.run("recon")
    assert res.returncode == 1
    assert res.stderr.splitlines() == [
        "anon-pi: no TTY.",
        '  hint: forward a one-shot prompt instead, e.g. `anon-pi <project> -p "..."`']
    assert cli.run_calls() == [] and not (cli.ws / "projects").exists()


def test_ctrl_c_reaches_netcage_and_exits_130(cli):
    _configured(cli)
    ready = cli.tmp / "netcage-ready"
    p = pexpect.spawn(str(BIN), ["recon"], env=cli.env(FAKE_NETCAGE_SLEEP="20",
                                                        FAKE_NETCAGE_READY=ready),
                      cwd=str(cli.tmp), encoding="utf-8", timeout=30)
    p.expect("entering the netcage jail")
    appeared(ready, "the stand-in netcage's readiness for a Ctrl-C")
    p.sendintr()
    p.expect(pexpect.EOF)
    p.close()
    assert "fake netcage: interrupted" in p.before
    assert p.exitstatus == 130


def test_text_stream_on_a_terminal_is_coloured_unless_no_color(cli):
    _configured(cli)
    cli.vars["NO_COLOR"] = ""  # the harness turns colour off; this test wants a terminal's
    stream = cli.tmp.parent / "tool-call.jsonl"
    stream.write_text((BIN.parent.parent / "tests/fixtures/pi-json/tool-call.jsonl").read_text())
    cli.vars["FAKE_NETCAGE_STREAM"] = str(stream)
    p = _spawn(cli, "recon", "-p", "x", "--mode", "text-stream")
    assert p.exitstatus == 0, p.before
    assert "\x1b[36m▶ bash echo hi\x1b[0m" in p.before
    assert p.before.rstrip().endswith("FAKE-LLM-FINAL: the command printed hi")
    cli.vars["NO_COLOR"] = "1"
    p = _spawn(cli, "recon", "-p", "x", "--mode", "text-stream")
    assert p.exitstatus == 0 and "\x1b[" not in p.before and "▶ bash echo hi" in p.before
