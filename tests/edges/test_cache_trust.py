"""anon-pi's cache files are hints it trusts only as far as it can check them: the version
cache vouches only for a real netcage ELF (never a script or a version manager's shim), is
written only by a real query (doctor, init) and never by a launch or a dry-run; and no cache
is read unless it is the user's own regular file in the user's own folder, read without
following a link or blocking, with a header it wrote itself."""

import json
import os
import shutil
from pathlib import Path

import pytest
from containers_support import ps_entry, ps_json
from harness_paths import FAKES
from in_process import context

from anonpi_helpers.edges import completion_cache, netcage, version_cache
from anonpi_helpers.edges.real_io import real_context


@pytest.fixture
def elf_netcage(cli):
    return cli.elf_netcage()


def shim_netcage(cli) -> Path:
    """A version manager's shim: a script named `netcage` that runs whatever is current."""
    shim = cli.bindir / "netcage"
    shim.unlink()
    shim.write_text(f"#!/bin/sh\nexec {FAKES / 'netcage'} \"$@\"\n")
    shim.chmod(0o755)
    return shim


def cache(cli) -> Path:
    return cli.home / ".cache" / "anon-pi" / "netcage-version.json"


def hole(cli, version: str) -> list[str]:
    """The direct-hole flag a dry-run gives netcage when netcage now says `version`."""
    res = cli.run("--dry-run", "p", "-p", "x", FAKE_NETCAGE_VERSION=version)
    assert res.returncode == 0, res.stderr
    return [w for w in res.stdout.split() if w.startswith("--allow")]


def version_calls(cli) -> int:
    return sum(1 for c in cli.calls() if c == ["--version"])


def test_behind_a_shim_an_upgrade_is_seen_at_once(cli):
    cli.configure()
    shim_netcage(cli)
    assert hole(cli, "netcage 0.11.1") == ["--allow-direct"]
    assert cli.run("doctor", FAKE_NETCAGE_VERSION="netcage 0.11.1").stdout
    assert hole(cli, "netcage 0.13.0") == ["--allow"]  # not the answer 0.11.1 gave
    assert not cache(cli).exists()


def test_a_real_netcage_binary_is_answered_from_the_cache_doctor_wrote(cli, elf_netcage):
    cli.configure()
    cli.run("doctor", FAKE_NETCAGE_VERSION="netcage 0.11.1")
    assert json.loads(cache(cli).read_text())["version"] == "netcage 0.11.1\n"
    asked = version_calls(cli)
    assert hole(cli, "netcage 0.13.0") == ["--allow-direct"]  # the binary did not change
    assert version_calls(cli) == asked
    doctor = cli.run("doctor", FAKE_NETCAGE_VERSION="netcage 0.13.0")  # asks, whatever is kept
    assert version_calls(cli) == asked + 1 and "0.13.0" in doctor.stdout.splitlines()[0]
    os.utime(elf_netcage)  # an upgrade in place: a new mtime (and ctime)
    assert hole(cli, "netcage 0.13.0") == ["--allow"]
    assert version_calls(cli) == asked + 2


def test_a_dry_run_or_a_refused_launch_never_writes_the_cache(cli, elf_netcage):
    cli.configure()
    assert hole(cli, "netcage 0.12.0") == ["--allow"]
    refused = cli.run("p")  # no terminal for an interactive launch: refused after resolving
    assert refused.returncode == 1 and "no TTY" in refused.stderr
    assert version_calls(cli) == 2
    assert not cache(cli).parent.exists()


def test_a_fifo_in_place_of_the_version_cache_hangs_nothing(cli, elf_netcage):
    cli.configure()
    cache(cli).parent.mkdir(parents=True)
    os.mkfifo(cache(cli))
    assert hole(cli, "netcage 0.12.0") == ["--allow"]  # subprocess timeout: 60 s
    assert cli.run("doctor").returncode in (0, 1)


def test_an_unreadable_expiry_in_the_images_cache_is_no_cache(cli):
    """`²` passes str.isdigit(); int() then fails: image snapshot used to die after it
    printed "committing…", the commit already under way."""
    cli.configure()
    cli.can("ps", ps_json(ps_entry("aaa111", "default", "/projects/alpha", name="alpha_1")))
    cli.can("inspect-aaa111", "localhost/anon-pi/pi:latest\n")
    images = cli.home / ".cache" / "anon-pi" / "images"
    images.parent.mkdir(parents=True)
    images.write_text("#anon-pi-names \u00b2\nanon-pi/old:latest\n")
    res = cli.run("image", "snapshot", "tb", "-m", "default")
    assert res.returncode == 0, res.stderr
    assert "snapshotted alpha_1 into image anon-pi/tb:latest" in res.stderr
    assert images.read_text().splitlines()[1:] == ["anon-pi/tb:latest"]


@pytest.mark.parametrize("head", ["#anon-pi-names \u00b2", "#anon-pi-names 1" + "9" * 5000,
                                  "#anon-pi-names ９９９９９９９９９９", "#other 9999999999",
                                  "#anon-pi-names -1", ""])
def test_a_bad_header_means_no_names(tmp_path, head):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    (tmp_path / "anon-pi").mkdir()
    (tmp_path / "anon-pi" / "boxes").write_text(f"{head}\ndev\n")
    assert completion_cache.recalled(context(env), completion_cache.BOXES) is None


needs_root = pytest.mark.skipif(os.getuid() != 0, reason="needs root to make a file another "
                                "user's")


@needs_root
@pytest.mark.parametrize("whose", ["folder", "file"])
def test_another_users_cache_is_neither_read_nor_written(tmp_path, whose):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    folder = tmp_path / "anon-pi"
    folder.mkdir()
    names = folder / "boxes"
    names.write_text("#anon-pi-names 9999999999\nplanted\n")
    os.chown(folder if whose == "folder" else names, 65534, 65534)
    assert completion_cache.recalled(context(env), completion_cache.BOXES) is None
    completion_cache.remember(context(env), completion_cache.BOXES, ["mine"])
    if whose == "folder":
        assert names.read_text().endswith("planted\n")  # nothing written into their folder


@pytest.mark.parametrize("kind", ["writable by others", "a link"])
def test_a_folder_others_can_write_or_a_link_is_no_cache(tmp_path, kind):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "boxes").write_text("#anon-pi-names 9999999999\nplanted\n")
    if kind == "a link":
        (tmp_path / "anon-pi").symlink_to(real)
    else:
        real.rename(tmp_path / "anon-pi")
        os.chmod(tmp_path / "anon-pi", 0o777)
    assert completion_cache.recalled(context(env), completion_cache.BOXES) is None


def test_the_version_key_needs_an_elf_named_netcage(tmp_path):
    elf = tmp_path / "netcage"
    shutil.copy("/bin/true", elf)
    assert version_cache.binary_key(str(elf))["path"] == str(elf)
    renamed = tmp_path / "mise"
    shutil.copy("/bin/true", renamed)
    link = tmp_path / "bin" / "netcage"
    link.parent.mkdir()
    link.symlink_to(renamed)  # a shim that is a link to the version manager itself
    assert version_cache.binary_key(str(link)) is None
    script = tmp_path / "script" / "netcage"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\nexec /opt/netcage-0.13/netcage \"$@\"\n")
    assert version_cache.binary_key(str(script)) is None


def test_remembering_keeps_only_a_real_version_of_a_real_binary(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shutil.copy("/bin/true", bindir / "netcage")
    monkeypatch.setenv("PATH", str(bindir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    stored = tmp_path / "cache" / "anon-pi" / "netcage-version.json"
    netcage.remember_version(real_context(), "usage: netcage [flags]\n")
    assert not stored.exists()
    netcage.remember_version(real_context(), "netcage 0.13.0\n")
    assert json.loads(stored.read_text())["version"] == "netcage 0.13.0\n"
    key = version_cache.binary_key(str(bindir / "netcage"))
    assert version_cache.load(key, os.environ) == "netcage 0.13.0\n"


def test_a_version_number_of_thousands_of_digits_is_no_version():
    from anonpi_helpers.core.netcage_version import hole_flag, parse_version

    assert parse_version("netcage 0." + "1" * 5000 + ".0") is None
    assert hole_flag("netcage 0." + "1" * 5000 + ".0") == "--allow"
