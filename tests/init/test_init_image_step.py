"""init's image step against netcage's store: reuse an image already there, build
when the store cannot be read, and a failed webveil build reported once with the basic image
offered instead. pexpect drives init; netcage and podman are the harness's fakes."""

import json

import pytest
from completions_support import bash_candidates, write_cache
from containers_support import fixture
from in_process import context
from init_support import Lab, flat

from anonpi_helpers.init import image_step

PI = "localhost/anon-pi/pi:latest"
WEBVEIL = "localhost/anon-pi/pi-webveil:latest"
REUSE = "Reuse it (skip the rebuild)? [Y/n]"
WEBVEIL_FAILS = """\
STEP 1/9: FROM docker.io/library/node:24-bookworm-slim
STEP 8/9: RUN PI_CODING_AGENT_DIR="$ANON_PI_STAGE" pi install npm:pi-webveil
npm error 404 Not Found - GET https://registry.npmjs.org/pi-webveil - Not found
npm error 404  'pi-webveil@*' is not in this registry.
Error: building at STEP "RUN PI_CODING_AGENT_DIR=..." : while running runtime: exit status 1
netcage: build: podman build: exit status 1
"""


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def _store_holds(cli, ref: str) -> None:
    cli.can("podman-images", json.dumps([{"Id": "a" * 64, "Names": [ref], "Labels": None}]))


def _builds(cli) -> list[list[str]]:
    return [c for c in cli.calls() if c[:2] == ["build", "-t"]]


def _pinned(cli) -> dict:
    return json.loads((cli.ws / "machines/default/machine.json").read_text())


def _with(steps, *inserted):
    return steps[:7] + list(inserted) + steps[7:]


def test_an_image_already_in_the_store_is_reused_without_a_rebuild(cli, lab):
    _store_holds(cli, PI)
    code, out = lab.run(_with(lab.happy_steps(), (REUSE, "")))
    assert code == 0, out
    assert f"{PI} is already in netcage's store." in out
    assert _builds(cli) == [] and _pinned(cli) == {"image": PI}
    assert f"--root {cli.store} images --format json" in cli.podman_calls()


def test_declining_the_reuse_rebuilds(cli, lab):
    _store_holds(cli, PI)
    code, out = lab.run(_with(lab.happy_steps(), (REUSE, "n")))
    assert code == 0, out
    assert [b[2] for b in _builds(cli)] == [PI] and _pinned(cli) == {"image": PI}


def test_a_build_adds_its_image_to_the_names_a_tab_offers(cli, lab):
    cache = write_cache(cli.home / ".cache", "images", ["anon-pi/old:latest"])
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert cache.read_text().splitlines()[1:] == ["anon-pi/old:latest", "anon-pi/pi:latest"]
    assert sorted(bash_candidates("anon-pi -i anon-pi/", cli.env(), cli.tmp)) == [
        "anon-pi/old:latest", "anon-pi/pi:latest"]


def test_a_store_that_cannot_be_read_means_build_never_a_stale_skip(cli, lab):
    cli.can("podman-images", "", 125, "Error: database is locked\n")
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert REUSE not in out
    assert [b[2] for b in _builds(cli)] == [PI]


def test_another_tag_in_the_store_is_no_reason_to_skip(cli, lab):
    cli.can("podman-images", fixture("images-after-snapshot.json"))
    code, out = lab.run(lab.happy_steps())
    assert code == 0, out
    assert REUSE not in out and len(_builds(cli)) == 1


def test_a_failed_webveil_build_is_one_report_then_the_basic_image(cli, lab):
    cli.can("build-pi-webveil", WEBVEIL_FAILS, 1)
    code, out = lab.run(_with(lab.happy_steps(image="2"),
                              ("Use the basic pi image (no web search) instead? [Y/n]", "")))
    assert code == 0, out
    assert (f"anon-pi: building {WEBVEIL} failed at STEP 8/9: RUN PI_CODING_AGENT_DIR="
            f'"$ANON_PI_STAGE" pi install npm:pi-webveil (`netcage build`, exit 1); {WEBVEIL} '
            "was not written.") in out
    assert "its last lines:" in out and "    netcage: build: podman build: exit status 1" in out
    assert out.count("anon-pi: building") == 1
    assert [b[2] for b in _builds(cli)] == [WEBVEIL, PI]
    assert _pinned(cli) == {"image": PI}


def test_declining_the_basic_image_goes_back_to_the_menu_with_nothing_written(cli, lab):
    cli.can("build-pi-webveil", WEBVEIL_FAILS, 1)
    steps = lab.happy_steps(image="2")
    steps = steps[:7] + [("instead? [Y/n]", "n"), ("Build failed; pick another option.", "4")]
    code, out = lab.run(steps + [("Projects root", "")])
    assert code == 0, out
    assert out.count("[1] basic pi") == 2
    assert [b[2] for b in _builds(cli)] == [WEBVEIL] and _pinned(cli) == {}


def test_the_load_by_hand_hint_names_the_uid_scoped_store(cli, lab):
    cli.can("build---help", "", 2)
    cli.can("load---help", "", 2)
    steps = _with(lab.happy_steps(), ("Load failed; pick another option.", "4"))
    code, out = lab.run(steps, FAKE_PODMAN_LOAD_RC="1")
    assert code == 0, out
    assert f"podman --root {cli.store} load -i /tmp/i.tar" in out
    assert f"--root {cli.store} load -i " in " ".join(
        cli.podman_calls())


def _no_namespace_here(cli) -> None:
    """An `unshare` that is refused, as on a host that does not allow new namespaces."""
    fake = cli.bindir / "unshare"
    fake.write_text("#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\n"
                    "exit 1\n")
    fake.chmod(0o755)


HOST_NETWORK = "Build on this host's network anyway? [y/N]"


def test_without_a_network_of_its_own_the_build_says_what_would_leave_and_enter_refuses(cli, lab):
    _no_namespace_here(cli)
    steps = _with(lab.happy_steps(), (HOST_NETWORK, ""),
                  ("Build not started; pick another option.", "4"))
    code, out = lab.run(steps)
    assert code == 0, out
    assert ("The build's RUN steps cannot get a network of their own here (unshare: unshare "
            "failed: Operation not permitted).") in out
    assert ("a step that ignores them would connect directly, from this host's own "
            "address.") in flat(out)
    assert _builds(cli) == [] and _pinned(cli) == {}


def test_agreeing_builds_with_the_hosts_network_still_through_the_proxy(cli, lab):
    _no_namespace_here(cli)
    code, out = lab.run(_with(lab.happy_steps(), (HOST_NETWORK, "y")))
    assert code == 0, out
    [build] = _builds(cli)
    assert build[5] == "--network=host" and _pinned(cli) == {"image": PI}
    assert f"Building {PI} with netcage build through your proxy" in out


def test_a_pinned_ref_cannot_forge_lines_of_the_image_menu():
    io = context()
    image_step.menu(io, "localhost/x\nanon-pi: image verified")
    out = io.stdout.getvalue()
    assert "current image: localhost/x\\x0aanon-pi: image verified\n" in out
    assert not any(line.startswith("anon-pi:") for line in out.splitlines())
