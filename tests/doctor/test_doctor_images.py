"""doctor's image rows: netcage's own sidecar and alpine, and each machine's image, as
netcage's store answers for each ref (podman's own `image exists`, the lookup the pin check
and a launch share). In-process: podman's answers come from pytest-subprocess
(doctor_support's `doc` fixture); tests/real/test_real_doctor.py asks the real podman."""

import json

import pytest
from doctor_support import (
    ALPINE,
    SIDECAR,
    TOOLBOX,
    doc_fixture,  # noqa: F401  the `doc` fixture
    fix_after,
    line,
    run,
)


@pytest.mark.parametrize("doc, missing", [
    ({"held": (TOOLBOX,)}, [SIDECAR, ALPINE]),
    ({"held": (TOOLBOX, SIDECAR)}, [ALPINE]),
    ({"held": (TOOLBOX, ALPINE)}, [SIDECAR]),
], indirect=["doc"])
def test_netcage_images_missing_warn_with_a_pull_through_the_proxy(doc, capsys, missing):
    code, lines = run(capsys)
    assert code == 0
    got = line(lines, "netcage images")
    assert got.startswith("warn netcage images: ") and got.endswith(
        f"not in netcage's store {doc.store}: the first launch pulls from docker.io directly, "
        "over this host's own network, not through the proxy")
    assert ("docker.io/xjasonlyu/tun2socks (its tun2socks sidecar" in got) == (SIDECAR in missing)
    assert ("alpine:latest (alpine, for its reachability probes)" in got) == (ALPINE in missing)
    assert fix_after(lines, got) == (
        "  fix: pre-pull through your proxy: re-run `anon-pi init` (Enter keeps each answer; "
        "it pulls them as soon as the proxy is chosen), or by hand: "
        f"HTTPS_PROXY=socks5://127.0.0.1:{doc.proxy.port} podman --root {doc.store} pull "
        f"{' '.join(missing)}")


def test_netcage_images_are_looked_up_as_netcage_runs_them(doc, capsys):
    """The sidecar by its pinned digest (another tun2socks does not count), alpine by tag."""
    run(capsys)
    assert SIDECAR in doc.asked and ALPINE in doc.asked


def test_a_store_that_does_not_exist_is_said_without_asking_podman(doc, capsys):
    """doctor is read-only: podman would create the store any `--root` call names."""
    doc.store.rmdir()
    code, lines = run(capsys)
    assert line(lines, "netcage images").startswith("warn netcage images: docker.io/xjasonlyu/")
    assert line(lines, "image (default)") == (
        "FAIL image (default): anon-pi/toolbox:latest is not in netcage's image store")
    assert code == 1 and doc.asked == [] and not doc.store.exists()


@pytest.mark.parametrize("doc", [{"rc": 125, "err": "Error: locked\n"}], indirect=True)
def test_an_unreadable_store_is_a_warning_for_netcage_images(doc, capsys):
    _, lines = run(capsys)
    got = line(lines, "netcage images")
    assert got == ("warn netcage images: cannot tell whether netcage's sidecar and alpine are "
                   f"in its store: `podman --root {doc.store} image exists -- {SIDECAR}` failed "
                   "(exit 125): Error: locked")
    assert fix_after(lines, got) == (f"  fix: check that podman can read netcage's store: "
                                     f"`podman --root {doc.store} images`")


@pytest.mark.parametrize("doc", [{"held": (SIDECAR, ALPINE, TOOLBOX, "localhost/" + TOOLBOX)}],
                         indirect=True)
def test_every_machine_image_is_checked_others_only_warn(doc, capsys):
    for name, cfg in (("work", {"image": "anon-pi/gone:latest"}), ("spare", {}),
                      ("box", {"image": "localhost/" + TOOLBOX})):
        (doc.ws / "machines" / name).mkdir()
        (doc.ws / "machines" / name / "machine.json").write_text(json.dumps(cfg))
    (doc.ws / "machines" / ".hidden").mkdir()
    code, lines = run(capsys)
    assert code == 0
    rows = [ln for ln in lines if ln.startswith(("ok   image (", "warn image (", "FAIL image ("))]
    assert rows == [
        "ok   image (default): anon-pi/toolbox:latest is in netcage's image store",
        "ok   image (box): localhost/anon-pi/toolbox:latest is in netcage's image store",
        "warn image (spare): no image pinned",
        "warn image (work): anon-pi/gone:latest is not in netcage's image store"]
    assert fix_after(lines, rows[2]) == "  fix: `anon-pi machine set-image spare <ref>`"
    assert sorted(doc.asked) == sorted([SIDECAR, ALPINE, TOOLBOX, "localhost/" + TOOLBOX,
                                        "anon-pi/gone:latest"])  # one lookup per ref


@pytest.mark.parametrize("doc, ref, row", [
    ({"held": (SIDECAR, ALPINE, "busybox")}, "busybox",
     "ok   image (default): busybox is in netcage's image store"),
    ({}, "anon-pi/toolbox:v2",
     "FAIL image (default): anon-pi/toolbox:v2 is not in netcage's image store"),
], indirect=["doc"])
def test_the_image_row_is_podmans_own_lookup_of_the_pinned_ref(doc, capsys, ref, row):
    """podman resolves short names, tags left out and ids as a launch will (tests/real checks
    its answers); doctor asks it for the ref exactly as pinned and says what it answered."""
    (doc.ws / "machines" / "default" / "machine.json").write_text(json.dumps({"image": ref}))
    code, lines = run(capsys)
    assert line(lines, "image (default)") == row
    assert ref in doc.asked
    assert code == (0 if row.startswith("ok") else 1)
    if code:
        assert lines[lines.index(row) + 1] == (
            "  fix: build or load it (`anon-pi init` builds the basic one), or pin another: "
            "`anon-pi machine set-image default <ref>`")


def test_a_ref_that_reads_as_an_option_is_refused_as_a_launch_refuses_it(doc, capsys):
    """`podman image exists --help` exits 0: such a ref must never read as held."""
    (doc.ws / "machines" / "default" / "machine.json").write_text('{"image": "--help"}')
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "image (default)")
    assert got == ("FAIL image (default): invalid image ref '--help': it starts with '-' or "
                   "contains whitespace or control characters.")


def test_image_not_pinned(doc, capsys, monkeypatch):
    (doc.ws / "machines" / "default" / "machine.json").write_text("{}")
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "image (default)")
    assert got == "FAIL image (default): no image pinned"
    assert lines[lines.index(got) + 1] == (
        "  fix: `anon-pi machine set-image default <ref>` or run `anon-pi init`")
    assert sorted(doc.asked) == sorted([SIDECAR, ALPINE])  # still asked: netcage's own images


@pytest.mark.parametrize("doc", [{"rc": 125, "err": "Error: a\nError: b\n"}], indirect=True)
def test_a_store_that_cannot_be_asked_fails_the_default_machines_image(doc, capsys):
    (doc.ws / "config.json").write_text(json.dumps({"defaultMachine": "work"}))
    (doc.ws / "machines" / "work").mkdir()
    (doc.ws / "machines" / "work" / "machine.json").write_text(json.dumps({"image": "x:1"}))
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "image (work)") == (
        "FAIL image (work): x:1: cannot ask netcage's image store: `podman --root "
        f"{doc.store} image exists -- x:1` failed (exit 125): "
        "Error: b")
    assert line(lines, "image (default)").startswith("warn image (default): ")


def test_an_image_ref_no_argv_can_carry_is_one_row_not_a_crash(cli):
    """machine.json's image goes to `podman image exists` as an argument: a lone surrogate or
    a NUL cannot be one, and doctor says so in the machine's row."""
    cli.configure(image=None)
    for name, raw in (("sur", '"a\\ud800b"'), ("nul", '"a\\u0000b"')):
        (cli.ws / "machines" / name).mkdir(parents=True)
        (cli.ws / "machines" / name / "machine.json").write_text(f'{{"image": {raw}}}')
    res = cli.run("doctor")
    assert res.stderr == ""
    rows = [ln for ln in res.stdout.splitlines() if ln.startswith("warn image (")]
    assert rows == [("warn image (nul): invalid image ref 'a\\x00b': it starts with '-' or "
                     "contains whitespace or control characters."),
                    "warn image (sur): the image ref is not valid UTF-8: a\\ud800b"]
