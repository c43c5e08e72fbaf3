"""init's last word: "ready" only when a launch would pass, else each missing piece + its fix."""

import json

import pytest
from in_process import context
from init_support import PI_NETWORK_ENTER, lab_fixture  # noqa: F401  (`lab`)

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.resolve import check_mountable
from anonpi_helpers.init.verdict import READY, missing_pieces, render
from anonpi_helpers.launch.grammar import parse_launch
from anonpi_helpers.launch.verb import resolve_context

CONFIG = {"proxy": "socks5h://127.0.0.1:9050", "llm": "192.168.1.50:8080"}
PINNED = {"image": "localhost/anon-pi/pi:latest"}




def _held(ref: str) -> tuple[bool, str]:
    return True, ""


def _missing(env=None, config=CONFIG, machine_cfg=PINNED, loopback_ok=True, held=_held):
    return missing_pieces(env or {}, config, "default", machine_cfg, loopback_ok=loopback_ok,
                          workspace="/ws", home="/home/u", cwd="/tmp", held=held,
                          store="/var/tmp/nc-store")


def test_everything_in_place_is_ready():
    assert _missing() == []
    assert render([]) == READY == (
        "ready: `anon-pi <project>` (bare `anon-pi` opens the project menu)")


def test_each_missing_piece_comes_with_its_fix_in_launch_order():
    missing = _missing(config={"proxy": CONFIG["proxy"]}, machine_cfg={})
    assert [m.what for m in missing] == ["a local model (llm)", 'an image for machine "default"']
    text = render(missing)
    assert text.splitlines()[0] == "not ready yet:"
    assert "  - a local model (llm): no local model is configured" in text
    assert "export ANON_PI_LLM=<its IP:port>" in text
    assert "    fix: `anon-pi machine set-image default <ref>`" in text
    assert "anon-pi init" not in text  # the user is in init: never "run init"


@pytest.mark.parametrize("env, what, fix", [
    ({"ANON_PI_PROXY": "socks5://127.0.0.1:9050"}, "a socks5h proxy",
     "ANON_PI_PROXY is set in your environment and wins over config.json"),
    ({"ANON_PI_LLM": "8.8.8.8:80"}, "a usable local model (llm)",
     "ANON_PI_LLM is set in your environment"),
    ({"ANON_PI_PROJECTS": "relative/path"}, "a mountable projects root",
     "ANON_PI_PROJECTS is set in your environment"),
    ({"ANON_PI_ISOLATION": "bogus"}, "a stream-isolation level",
     "ANON_PI_ISOLATION is set in your environment"),
])
def test_the_environment_wins_so_a_bad_variable_is_named(env, what, fix):
    [missing] = _missing(env=env)
    assert missing.what == what and missing.fix.startswith(fix)


def test_environment_image_fills_an_imageless_machine():
    assert _missing(env={"ANON_PI_IMAGE": "localhost/x:1"}, machine_cfg={}) == []


def test_an_image_netcage_s_store_lacks_is_not_ready():
    """A launch of it would make podman pull it on this host's own network."""
    asked = []
    [missing] = _missing(held=lambda ref: asked.append(ref) or (False, ""))
    assert asked == ["localhost/anon-pi/pi:latest"]
    assert render([missing]).splitlines() == [
        "not ready yet:",
        ('  - an image for machine "default" in netcage\'s store: image '
         "localhost/anon-pi/pi:latest is not in netcage's store (/var/tmp/nc-store)"),
        ("    fix: build it (`anon-pi init` builds the shipped images; your own: `netcage build "
         "-t localhost/anon-pi/pi:latest -f <Containerfile> <folder>`) or load a saved one "
         "(`netcage load -i <file.tar>`); `netcage images` lists the store; or pin another: "
         "`anon-pi machine set-image default <ref>`")]
    [from_env] = _missing(env={"ANON_PI_IMAGE": "x:1"}, machine_cfg={},
                          held=lambda ref: (False, ""))
    assert from_env.why.startswith("image x:1 is not") and from_env.fix.endswith(
        "; or set ANON_PI_IMAGE to another")
    assert _missing(held=lambda ref: (None, "podman is not on PATH")) == []  # cannot tell


def test_loopback_model_needs_a_netcage_that_reaches_it():
    config = {**CONFIG, "llm": "127.0.0.1:8080"}
    assert _missing(config=config, loopback_ok=True) == []
    [missing] = _missing(config=config, loopback_ok=False)
    assert "0.12" in missing.why and "README: Install netcage" in missing.fix


@pytest.mark.parametrize("config, machine_cfg, env", [
    (CONFIG, PINNED, {}), ({"proxy": CONFIG["proxy"]}, PINNED, {}), (CONFIG, {}, {}),
    (CONFIG, {"image": "--privileged"}, {}), (CONFIG, PINNED, {"ANON_PI_LLM": "8.8.8.8:1"}),
    ({**CONFIG, "projects": "/a:b"}, PINNED, {}),
    (CONFIG, PINNED, {"ANON_PI_ISOLATION": "bogus"}), ({**CONFIG, "isolation": "x"}, PINNED, {}),
])
def test_ready_exactly_when_the_launch_resolves(cli, config, machine_cfg, env):
    """The verdict and the launch's own checks agree (the launch is the judge)."""
    cli.write_json(cli.ws / "config.json", config)
    cli.write_json(cli.ws / "machines/default/machine.json", machine_cfg)
    io = context(cli.env(**env), cwd=str(cli.tmp))
    try:
        ctx = resolve_context(io, parse_launch(["recon"]))
        check_mountable(ctx.projects_root, "the projects root")  # what plan_for checks next
        launch_passes = True
    except AnonPiError:
        launch_passes = False
    verdict = missing_pieces(io.env, config, "default", machine_cfg, loopback_ok=True,
                             workspace=str(cli.ws), home=str(cli.home), cwd=str(cli.tmp),
                             held=_held, store=str(cli.store))
    assert (verdict == []) is launch_passes


def test_init_with_everything_says_ready(cli, lab):
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert out.rstrip().endswith(READY)
    assert "Onboarding complete" not in out and "not ready yet" not in out


def test_init_that_skipped_the_image_says_not_ready_with_the_fix(cli, lab):
    code, out = lab.run(lab.happy_steps(image="4"))
    assert code == 0, out
    tail = out[out.index("not ready yet:"):].splitlines()
    assert tail[:3] == [
        "not ready yet:", '  - an image for machine "default": machine "default" has no image',
        ("    fix: `anon-pi machine set-image default <ref>` (e.g. localhost/anon-pi/pi:latest "
         "once built at step 3/4), or `export ANON_PI_IMAGE=<ref>`")]
    assert "ready: `anon-pi" not in out


def test_an_existing_ref_the_store_lacks_is_refused_unless_pinned_anyway(cli, lab):
    """As `machine create --image` does: podman's own lookup in netcage's store."""
    cli.can("podman-image", rc=1)  # `podman image exists`: 1 = not there
    lacks = (f"anon-pi: image nonexist is not in netcage's store ({cli.store}).\r\n  hint: "
             "build it (`anon-pi init` builds the shipped images;")
    steps = lab.happy_steps(image="3")
    steps[-1:] = [("Image ref", "nonexist"), ("Pin it anyway (init then ends not ready)? [y/N]",
                                               ""), ("Choose [1-4]", "4"), ("Projects root", "")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert lacks in out and "machine \"default\" has no image" in out
    assert "image" not in json.loads((cli.ws / "machines/default/machine.json").read_text())
    steps[-3:] = [("[y/N]", "y"), ("Projects root", "")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert json.loads((cli.ws / "machines/default/machine.json").read_text()) == {
        "image": "nonexist"}
    assert ("  - an image for machine \"default\" in netcage's store: image nonexist is not in "
            f"netcage's store ({cli.store})") in out
    assert "ready: `anon-pi" not in out
    assert f"--root {cli.store} image exists -- nonexist" in cli.podman_calls()


def test_init_without_a_model_never_says_run_init(cli, lab):
    steps = [("Choose a number", "1"), ("as your proxy? [Y/n]", ""), PI_NETWORK_ENTER,
             ("Local model host:port", "example.com:8080"), ("Local model host:port", ""),
             ("Choose [1-4]", "1"), ("Projects root", "")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert "hostnames are not allowed" in out
    assert "  hint: enter the model server's private, link-local or loopback IP:port" in out
    assert "  - a local model (llm): no local model is configured" in out
    assert "anon-pi init`" not in out.split("Step 1/4", 1)[1]
    assert "llm" not in json.loads((cli.ws / "config.json").read_text())


def test_socks5_answer_is_refused_and_the_offer_taken_only_on_enter(cli, lab):
    cli.listen_on(9050)  # netcage verify dials the corrected proxy
    steps = lab.happy_steps()
    steps[0:2] = [("Choose a number", "socks5://127.0.0.1:9050"),
                  ("(or Enter for socks5h://127.0.0.1:9050)", ""), ("as your proxy? [Y/n]", ""),
                  ("Separate circuits per machine?", "n")]  # 9050 looks like Tor
    code, out = lab.run(steps)
    assert code == 0, out
    assert ("anon-pi: socks5://127.0.0.1:9050 is socks5://, which lets names be resolved "
            "outside the proxy") in out
    assert ["verify", "--proxy", "socks5h://127.0.0.1:9050"] in cli.calls()
    assert not [c for c in cli.calls() if "socks5://127.0.0.1:9050" in c]
    assert json.loads((cli.ws / "config.json").read_text())["proxy"] == "socks5h://127.0.0.1:9050"


def test_stored_socks5_proxy_is_offered_not_kept(cli, lab):
    cli.listen_on(9050)  # netcage verify dials the corrected proxy
    cli.write_json(cli.ws / "config.json", {"proxy": "socks5://127.0.0.1:9050"})
    steps = lab.happy_steps()
    steps[0:2] = [("(or Enter for socks5h://127.0.0.1:9050)", ""), ("as your proxy? [Y/n]", ""),
                  ("Separate circuits per machine?", "n")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert "anon-pi: socks5://127.0.0.1:9050 is socks5://" in out
    assert json.loads((cli.ws / "config.json").read_text())["proxy"] == "socks5h://127.0.0.1:9050"
