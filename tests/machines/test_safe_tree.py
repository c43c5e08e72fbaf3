"""The fd walker (edges/safe_tree.py) on the shapes a jail can leave in a home: links kept as
links, special files skipped and named, no setuid bit carried over, a tree too deep refused
cleanly, deletes that only ever remove a link."""

import os
import socket
import stat
from pathlib import Path

import pytest
from tree_digest import tree_digest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges.safe_tree import (
    MAX_DEPTH,
    LinkInPath,
    copy_fd_tree,
    opened,
    remove_below,
)


def _copy(src: Path, dst: Path) -> list[Path]:
    skipped: list[Path] = []
    dst.mkdir()
    with opened(src) as s, opened(dst) as d:
        copy_fd_tree(s, d, src, skipped)
    return skipped


def test_copy_keeps_links_modes_times_and_skips_specials(tmp_path):
    src = tmp_path / "src"
    (src / "bin").mkdir(parents=True)
    (src / "bin/tool").write_bytes(b"#!/bin/sh\n" * 1000)
    (src / "bin/tool").chmod(0o4755)
    os.utime(src / "bin/tool", ns=(1_000_000_000, 2_000_000_000))
    (src / "empty").write_bytes(b"")
    (src / "out").symlink_to("/etc/passwd")
    (src / "rel").symlink_to("bin/tool")
    os.mkfifo(src / "fifo")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(src / "sock"))
        skipped = _copy(src, tmp_path / "dst")
    dst = tmp_path / "dst"
    assert sorted(skipped) == [src / "fifo", src / "sock"]
    assert (dst / "bin/tool").read_bytes() == (src / "bin/tool").read_bytes()
    assert stat.S_IMODE((dst / "bin/tool").stat().st_mode) == 0o755  # setuid dropped
    assert (dst / "bin/tool").stat().st_mtime_ns == 2_000_000_000
    assert os.readlink(dst / "out") == "/etc/passwd" and (dst / "out").is_symlink()
    assert os.readlink(dst / "rel") == "bin/tool"
    assert (dst / "empty").read_bytes() == b""
    assert not os.path.lexists(dst / "fifo") and not os.path.lexists(dst / "sock")


def _deep(root: Path, levels: int) -> Path:
    path = root
    for _ in range(levels):
        path = path / "d"
    path.mkdir(parents=True)
    (path / "f").write_text("deep")
    return path


def test_a_tree_too_deep_is_skipped_in_a_copy_and_refused_in_a_delete(tmp_path):
    _deep(tmp_path / "src", MAX_DEPTH + 5)
    skipped = _copy(tmp_path / "src", tmp_path / "dst")
    assert len(skipped) == 1 and len(skipped[0].relative_to(tmp_path / "src").parts) > MAX_DEPTH
    with pytest.raises(AnonPiError, match="nested deeper than"):
        remove_below(tmp_path, "src")


def test_remove_below_takes_only_the_link(tmp_path):
    outside = tmp_path / "outside"
    (outside / "x").mkdir(parents=True)
    (outside / "x/keep").write_text("keep")
    ws = tmp_path / "ws"
    (ws / "machines").mkdir(parents=True)
    (ws / "machines/m").symlink_to(outside)
    before = tree_digest(outside)
    with pytest.raises(LinkInPath):
        remove_below(ws, "machines/m/x")
    assert remove_below(ws, "machines/m") == "link"
    assert tree_digest(outside) == before and not os.path.lexists(ws / "machines/m")
    assert remove_below(ws, "machines/gone") == "absent"


def test_remove_below_deletes_a_tree_with_every_kind_of_entry(tmp_path):
    tree = tmp_path / "ws/t"
    (tree / "a/b").mkdir(parents=True)
    (tree / "a/b/f").write_text("x")
    (tree / "a/link").symlink_to(tmp_path)
    os.mkfifo(tree / "a/fifo")
    assert remove_below(tmp_path / "ws", "t") == "dir"
    assert not os.path.lexists(tree) and (tmp_path / "ws").is_dir()
