"""Image and box names a TAB offers from anon-pi's cache files, in a real bash, zsh and fish:
only while the file holds (before its expiry, not older than the store file it names)."""

import os
import time

import pytest
from completions_support import (
    make_workspace,
    offered,
    shell_env,
    write_cache,
)

BOXES = ["dev", "web-2"]
IMAGES = ["anon-pi/pi:latest", "anon-pi/snap1:latest"]
BOX_CASES = [("anon-pi container enter ", BOXES), ("anon-pi container rm w", ["web-2"]),
             ("anon-pi container rm -y d", ["dev"]), ("anon-pi container enter dev ", []),
             ("anon-pi container create ", [])]  # a new box's name is never an old one's


@pytest.fixture
def place(tmp_path):
    make_workspace(tmp_path)
    return tmp_path


def _env(place):
    return shell_env(place / "home", ANON_PI_HOME=place / "ws", XDG_CACHE_HOME=place / "xdg")


def _offered(shell: str, line: str, place) -> list[str]:
    return offered(shell, line, _env(place), place)


SHELLS = ["bash", "zsh", "fish"]  # each case calls need(shell): one line when it is missing


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line,offered", BOX_CASES)
def test_box_names_after_enter_and_rm(place, shell, line, offered):
    write_cache(place / "xdg", "boxes", BOXES)
    assert _offered(shell, line, place) == offered


@pytest.mark.parametrize("shell", SHELLS)
def test_stale_caches_offer_nothing(place, shell):
    """Past the expiry; older than the store's image index (an image built or removed since);
    a file from before expiries (no first line of ours): each offers nothing."""
    index = place / "store" / "overlay-images" / "images.json"
    index.parent.mkdir(parents=True)
    index.write_text("[]")
    images = write_cache(place / "xdg", "images", IMAGES, store=index)
    os.utime(index, (time.time() - 60,) * 2)
    assert _offered(shell, "anon-pi -i anon-pi/", place) == IMAGES  # the store is older
    os.utime(index, (time.time() + 5,) * 2)  # podman rewrote it after the listing
    assert _offered(shell, "anon-pi -i anon-pi/", place) == []
    write_cache(place / "xdg", "images", IMAGES, store=place / "store" / "unreadable")
    assert _offered(shell, "anon-pi -i anon-pi/", place) == IMAGES  # then only the expiry
    write_cache(place / "xdg", "boxes", BOXES, lasts=-1)
    images.write_text("".join(f"{n}\n" for n in IMAGES))
    assert _offered(shell, "anon-pi container enter ", place) == []
    assert _offered(shell, "anon-pi -i anon-pi/", place) == []
