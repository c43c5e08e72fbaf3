"""The two readers of foreign text: `shown()` (what anon-pi prints of it) and `ascii_int()`
(what anon-pi takes as a number from it)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core.numbers import ascii_int
from anonpi_helpers.core.shown import shown

HOSTILE = {
    "OSC 52 (clipboard)": "\x1b]52;c;cHduZWQ=\x07",
    "OSC 0 (title)": "\x1b]0;owned\x07",
    "OSC 8 (hyperlink)": "\x1b]8;;http://tracker.example/\x1b\\link\x1b]8;;\x1b\\",
    "CSI clear": "\x1b[2J\x1b[H",
    "DCS": "\x1bP+q544e\x1b\\",
    "C1 CSI": "\x9b2J",
    "C1 OSC": "\x9d0;t\x9c",
    "bidi override": "abc\u202edcba",
    "bidi isolate": "\u2066x\u2069",
    "NUL": "a\x00b",
    "DEL": "a\x7fb",
    "lone surrogate": "\ud800",
    "undecodable byte": "caf\udce9",
    "tag character": "\U000e0041",
    "line separator": "a\u2028b",
    "zero-width space": "a\u200bb",
}


def _inert(text: str) -> bool:
    """No control, surrogate, line separator or invisible format character (but the two
    joiners real scripts need) is left."""
    return all(unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp")
               and (unicodedata.category(ch) != "Cf" or ch in "\u200c\u200d") for ch in text)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_shown_leaves_no_control_or_invisible_character(name):
    out = shown(HOSTILE[name])
    assert out.isprintable() and _inert(out), repr(out)
    out.encode("utf-8")  # no lone surrogate survives


def test_shown_spells_what_it_escaped():
    assert shown("\x1b[2J") == "\\x1b[2J"
    assert shown("\u202e") == "\\u202e"
    assert shown("caf\udce9") == "caf\\xe9"
    assert shown("\U000e0041") == "\\U000e0041"


def test_shown_keeps_text_people_write():
    for text in ("plain ascii", "café naïve", "日本語", "👩\u200d💻", "من\u200cها", "tab\there"):
        expected = text.replace("\t", "\\x09")
        assert shown(text) == expected


def test_multiline_keeps_newline_and_tab_only():
    assert shown("a\nb\tc\rd", multiline=True) == "a\nb\tc\\x0dd"
    assert shown("a\nb") == "a\\x0ab"


@given(st.text())
def test_shown_output_is_always_inert_text(text):
    out = shown(text)
    assert _inert(out)
    out.encode("utf-8")


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("8080", 8080), ("9999999999", 9999999999), (4096, 4096)])
def test_ascii_int_takes_plain_digits(text, value):
    assert ascii_int(text) == value


@pytest.mark.parametrize("text", [
    "", " 1", "1 ", "+1", "-1", "1_000", "²", "1 ²", "９０５０", "0x10", "1.0", "1" * 5000,
    "12345678901", None, True, 1.5, -3, 10 ** 10, [], {}])
def test_ascii_int_refuses_everything_else_without_raising(text):
    assert ascii_int(text) is None


def test_ascii_int_digit_cap_is_the_callers():
    assert ascii_int("65535", max_digits=5) == 65535
    assert ascii_int("123456", max_digits=5) is None
