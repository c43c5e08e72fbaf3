"""The menu's words fit the terminal: the key hint and a refusal wrap at spaces, never mid-word."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from menu_support import finish, layout, spawn

from anonpi_helpers.core.wrap import MIN_WIDTH, wrap_words

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROMPT = "New project name (a single folder segment): "


def _lines(raw: str) -> list[str]:
    return [ESCAPES.sub("", line).rstrip() for line in raw.replace("\r", "").split("\n")]


@given(st.lists(st.text("abcdef/-.'", min_size=1, max_size=12), min_size=1, max_size=30),
       st.integers(0, 100))
def test_wrapping_keeps_every_word_whole(words, width):
    text = "  hint: " + " ".join(words)
    wrapped = wrap_words(text, width)
    assert wrapped.split() == text.split()  # same words, none split
    for line in wrapped.split("\n"):
        longest = max(len(w) for w in line.split())
        assert len(line) <= max(width, MIN_WIDTH) or len(line.strip()) == longest
    assert all(line.startswith("    ") for line in wrapped.split("\n")[1:])


def test_short_text_is_left_alone():
    assert wrap_words("anon-pi: short\n  hint: also short", 80) == (
        "anon-pi: short\n  hint: also short")


@pytest.mark.parametrize("cols, header", [
    (60, ['anon-pi: machine "default" (↑/↓ or j/k move, type to filter',
          "  (/ first to type j/k/q), Enter select, q/Esc quit)"]),
    (120, [('anon-pi: machine "default" (↑/↓ or j/k move, type to filter (/ first to type '
           'j/k/q), Enter select, q/Esc quit)')])])
def test_menu_key_hint_wraps_at_a_space(cli, cols, header):
    layout(cli)
    p = spawn(cli, cols=cols)
    p.expect_exact("shell (a jailed bash")
    shown = [line for line in _lines(p.before) if line]
    p.send("q")
    finish(p)
    assert shown[:len(header)] == header


def test_refusal_wraps_to_the_terminal_width(cli):
    layout(cli)
    p = spawn(cli, cols=50)
    p.expect('machine "default"')
    p.send("kk\r")
    p.expect_exact(PROMPT)
    p.sendline("a/b")
    p.expect_exact(PROMPT)
    refusal = [line for line in _lines(p.before) if line][1:]  # after the echoed answer
    p.sendintr()
    finish(p)
    assert refusal[0].startswith('anon-pi: invalid project name "a/b"')
    assert all(len(line) <= 50 for line in refusal), refusal
    hint = next(i for i, line in enumerate(refusal) if line.startswith("  hint: "))
    assert all(line.startswith("    ") for line in refusal[hint + 1:])
    said = " ".join(" ".join(refusal).split())
    assert "'.', '_' or '-', does not start with '.' or '-'" in said
    assert said.endswith("type another name, or press Enter alone to launch nothing")
