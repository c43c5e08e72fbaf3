"""edges/completion_cache.py: what it writes, and the same "still holds" rule the shells use."""

import os
import time

from in_process import context

from anonpi_helpers.edges import completion_cache as cache


def _env(tmp_path, **extra):
    return {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "xdg"),
            "NETCAGE_GRAPHROOT": str(tmp_path / "store"), **extra}


def test_written_names_are_clean_sorted_and_stamped(tmp_path):
    env = _env(tmp_path)
    cache.remember(context(env), cache.BOXES, ["web", "dev", "dev", "", "a b", "#x", "bell\a"])
    head, *names = (tmp_path / "xdg" / "anon-pi" / "boxes").read_text().splitlines()
    assert names == ["dev", "web"]
    tag, expiry = head.split(" ")
    assert tag == "#anon-pi-names" and abs(int(expiry) - time.time() - cache.EXPIRY) < 5
    assert cache.recalled(context(env), cache.BOXES) == ["dev", "web"]


def test_images_name_the_store_index_and_go_stale_when_it_changes(tmp_path):
    env = _env(tmp_path)
    index = tmp_path / "store" / "overlay-images" / "images.json"
    index.parent.mkdir(parents=True)
    index.write_text("[]")
    os.utime(index, (time.time() - 60,) * 2)
    cache.remember(context(env), cache.IMAGES, ["anon-pi/pi:latest"])
    path = tmp_path / "xdg" / "anon-pi" / "images"
    assert path.read_text().splitlines()[0].endswith(f" {index}")
    assert cache.recalled(context(env), cache.IMAGES) == ["anon-pi/pi:latest"]
    os.utime(index, (time.time() + 5,) * 2)  # podman rewrote it since
    assert cache.recalled(context(env), cache.IMAGES) is None
    index.unlink()  # an unreadable store: only the expiry counts
    assert cache.recalled(context(env), cache.IMAGES) == ["anon-pi/pi:latest"]


def test_expired_foreign_or_missing_files_hold_nothing(tmp_path):
    env = _env(tmp_path)
    assert cache.recalled(context(env), cache.BOXES) is None
    cache.remember(context(env), cache.BOXES, ["dev"])
    later = context(env, now=lambda: time.time() + cache.EXPIRY + 1)
    assert cache.recalled(later, cache.BOXES) is None
    path = tmp_path / "xdg" / "anon-pi" / "boxes"
    for text in ("dev\n", "", "#anon-pi-names soon\ndev\n", "\xff"):
        path.write_bytes(text.encode("latin-1"))
        assert cache.recalled(context(env), cache.BOXES) is None


def test_an_unwritable_cache_is_no_error(tmp_path):
    (tmp_path / "xdg").write_text("a file where the folder should be")
    cache.remember(context(_env(tmp_path)), cache.BOXES, ["dev"])


def test_the_hint_skips_the_fsyncs_that_workspace_files_get(tmp_path, monkeypatch):
    """The cache is rename-atomic like every write, but only a hint: no fsync (2-3 ms of each
    listing); a workspace file still gets both (the file, then its folder)."""
    from anonpi_helpers.edges import workspace

    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    cache.remember(context(_env(tmp_path)), cache.IMAGES, ["localhost/a:1"])
    assert synced == []
    assert (tmp_path / "xdg" / "anon-pi" / "images").read_text().endswith("\nlocalhost/a:1\n")
    workspace.write_json_atomic(tmp_path / "config.json", {"proxy": "socks5h://h:1"})
    assert len(synced) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
