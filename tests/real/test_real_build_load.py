"""init's image step on real podman: `netcage build` of a trivial Dockerfile FROM the busybox
image into the test store (then found by the store probe init asks before a rebuild), a
failing build reported once with its step and last lines, and `netcage load -i` of a `podman
save` tar from podman's default store. netcage passes build and load through to podman: they
run through the stand-in over real podman always, and each real netcage generation where one
is named. In-process (the shipped Dockerfiles need a registry); the podman calls are real."""

import os
import uuid

import pytest
from harness_paths import FAKES
from real_podman_pairs import made_images
from real_support import (
    BASE_IMAGE,
    GENERATIONS,
    REAL_PODMAN_MODE,
    STORE,
    need,
    netcage_dir,
    podman,
    podman_missing,
)
from setup_proxy_support import SocksUpstream

from anonpi_helpers.edges import image_store, netcage
from anonpi_helpers.edges.real_io import real_context
from anonpi_helpers.init import image_step


@pytest.fixture(params=("stand-in", *GENERATIONS))
def real_path(request, monkeypatch, tmp_path):
    """This process runs the stand-in netcage over real podman or a real netcage generation, on
    the test store. plumbum passes its own copy of the environment (taken at import) to
    netcage: set both."""
    from plumbum import local

    mode = {}
    if request.param == "stand-in":
        folder = tmp_path / "stand-in"
        folder.mkdir()
        (folder / "netcage").symlink_to(FAKES / "netcage")
        mode = REAL_PODMAN_MODE
    else:
        folder = netcage_dir(request.param)
    need(podman_missing())
    path = f"{folder}:/usr/sbin:/usr/bin:/sbin:/bin"  # podman build needs iptables
    env = {"PATH": path, "NETCAGE_GRAPHROOT": str(STORE), **mode}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with local.env(**env):
        yield request.param


def _dockerfile(tmp_path, *lines: str):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile.test").write_text("\n".join([f"FROM {BASE_IMAGE}", *lines]) + "\n")
    return context / "Dockerfile.test"


def _in_store(ref: str) -> bool:
    return podman("image", "exists", ref, check=False).returncode == 0


@pytest.fixture
def proxy():
    """The proxy a build goes through: a loopback SOCKS5 upstream (these builds download
    nothing; the build's own network is tests/real/test_real_setup_proxy.py's subject)."""
    upstream = SocksUpstream()
    yield upstream.url
    upstream.close()


def test_netcage_build_writes_into_the_store_and_the_probe_sees_it(
        real_path, tmp_path, made_images, capfd, proxy):
    tag = f"localhost/anon-pi/built-{uuid.uuid4().hex[:8]}:latest"
    made_images.append(tag)
    io = real_context()  # this process's environment, as the fixture set it
    assert image_store.probe(io, tag) is False
    assert image_step.build(io, tag, _dockerfile(tmp_path, "RUN echo built > /built.txt"),
                            proxy) is None
    out = capfd.readouterr().out
    assert f"Building {tag} with netcage build" in out and "STEP 2/2: RUN echo built" in out
    assert _in_store(tag) and image_store.probe(io, tag) is True
    assert podman("run", "--rm", tag, "cat", "/built.txt").stdout == "built\n"


def test_a_failing_build_is_one_report_and_writes_nothing(real_path, tmp_path, made_images,
                                                          capfd, proxy):
    tag = f"localhost/anon-pi/broken-{uuid.uuid4().hex[:8]}:latest"
    made_images.append(tag)
    # one failing step: a successful step before it would stay behind as a cached layer
    dockerfile = _dockerfile(tmp_path, "RUN echo about-to-fail && false")
    assert image_step.build(real_context(), tag, dockerfile, proxy) == image_step.BUILD_FAILED
    err = capfd.readouterr().err
    [report] = [ln for ln in err.splitlines() if ln.startswith("anon-pi: building")]
    assert report == (f"anon-pi: building {tag} failed at STEP 2/2: RUN echo about-to-fail && "
                      f"false (`netcage build`, exit 1); {tag} was not written.")
    last = err.split("its last lines:\n", 1)[1].splitlines()
    assert 1 <= len(last) <= 4 and all(ln.startswith("    ") for ln in last)
    assert any("exit status 1" in ln for ln in last), last
    assert not _in_store(tag)


def test_netcage_load_of_a_podman_save_tar(real_path, made_images, capfd):
    tag = f"localhost/anon-pi/loaded-{uuid.uuid4().hex[:8]}:latest"
    podman("tag", BASE_IMAGE, tag, store=False)  # built in podman's default store
    made_images.append(tag)
    io = real_context()
    try:
        with open(os.devnull, encoding="utf-8") as io.stdin:  # netcage inherits it; pytest's
            assert netcage.supports(io, ["load", "--help"])  # own stdin has no descriptor
            assert image_step.load_into_netcage(io, tag) is True
        assert _in_store(tag) and image_store.probe(io, tag) is True
    finally:
        podman("rmi", tag, store=False, check=False)
