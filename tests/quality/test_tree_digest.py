"""tree_digest stands behind every "byte-identical" assertion, so it must itself be able to
fail: a changed mode, a FIFO where a folder was, a retargeted link, a same-size rewrite."""

import os
import socket

from tree_digest import tree_digest


def _tree(root):
    (root / "d").mkdir(parents=True)
    (root / "d/f").write_text("abc")
    (root / "l").symlink_to("d/f")
    os.mkfifo(root / "fifo")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(root / "sock"))
    return tree_digest(root)


def test_records_every_type_as_what_it_is(tmp_path):
    digest = _tree(tmp_path / "t")
    assert digest["d"].startswith("dir ")
    assert digest["d/f"].split()[2] == "3"
    assert digest["l"] == "link d/f"
    assert digest["fifo"].startswith("fifo ")
    assert digest["sock"].startswith("socket ")


def test_sees_mode_content_type_and_target_changes(tmp_path):
    root = tmp_path / "t"
    before = _tree(root)
    changes = [
        lambda: (root / "d/f").chmod(0o600),
        lambda: (root / "d/f").write_text("abd"),  # same size, other bytes
        lambda: ((root / "l").unlink(), (root / "l").symlink_to("elsewhere")),
        lambda: ((root / "fifo").unlink(), (root / "fifo").mkdir()),
        lambda: (root / "d").chmod(0o700),
    ]
    for change in changes:
        change()
        after = tree_digest(root)
        assert after != before
        before = after


def test_a_linked_root_is_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "root").symlink_to(tmp_path / "real")
    assert tree_digest(tmp_path / "root") == {".": f"link {tmp_path / 'real'}"}
    assert tree_digest(tmp_path / "missing") == {}
