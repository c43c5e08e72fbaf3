"""Reading a small file in a folder the jail writes: only a plain file, never through a link,
never stuck on a FIFO, never more than the limit (edges/regular_file.py)."""

import os

import pytest

from anonpi_helpers.edges.regular_file import read_regular


@pytest.fixture
def folder(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    yield tmp_path, fd
    os.close(fd)


def test_a_plain_file_up_to_the_limit_is_read_whole(folder):
    path, fd = folder
    (path / "f").write_bytes(b"x" * 10)
    assert read_regular(fd, "f", 10) == b"x" * 10
    (path / "empty").write_bytes(b"")
    assert read_regular(fd, "empty", 10) == b""


def test_one_byte_over_the_limit_reads_as_nothing(folder):
    path, fd = folder
    (path / "f").write_bytes(b"x" * 11)
    assert read_regular(fd, "f", 10) is None


def test_a_link_to_a_file_reads_as_nothing(folder):
    path, fd = folder
    secret = path.parent / f"{path.name}-secret"
    secret.write_bytes(b"host file")
    (path / "f").symlink_to(secret)
    assert read_regular(fd, "f", 100) is None


def test_a_fifo_a_folder_and_a_missing_name_read_as_nothing(folder):
    """A FIFO nobody writes would block a plain open for ever."""
    path, fd = folder
    os.mkfifo(path / "fifo")
    (path / "dir").mkdir()
    assert [read_regular(fd, n, 100) for n in ("fifo", "dir", "absent")] == [None] * 3
