"""The hostile corpus: every printing path of anon-pi gets the same escape sequences, C1
controls, bidi overrides, NUL and lone surrogates in the strings it did not write (the jail's
folder and file names, pi's stream, container labels, netcage's output, config.json values)
and must write none of them raw: the bytes written decode as UTF-8 and hold no control
(newline and tab aside), no bidi or invisible character, no line separator, and yet show the
payload's printable part (so the row really printed it). The rows, one per printing path,
are in hostile_printing_paths.py.
"""

import hostile_printing_paths
import pytest
from hostile_corpus import WITNESS, problems
from hostile_printing_paths import PATHS, TERMINAL


@pytest.mark.parametrize("path", list(PATHS))
def test_no_printing_path_writes_the_hostile_corpus_raw(cli, path):
    outputs = PATHS[path](cli)
    assert any(WITNESS in data for data in outputs.values()), (
        f"{path}: the payload was never printed, so this row proves nothing: {outputs!r}")
    for name, data in outputs.items():
        assert b"unexpected error" not in data and b"Traceback" not in data, (
            f"{path} / {name} crashed: {data!r}")
        found = problems(data, terminal=name in TERMINAL)
        assert not found, f"{path} / {name}: {found}\n{data!r}"


def test_the_checker_catches_each_sequence():
    """The corpus check itself: each hostile piece, written raw, is caught."""
    for piece in ("\x1b]52;c;x\x07", "\x9b2J", "a\u202eb", "\u2028", "\x00", "\x7f"):
        assert problems(piece.encode("utf-8")), piece
    assert problems(b"raw \x9b byte")
    assert not problems("plain, café, 日本語, 👩\u200d💻\n\tend".encode())


# A newline inside a foreign string must not start a line of its own: what follows it would
# read as anon-pi's (an `anon-pi:` refusal, a `ready:` verdict, a prompt). It shows as \x0a.
FORGED = "\nFORGED anon-pi: line"
# where a foreign newline stays by design (the model's answer, netcage's own relayed lines),
# or where no foreign line is printed past its first line or the screen's width
NEWLINES_KEPT = {"text-stream (stdout and stderr)", "init echoes and relayed netcage verify",
                 "netcage verify/build output and start/commit stderr relayed",
                 "the bare menu and its warning", "forward picker rows (edges/selector.py)"}


@pytest.mark.parametrize("path", [p for p in PATHS if p not in NEWLINES_KEPT])
def test_no_foreign_newline_starts_a_line(cli, path, monkeypatch):
    for name in ("ESCAPES", "TEXT", "UTF8_TEXT", "FILE_NAME", "QUIET"):
        monkeypatch.setattr(hostile_printing_paths, name,
                            getattr(hostile_printing_paths, name) + FORGED)
    outputs = PATHS[path](cli)
    assert any(b"FORGED" in data for data in outputs.values()), (
        f"{path}: the payload was never printed, so this row proves nothing: {outputs!r}")
    for name, data in outputs.items():
        forged = [ln for ln in data.splitlines() if ln.lstrip(b" \t\r").startswith(b"FORGED")]
        assert not forged, f"{path} / {name}: {forged}\n{data!r}"
