"""init flows in a pseudo-terminal: first run, detect-proxy, image builds, the refusals on the
way. What init writes from the answers: test_init_saved_settings.py."""

import io
import json
import re

import pexpect
import pytest
from harness_paths import BIN
from init_support import NEW_RECON, Lab, flat, store_holds

from anonpi_helpers.core.setup_traffic import LAUNCH_IMAGES

WEBVEIL = "localhost/anon-pi/pi-webveil:latest"


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def test_first_run_runs_init_then_the_launch(cli, lab):
    code, out = lab.run([*lab.happy_steps(), NEW_RECON], "recon", "-p", "x")
    assert code == 0, out
    assert "first run detected" in out and "ready: `anon-pi <project>`" in out
    assert "not ready yet" not in out
    run = [c for c in cli.calls() if c[:1] == ["run"]]
    assert len(run) == 1 and run[0][-3:] == ["pi", "-p", "x"]
    assert "localhost/anon-pi/pi:latest" in run[0]


def test_first_run_with_image_skipped_stops_with_a_hint(cli, lab):
    code, out = lab.run(lab.happy_steps(image="4"), "recon", "-p", "x")
    assert code == 1
    assert 'still needs an image for machine "default"; not launching' in out
    assert "anon-pi machine set-image default <ref>" in out
    assert not [c for c in cli.calls() if c[:1] == ["run"]]
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {}


def test_env_proxy_skips_first_run(cli, lab):
    code, out = lab.run([], "recon", "-p", "x", ANON_PI_PROXY="socks5h://127.0.0.1:9050")
    assert code == 1 and "Welcome" not in out and "no local model" in out


def test_detect_proxy_answer_replaces_the_local_probe(cli, lab):
    store_holds(cli, *LAUNCH_IMAGES)  # else detect-proxy's own jail would pull them directly
    cli.listen_on(9050)  # the proxy detect-proxy found, which netcage verify then dials
    cli.can("detect-proxy", json.dumps({"schemaVersion": 1, "exitIP": "185.220.101.7",
                                        "candidates": [
                                            {"port": 9050, "open": True, "socks5": True,
                                             "processHint": "Mullvad exit (guess)"},
                                            {"port": 1080, "open": False}]}))
    steps = lab.happy_steps()
    steps.insert(2, ("Separate circuits per machine?", ""))
    code, out = lab.run(steps)
    assert code == 0, out
    assert lab.socks.received == []
    assert "Your proxy looks like Tor." in out and "stream isolation: machine" in out
    assert "127.0.0.1:9050: open, SOCKS5 handshake OK [Tor default (system tor)]" in out
    assert "mullvad" not in out.lower() and "withheld" in out
    cfg = json.loads((cli.ws / "config.json").read_text())
    assert cfg["proxy"] == "socks5h://127.0.0.1:9050"
    assert cfg["isolation"] == "machine"
    steps[2] = ("Separate circuits per machine?", "p")
    assert lab.run(steps)[0] == 0
    assert json.loads((cli.ws / "config.json").read_text())["isolation"] == "project"


def test_podman_fallback_then_netcage_load(cli, lab):
    cli.can("build---help", "", 2)
    cli.can("load---help", "usage", 0)
    code, out = lab.run(lab.happy_steps(image="2"))
    assert code == 0, out
    build, save, verdict = lab.podman_calls()
    assert verdict == f"--root {cli.store} image exists -- {WEBVEIL}"  # ready only if it's there
    assert build.startswith(f"build -t {WEBVEIL} -f ") and build.endswith(
        "images/pi-webveil/Dockerfile.pi-webveil " + " ".join(build.split()[-2:]))
    assert re.fullmatch(r"--network=ns:/proc/\d+/ns/net", build.split()[-2])
    assert build.split()[-1].endswith("anonpi_helpers/images/pi-webveil")
    tar = save.split()[2]
    assert save == f"save -o {tar} {WEBVEIL}"
    assert ["load", "-i", tar] in cli.calls()
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {
        "image": WEBVEIL}


def test_podman_root_load_when_netcage_cannot_load(cli, lab):
    cli.can("build---help", "", 2)
    cli.can("load---help", "", 2)
    code, out = lab.run(lab.happy_steps(), NETCAGE_GRAPHROOT="/srv/nc-store")
    assert code == 0, out
    load = lab.podman_calls()[2]
    assert load.startswith("--root /srv/nc-store load -i ")


def test_failed_build_and_failed_load_go_back_to_the_menu(cli, lab):
    cli.can("build---help", "", 2)
    cli.can("load---help", "", 2)
    steps = lab.happy_steps(image="1")
    steps[7:7] = [("Choose [1-4]", "3"), ("Image ref", ""), ("Choose [1-4]", "x"),
                  ("answer 1, 2, 3 or 4", "3"), ("Image ref", "localhost/mine:1")]
    code, out = lab.run(steps, FAKE_PODMAN_LOAD_RC="1")
    assert code == 0, out
    assert "could not be loaded into netcage's store" in out and "Load failed" in out
    assert "no ref given" in out
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {
        "image": "localhost/mine:1"}


def test_unreadable_config_is_replaced_only_when_agreed(cli, lab):
    (cli.ws).mkdir()
    (cli.ws / "config.json").write_text("[1]")
    code, out = lab.run([("Replace it", "")])
    assert code == 1 and "is not a valid JSON object" in out
    assert (cli.ws / "config.json").read_text() == "[1]"
    code, out = lab.run([("Replace it", "y"), *lab.happy_steps()])
    assert code == 0, out
    assert json.loads((cli.ws / "config.json").read_text())["llm"] == lab.llm


def test_prompts_go_to_stderr_findings_to_stdout(cli, lab):
    err = cli.tmp / "err.log"
    p = pexpect.spawn("sh", ["-c", f'exec "{BIN}" init 2>"{err}"'], env=cli.env(**lab.env),
                      encoding="utf-8", timeout=20)
    p.logfile_read = io.StringIO()
    p.expect_exact("SOCKS5-confirmed ports:")
    p.sendline("1")
    p.expect_exact("not through the\r\nproxy.")  # its question goes to stderr
    p.sendline("y")
    p.expect_exact("Exit IP (via the proxy, NOT your host)")
    p.sendeof()
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 1
    prompts, shown = err.read_text(), p.logfile_read.getvalue()
    assert (f"Choose a number, or enter host:port (or Enter for 127.0.0.1:{lab.socks.port}): "
            in prompts)
    assert "as your proxy? [Y/n]: " in prompts and "aborted; nothing written." in prompts
    assert "Run netcage verify? [y/N]: " in prompts and "api.ipify.org" not in prompts
    assert "asks http://api.ipify.org/ for directly" in flat(shown)
    assert "Step 1/4" in shown and "Step 1/4" not in prompts
    assert "Choose a number" not in shown


def test_workspace_that_is_a_file_is_one_clear_error(cli, lab):
    cli.ws.write_text("x")
    code, out = lab.run([])
    assert code == 1 and "is not a folder" in out and "Traceback" not in out
    assert cli.ws.read_text() == "x" and lab.socks.received == []


def test_first_run_without_llm_stops_with_the_llm_hint(cli, lab):
    steps = [s for s in lab.happy_steps() if s[0] not in ("Import which?", "Default [1-2]")]
    steps[3] = ("Local model host:port", "")
    code, out = lab.run(steps, "recon", "-p", "x")
    assert code == 1 and "still needs a local model (llm); not launching" in out
    assert "ANON_PI_LLM" in out and not [c for c in cli.calls() if c[:1] == ["run"]]
    assert "llm" not in json.loads((cli.ws / "config.json").read_text())
    assert not (cli.ws / "models.json").exists()


def test_first_run_cancelled_launches_nothing(cli, lab):
    code, out = lab.run([("Choose a number", "^C")], "recon", "-p", "x")
    assert code == 130 and "cancelled; nothing written" in out
    assert not cli.ws.exists() and not [c for c in cli.calls() if c[:1] == ["run"]]


def test_empty_detect_proxy_falls_back_to_the_local_probe(cli, lab):
    cli.can("detect-proxy", '{"schemaVersion": 1, "candidates": []}')
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    # anon-pi's own SOCKS5 probe, then the plain connect of `netcage verify`'s preflight
    assert lab.socks.received == [b"\x05\x01\x00", b""]


def test_failed_netcage_build_goes_back_to_a_relisted_menu(cli, lab):
    cli.can("build", "", 1)
    steps = lab.happy_steps(image="1")
    steps[7:7] = [("Build failed; pick another option.", "4")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert out.count("[1] basic pi") == 2
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {}
