"""Where the selector's cursor goes when rows fill in later (port hints, the menu's boxes)."""

from anonpi_helpers.edges.selector import follow


def test_same_count_keeps_the_index_even_when_the_text_changed():
    assert follow(["a", "b"], ["a  open: 8080", "b  open: -"], 1) == 1


def test_more_rows_keep_the_cursor_on_its_label():
    old = [". here", "+ new", "shell"]
    new = ["alpha", "enter box dev", ". here", "+ new", "shell"]
    assert [follow(old, new, i) for i in range(3)] == [2, 3, 4]


def test_a_row_that_went_away_leaves_the_nearest_index():
    assert follow(["a", "b", "c"], ["x", "y"], 2) == 1
    assert follow(["a", "b", "c"], ["x", "y"], 0) == 0
