"""Full `anon-pi init` runs in a pseudo-terminal with the fake netcage and a fake podman."""

import json
import re
import stat

import pytest
from init_support import PI_NETWORK_ENTER, Lab
from tree_digest import tree_digest

from anonpi_helpers.core.setup_traffic import VERIFY_IMAGES
from anonpi_helpers.init.provider_labels import names_provider

PI_IMAGE = "localhost/anon-pi/pi:latest"


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def _golden_models(port: int, api_key: str = "none") -> str:
    return (
        '{\n\t"providers": {\n\t\t"local": {\n\t\t\t"api": "openai-completions",\n'
        f'\t\t\t"apiKey": "{api_key}",\n\t\t\t"baseUrl": "http://169.254.1.1:{port}/v1",\n'
        '\t\t\t"models": [\n'
        '\t\t\t\t{\n\t\t\t\t\t"id": "Hermes-3-70B",\n\t\t\t\t\t"name": "Hermes-3-70B",\n'
        '\t\t\t\t\t"cost": {\n\t\t\t\t\t\t"input": 0,\n\t\t\t\t\t\t"output": 0,\n'
        '\t\t\t\t\t\t"cacheRead": 0,\n\t\t\t\t\t\t"cacheWrite": 0\n\t\t\t\t\t}\n\t\t\t\t},\n'
        '\t\t\t\t{\n\t\t\t\t\t"id": "qwen3-coder",\n\t\t\t\t\t"name": "qwen3-coder",\n'
        '\t\t\t\t\t"cost": {\n\t\t\t\t\t\t"input": 0,\n\t\t\t\t\t\t"output": 0,\n'
        '\t\t\t\t\t\t"cacheRead": 0,\n\t\t\t\t\t\t"cacheWrite": 0\n\t\t\t\t\t}\n\t\t\t\t}\n'
        '\t\t\t]\n\t\t}\n\t}\n}\n')


def test_happy_path_writes_exactly_the_expected_files(cli, lab):
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    ws, port = cli.ws, lab.models.port
    assert (ws / "config.json").read_text() == (
        f'{{\n\t"proxy": "socks5h://127.0.0.1:{lab.socks.port}",\n\t"llm": "{lab.llm}",\n'
        '\t"defaultMachine": "default"\n}\n')
    assert (ws / "machines/default/machine.json").read_text() == (
        f'{{\n\t"image": "{PI_IMAGE}"\n}}\n')
    assert (ws / "models.json").read_text() == _golden_models(port)
    assert (ws / "settings-seed.json").read_text() == (
        '{\n\t"defaultProvider": "local",\n\t"defaultModel": "qwen3-coder",\n'
        '\t"enabledModels": [\n\t\t"local/Hermes-3-70B",\n\t\t"local/qwen3-coder"\n\t]\n}\n')
    assert sorted(tree_digest(ws)) == [
        "config.json", "machines", "machines/default", "machines/default/home",
        "machines/default/machine.json", "models.json", "settings-seed.json"]
    # anon-pi's own SOCKS5 probe, then the plain connect of `netcage verify`'s preflight
    assert lab.socks.received == [b"\x05\x01\x00", b""]
    # the listing, then the limits probes (POST /api/show is not served by this stub)
    assert sorted(lab.models.hits) == ["/api/v0/models", "/props", "/v1/models"]
    build = next(c for c in cli.calls() if c[:2] == ["build", "-t"])
    dockerfile, network = build[4], build[5]
    # netcage's own images come through the proxy first (an empty store: no detect-proxy,
    # whose jail would pull them directly), then verify, then the build in its own network
    assert [c for c in cli.calls() if c[:1] != ["--version"]] == [
        ["pull", "--help"], *(["pull", ref] for ref in VERIFY_IMAGES),
        ["verify", "--proxy", f"socks5h://127.0.0.1:{lab.socks.port}"],
        ["build", "--help"],
        ["build", "-t", PI_IMAGE, "-f", dockerfile, network, dockerfile.rsplit("/", 1)[0]]]
    assert dockerfile.endswith("anonpi_helpers/images/pi/Dockerfile.pi")
    assert re.fullmatch(r"--network=ns:/proc/\d+/ns/net", network)
    assert "Exit IP (via the proxy, NOT your host): 185.220.101.7" in out
    assert not names_provider(out)


def test_rerun_with_enter_everywhere_keeps_the_files(cli, lab):
    assert lab.run(lab.happy_steps())[0] == 0
    before = tree_digest(cli.ws)
    code, out = lab.run([("Choose a number", ""), ("[Y/n]", ""), PI_NETWORK_ENTER,
                         ("Local model", ""),
                         ("Import which?", ""), ("Default [1-2] (Enter = qwen3-coder)", ""),
                         ("Choose [1-4]", ""), ("Projects root", "")])
    assert code == 0, out
    assert f"(or Enter to keep 127.0.0.1:{lab.socks.port})" in out
    assert f"current image: {PI_IMAGE}" in out and "keep the current image" in out
    assert tree_digest(cli.ws) == before


def test_verify_failure_loops_back_and_never_accepts_silently(cli, lab):
    cli.can("verify", "[FAIL] forced-egress: no route\n", 1)
    code, out = lab.run([("Choose a number", "1"), ("without a verified exit? [y/N]", ""),
                         ("Choose a number", "127.0.0.1:1"), ("[y/N]", "n"),
                         ("Choose a number", None)])
    assert code == 1
    assert out.count("netcage verify FAILED for socks5h://") == 2
    assert "[FAIL] forced-egress: no route" in out
    assert "aborted; nothing written." in out
    assert not cli.ws.exists()


def test_unverified_proxy_only_when_asked_for(cli, lab):
    cli.can("verify", "offline\n", 2)
    steps = lab.happy_steps()
    steps[1] = ("without a verified exit? [y/N]", "y")
    steps.insert(2, ("as your proxy? [Y/n]", ""))
    code, out = lab.run(steps)
    assert code == 0, out
    assert "(exit 2)" in out
    assert json.loads((cli.ws / "config.json").read_text())["proxy"].startswith("socks5h://")


def test_no_picks_another_and_nonsense_reasks(cli, lab):
    cli.listen_on(1080)  # netcage verify dials the proxy typed in
    steps = lab.happy_steps()
    steps[1:2] = [("[Y/n]", "n"), ("Choose a number", "9"),
                  ("pick a listed number", "socks5://User:pw@LocalHost:1080/x"),
                  ("(or Enter for socks5h://User:pw@localhost:1080)", ""),
                  ("[Y/n]", "nope"), ("answer y (or Enter)", "")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert "Pick another proxy." in out
    cfg = json.loads((cli.ws / "config.json").read_text())
    assert cfg["proxy"] == "socks5h://User:pw@localhost:1080"


def test_real_api_key_is_refused_and_nothing_written(cli, lab):
    cli.write_json(cli.home / ".pi/agent/models.json", {"providers": {
        "mine": {"baseUrl": f"http://localhost:{lab.models.port}/v1", "apiKey": "sk-real-1"}}})
    code, out = lab.run(lab.happy_steps()[:4])
    assert code == 1
    assert "real-looking apiKey" in out and "--force-allow-local-llm-api-key" in out
    assert lab.models.hits == []  # refused before the server is asked
    assert not cli.ws.exists()


def test_forced_api_key_is_copied_trimmed_in_a_private_file(cli, lab):
    cli.write_json(cli.home / ".pi/agent/models.json", {"providers": {
        "mine": {"baseUrl": f"http://127.0.0.1:{lab.models.port}", "apiKey": " Sk-Real-1 ",
                 "models": ["qwen3-coder"]}}})
    steps = lab.happy_steps()
    steps[4] = ("Import which?", "a")
    code, out = lab.run(steps, "init", "--force-allow-local-llm-api-key")
    assert code == 0, out
    assert "WARNING" in out
    models = cli.ws / "models.json"
    assert models.read_text() == _golden_models(lab.models.port, "Sk-Real-1")
    assert stat.S_IMODE(models.stat().st_mode) == 0o600


@pytest.mark.parametrize("index", range(8))
@pytest.mark.parametrize("key", [None, "^C"])
def test_eof_or_ctrl_c_at_any_prompt_writes_nothing(cli, lab, index, key):
    cli.configure(proxy="socks5h://127.0.0.1:9050", llm=None, image=None)
    before = tree_digest(cli.ws)
    steps = lab.happy_steps()
    steps[index] = (steps[index][0], key)
    code, out = lab.run(steps[:index + 1])
    assert tree_digest(cli.ws) == before
    if key is None:
        assert code == 1 and "anon-pi: aborted; nothing written." in out
    else:
        assert code == 130 and "anon-pi: cancelled; nothing written" in out
    assert "Traceback" not in out


def test_missing_netcage_stops_before_any_probe(cli, lab):
    cli.no_netcage()
    code, out = lab.run([])
    assert code == 1 and "netcage is not on PATH" in out and "Linux only" in out
    assert lab.socks.received == [] and not cli.ws.exists()
