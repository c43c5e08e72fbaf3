"""Pinning an image netcage's store does not hold: `machine create --image` and `machine
set-image` refuse it (how to build or load it, `--force` to pin anyway), say so when the
store cannot be asked, and leave the workspace untouched when they refuse."""

import os
import shutil

import pytest
from command_line_support import parsed
from data_verbs_support import make_machine
from harness_paths import PODMAN
from tree_digest import tree_digest

from anonpi_helpers.core.errors import AnonPiError

STORE_HINT = ("  hint: build it (`anon-pi init` builds the shipped images; your own: `netcage "
              "build -t {ref} -f <Containerfile> <folder>`) or load a saved one (`netcage load -i "
              "<file.tar>`); `netcage images` lists the store; to pin it anyway: `{forced}`\n")


def test_create_refuses_an_image_the_store_lacks_and_writes_nothing(cli):
    store = cli.store
    cli.can("podman-image", rc=1)  # `podman image exists`: 1 = not there
    before = tree_digest(cli.ws)
    res = cli.run("machine", "create", "box", "--image", "nonexist")
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == (
        f"anon-pi: image nonexist is not in netcage's store ({store}); nothing written.\n"
        + STORE_HINT.format(ref="nonexist",
                            forced="anon-pi machine create box --image nonexist --force"))
    assert cli.podman_calls() == [f"--root {store} image exists -- nonexist"]
    assert tree_digest(cli.ws) == before and cli.calls() == []


def test_a_store_folder_that_does_not_exist_holds_nothing_and_is_not_made(cli):
    """podman makes the store any `--root` call names: a refused pin must not leave
    netcage's store behind, so a missing one is answered without podman."""
    store = cli.tmp / "no-store-yet"
    res = cli.run("machine", "create", "box", "--image", "nonexist", NETCAGE_GRAPHROOT=store)
    assert res.returncode == 1
    assert res.stderr.startswith(
        f"anon-pi: image nonexist is not in netcage's store ({store}); nothing written.\n")
    assert cli.podman_calls() == [] and not os.path.lexists(store)


def test_create_with_force_pins_without_asking_the_store(cli):
    cli.can("podman-image", rc=1)
    res = cli.run("machine", "create", "box", "--force", "--image", "nonexist:latest")
    assert res.returncode == 0, res.stderr
    assert (cli.ws / "machines/box/machine.json").read_bytes() == (
        b'{\n\t"image": "nonexist:latest"\n}\n')
    assert cli.podman_calls() == []
    assert res.stderr.startswith('anon-pi: created machine "box" with image nonexist:latest')


def test_create_with_an_image_the_store_holds_asks_once_and_goes_ahead(cli):
    store = cli.store
    res = cli.run("machine", "create", "box", "--image", "localhost/anon-pi/pi:latest")
    assert res.returncode == 0, res.stderr
    assert res.stderr.startswith('anon-pi: created machine "box" with image '
                                 "localhost/anon-pi/pi:latest at ")
    assert cli.podman_calls() == [f"--root {store} image exists -- localhost/anon-pi/pi:latest"]


def test_set_image_refuses_a_missing_ref_and_keeps_the_pin(cli):
    store = cli.store
    folder = make_machine(cli.ws, "box", image="old:1")
    cli.can("podman-image", rc=1)
    before = tree_digest(cli.ws)
    res = cli.run("machine", "set-image", "box", "nonexist:latest")
    assert res.returncode == 1
    assert res.stderr == (
        f"anon-pi: image nonexist:latest is not in netcage's store ({store}); nothing changed.\n"
        + STORE_HINT.format(ref="nonexist:latest",
                            forced="anon-pi machine set-image box nonexist:latest --force"))
    assert tree_digest(cli.ws) == before
    res = cli.run("machine", "set-image", "box", "--force", "nonexist:latest")
    assert res.returncode == 0, res.stderr
    assert res.stderr.startswith('anon-pi: re-pinned machine "box" image old:1 -> nonexist:latest.')
    assert (folder / "machine.json").read_bytes() == b'{\n\t"image": "nonexist:latest"\n}\n'
    assert cli.podman_calls() == [f"--root {store} image exists -- nonexist:latest"]


def test_set_image_to_the_same_ref_asks_nothing(cli):
    make_machine(cli.ws, "box", image="same:1")
    cli.can("podman-image", rc=1)
    res = cli.run("machine", "set-image", "box", "same:1")
    assert res.returncode == 0 and "already pinned" in res.stderr
    assert cli.podman_calls() == []


def test_a_store_that_cannot_be_asked_is_said_and_the_pin_goes_ahead(cli):
    store = cli.store
    cli.can("podman-image", rc=125, err="Error: database is locked\n")
    res = cli.run("machine", "create", "box", "--image", "my/pi:1")
    assert res.returncode == 0, res.stderr
    assert res.stderr.split("anon-pi: created machine")[0] == (
        "anon-pi: could not check that image my/pi:1 is in netcage's store (`podman --root "
        f"{store} image exists -- my/pi:1` failed (exit 125): Error: database is locked); "
        "pinning it anyway.\n")
    assert (cli.ws / "machines/box/machine.json").exists()


def test_without_podman_on_path_the_check_is_said_to_be_impossible(cli):
    (cli.bindir / "podman").unlink()
    tools = cli.tmp / "basics"  # bin/anon-pi and the fake netcage need these, not podman
    tools.mkdir()
    for name in ("bash", "readlink", "env", "python3"):
        (tools / name).symlink_to(shutil.which(name))
    res = cli.run("machine", "create", "box", "--image", "my/pi:1",
                  PATH=f"{cli.bindir}:{tools}")
    assert res.returncode == 0, res.stderr
    assert res.stderr.split("anon-pi: created machine")[0] == (
        "anon-pi: could not check that image my/pi:1 is in netcage's store (podman is not on "
        "PATH); pinning it anyway.\n")


@pytest.mark.parametrize("argv, force", [
    (["create", "box", "--image", "x"], False),
    (["create", "--force", "box", "--image", "x"], True),
    (["create", "box", "--image", "x", "--force"], True),
    (["set-image", "box", "x"], False),
    (["set-image", "--force", "box", "x"], True),
    (["set-image", "box", "x", "--force"], True),
])
def test_force_goes_anywhere_after_the_sub_verb(argv, force):
    args = parsed("machine", *argv)
    assert (args.name, args.image, args.force) == ("box", "x", force)


@pytest.mark.parametrize("argv, said", [
    (["create", "box", "--forc"],
     "unknown option for machine create: --forc; did you mean `--force`?"),
    (["set-image", "box", "x", "--froce"],
     "unknown option for machine set-image: --froce; did you mean `--force`?"),
])
def test_a_mistyped_force_is_refused_with_the_flag_it_resembles(argv, said):
    with pytest.raises(AnonPiError) as caught:
        parsed("machine", *argv)
    assert caught.value.message == said and caught.value.code == 2


@pytest.mark.parametrize("code, out, answer", [
    (0, "", (True, "")), (1, "", (False, "")),
    (125, "Error: short-name resolution enforced\n",
     (None, ("`podman --root {store} image exists -- busybox` failed (exit 125): Error: short-name "
            "resolution enforced"))),
])
def test_the_store_edge_reads_podman_image_exists(nc, monkeypatch, tmp_path, code, out, answer):
    from anonpi_helpers.edges.image_store import lookup
    from anonpi_helpers.edges.real_io import real_context

    store = tmp_path / "store"
    store.mkdir()
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(store))
    nc.register([PODMAN, "--root", str(store), "image", "exists", "--", "busybox"], returncode=code,
                stderr=out)
    held, why = lookup(real_context(), "busybox")
    assert (held, why) == (answer[0], answer[1].format(store=store))


def test_the_store_edge_without_podman(nc, monkeypatch, tmp_path):
    from anonpi_helpers.edges.image_store import lookup
    from anonpi_helpers.edges.real_io import real_context

    (tmp_path / "store").mkdir()
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "store"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert lookup(real_context(), "busybox") == (None, "podman is not on PATH")
    assert not os.listdir(tmp_path / "bin")


def test_the_store_edge_answers_a_missing_store_without_podman(nc, monkeypatch, tmp_path):
    from anonpi_helpers.edges.image_store import lookup, lookups
    from anonpi_helpers.edges.real_io import real_context

    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "absent"))
    # an unregistered podman call would fail here
    assert lookup(real_context(), "busybox") == (False, "")
    assert lookups(real_context(), ["a:1", "b:1"]) == {"a:1": (False, ""), "b:1": (False, "")}
    assert not os.path.lexists(tmp_path / "absent")
