"""The selector's pure parts: its input tokeniser (edges/selector.py) and screen arithmetic
(edges/selector_screen.py)."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.edges.selector import next_key
from anonpi_helpers.edges.selector_screen import clip, frame, width, window


def keys(data: bytes, final: bool = True) -> list[str]:
    out = []
    while data:
        key, data = next_key(data, final)
        if key is None:
            break
        out.append(key)
    return out


@pytest.mark.parametrize("data, expected", [
    (b"jj", ["j", "j"]),
    (b"\x1b[B\x1bOA\r", ["down", "up", "enter"]),
    (b"\x1b[5~\x1b[H\x1b[C\x1b[1;5A", ["other"] * 4),
    (b"\x1b", ["esc"]),
    (b"\x1bx", ["esc", "x"]),
    (b"caf\xc3\xa9q", ["c", "a", "f", "\u00e9", "q"]),
    (b"\xe6\x97\xa5\xf0\x9f\x90\x8d", ["\u65e5", "\U0001f40d"]),
    (b"\xc3(\xff\x80", ["other", "(", "other", "other"]),
    (b"\x7f\x08", ["backspace", "backspace"]),
    (b"\n\x03", ["enter", "\x03"]),
])
def test_bytes_become_keys(data, expected):
    assert keys(data) == expected


@pytest.mark.parametrize("part", [b"\x1b", b"\x1b[", b"\x1b[5", b"\x1bO", b"\xc3", b"\xe6\x97"])
def test_a_sequence_cut_short_waits_for_the_rest(part):
    assert next_key(part, final=False) == (None, part)


@given(st.lists(st.sampled_from([b"j", b"k", b"\x1b[A", b"\x1b[B", b"\x1bOB", b"\x1b[6~",
                                 "\u00e9".encode(), "\u65e5".encode(), b"\x7f"]),
                max_size=12), st.integers(min_value=1, max_value=4))
def test_any_split_of_the_input_gives_the_same_keys(chunks, cut):
    """Typeahead in one read or spread over many reads: the same keys in the same order."""
    data = b"".join(chunks)
    whole = keys(data)
    pending, got = b"", []
    for i in range(0, len(data), cut):
        pending += data[i:i + cut]
        while pending:
            key, pending = next_key(pending, final=False)
            if key is None:
                break
            got.append(key)
    assert got + keys(pending) == whole


@given(st.integers(0, 99), st.integers(0, 99), st.integers(1, 100), st.integers(1, 40))
def test_the_active_row_is_always_on_screen(active, top, count, height):
    active %= count
    first = window(active, top % count, count, height)
    assert 0 <= first <= max(0, count - height)
    assert first <= active < first + height


def test_wide_and_combining_characters_are_measured_in_columns():
    assert width("ab") == 2 and width("日本") == 4 and width("e\u0301") == 1
    assert clip("日本語", 5) == "日本" and clip("abc", 5) == "abc"


def test_a_frame_fits_the_terminal_and_keeps_the_header():
    labels = [f"p{i:02d}" for i in range(30)]
    header = "h" * 100  # wraps to two lines at 80 columns
    text, height, top = frame(header, labels, 29, 0, os.terminal_size((80, 8)))
    lines = text.split("\r\n")
    assert height == 8 and lines[0] == header and top == 24
    assert lines[1] == "  p24" and lines[-1] == "\x1b[7m> p29\x1b[0m" and len(lines) == 7


def test_rows_are_drawn_escaped_and_an_empty_filter_result_says_so():
    rows = ["ev\x1b]52;c;aGk=\x07il", "plain"]
    text, height, _top = frame("h", rows, 0, 0, os.terminal_size((80, 8)))
    assert "\x1b]" not in text and "\x07" not in text
    assert "> ev\\x1b]52;c;aGk=\\x07il" in text and height == 3
    text, height, _top = frame("h\nfilter: zz", [], -1, 0, os.terminal_size((80, 8)))
    assert text.split("\r\n") == ["h", "filter: zz", ("  (no row matches; Backspace widens, "
                                  "Esc clears)")] and height == 3
