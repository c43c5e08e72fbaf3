"""What the selector's keys do to its rows (core/select_keys.py, pure): moving, the filter
that typing starts, `/` for names that begin with j, k or q, and how each one ends."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core.select_keys import CANCEL, LEAVE, PICK, Choosing

NAMES = ["_under", "alpha", "beta", "Gamma", "jobs", "kafka", "quotes", ".", "shell"]


def choosing(names=NAMES) -> Choosing:
    return Choosing(len(names), lambda i: names[i])


def press(c: Choosing, keys) -> list:
    return [c.press(k) for k in keys]


def shown(c: Choosing, names=NAMES) -> list[str]:
    return [names[i] for i in c.visible]


def test_without_a_filter_j_k_and_arrows_move_and_wrap():
    c = choosing()
    press(c, ["j", "j", "down"])
    assert c.active == 3
    press(c, ["k", "up", "up", "up"])
    assert NAMES[c.active] == "shell" and not c.filtering


@pytest.mark.parametrize("key, outcome", [("q", LEAVE), ("esc", LEAVE), ("\x03", CANCEL),
                                          ("enter", PICK)])
def test_how_choosing_ends_without_a_filter(key, outcome):
    assert choosing().press(key) == outcome


def test_typing_filters_by_any_part_of_the_name_in_any_case():
    c = choosing()
    assert press(c, ["a", "m"]) == [None, None]
    assert c.filtering and c.text == "am" and shown(c) == ["Gamma"]
    assert NAMES[c.active] == "Gamma"


def test_a_first_letter_jumps_to_the_first_name_starting_with_it():
    c = choosing()
    c.press("b")
    assert shown(c) == ["beta", "jobs"] and NAMES[c.active] == "beta"
    c = choosing()
    c.press("e")  # none starts with e: the first that holds it
    assert shown(c) == ["_under", "beta", "quotes", "shell"] and NAMES[c.active] == "_under"


def test_while_filtering_j_k_q_and_slash_are_text_and_arrows_still_move():
    c = choosing()
    press(c, ["o", "j", "k", "q", "/"])
    assert c.text == "ojkq/" and shown(c) == [] and c.press("enter") is None
    c = choosing()
    press(c, ["/", "k"])
    assert shown(c) == ["kafka"] and NAMES[c.active] == "kafka"
    c = choosing()
    press(c, ["/", "q", "u"])
    assert shown(c) == ["quotes"]
    c = choosing()
    press(c, ["o", "down"])
    assert shown(c) == ["jobs", "quotes"] and NAMES[c.active] == "quotes"
    press(c, ["down"])
    assert NAMES[c.active] == "jobs"


def test_backspace_widens_and_keeps_the_row_esc_clears_then_leaves():
    c = choosing()
    press(c, ["a", "down"])
    assert NAMES[c.active] == "beta"
    press(c, ["l"])  # "al": beta no longer matches, the cursor jumps to alpha
    assert shown(c) == ["alpha"] and NAMES[c.active] == "alpha"
    press(c, ["backspace"])
    assert c.text == "a" and NAMES[c.active] == "alpha" and "beta" in shown(c)
    press(c, ["backspace"])
    assert c.text == "" and c.filtering and shown(c) == NAMES
    press(c, ["backspace"])
    assert not c.filtering and c.press("j") is None and NAMES[c.active] == "beta"
    press(c, ["x", "z"])
    assert shown(c) == [] and c.press("esc") is None
    assert shown(c) == NAMES and not c.filtering and NAMES[c.active] == "beta"
    assert c.press("esc") == LEAVE


def test_an_empty_result_remembers_the_row_and_ignores_enter_and_moves():
    c = choosing()
    press(c, ["s", "h", "x"])
    assert shown(c) == [] and press(c, ["down", "enter"]) == [None, None]
    press(c, ["backspace"])
    assert NAMES[c.active] == "shell" and c.press("enter") == PICK
    assert choosing().press("\x03") == CANCEL
    c = choosing()
    press(c, ["z"])
    assert c.press("\x03") == CANCEL  # Ctrl-C leaves even mid-filter


def test_a_space_or_a_named_key_never_starts_a_filter():
    c = choosing()
    press(c, [" ", "other", "backspace", "\x04", "5"])
    assert c.text == "5" and c.filtering
    c.press(" ")
    assert c.text == "5 "


def test_rows_filling_in_keep_the_filter():
    names = ["alpha", "shell"]
    c = Choosing(2, lambda i: names[i])
    c.press("l")
    assert [names[i] for i in c.visible] == ["alpha", "shell"]
    names[:] = ["alpha", "box lake", "shell"]
    c.replace(3, 2)
    assert [names[i] for i in c.visible] == ["alpha", "box lake", "shell"] and c.active == 2
    c.press("a")
    assert [names[i] for i in c.visible] == ["box lake"]


@given(st.lists(st.sampled_from(["j", "k", "up", "down", "a", "e", "q", "/", "backspace",
                                 "esc", "x", "other"]), max_size=30))
def test_the_active_row_is_always_a_visible_one(keys):
    c = choosing()
    for key in keys:
        if c.press(key) is not None:
            break
        assert set(c.visible) <= set(range(len(NAMES)))
        assert not c.visible or c.active in c.visible
        assert all(c.text.casefold() in NAMES[i].casefold() for i in c.visible)
