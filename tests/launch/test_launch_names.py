"""Machine and project names: the one ordered check list, JS whitespace, length and Unicode."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.names import (
    NAME_RULE,
    RESERVED_NAMES,
    check_name,
    check_snapshot_name,
    name_problem,
)


@pytest.mark.parametrize("name", [
    "recon", "PI", "Machine", "a.b.c", "my-project", "my_project", "Ünïcødé", "日本語", "x" * 128,
    "a-", "a.", "1", "٣",  # Arabic-Indic digit: a Unicode digit
])
def test_accepted(name):
    assert name_problem(name) is None
    assert check_name(name, "project") == name


@pytest.mark.parametrize("name, why", [
    ("", "it is empty"),
    ("x" * 129, "longer than 128"),
    ("x" * 300, "longer than 128"),
    ("a/b", "path separator"),
    ("../etc", "path separator"),
    ("a\\b", "path separator"),
    ("a:b", "path separator"),
    (" a", "whitespace"),
    ("a\tb", "whitespace"),
    ("a\u00a0b", "whitespace"),
    ("a\ufeffb", "whitespace"),  # JS \s has U+FEFF; Python's isspace does not
    ("a\u2000b", "whitespace"),
    ("a\u200ab", "whitespace"),
    ("a\u3000b", "whitespace"),
    ("a*b", 'contains "*"'),
    ("a$c", 'contains "$"'),
    ("e\u0301", 'contains "\u0301"'),  # a combining mark is not a letter
    (".hidden", "starts with '.'"),
    (".", "starts with '.'"),
    ("..", "starts with '.'"),
    ("...", "starts with '.'"),
    ("-dash", "starts with '-'"),
    (".a*", 'contains "*"'),  # characters are checked before the leading one (fixed order)
])
def test_refused_with_reason(name, why):
    assert why in name_problem(name)


@pytest.mark.parametrize("name", sorted(RESERVED_NAMES - {".", ".."}))
def test_reserved(name):
    assert name_problem(name) == "it is a reserved name"


def test_reserved_list_is_closed():
    assert RESERVED_NAMES == {".", "..", "pi", "machine", "image", "init", "forward", "ports",
                              "doctor", "completions", "help", "version", "container",
                              "config"}
    assert name_problem("Pi") is None and name_problem("shell") is None


def test_message_shape():
    with pytest.raises(AnonPiError) as exc:
        check_name("a/b", "machine")
    assert exc.value.message == ('invalid machine name "a/b": it contains a path separator '
                                 "('/', '\\' or ':').")
    assert exc.value.hint == NAME_RULE


def test_snapshot_names():
    assert check_snapshot_name("my.tool__x--y") == "my.tool__x--y"
    for bad in ("MyTool", "pi", "pi-webveil", "a@b", "a+b", "-a", "a" * 129, ""):
        with pytest.raises(AnonPiError) as exc:
            check_snapshot_name(bad)
        assert exc.value.message.startswith("invalid image name")


@given(st.text(alphabet=st.sampled_from("aZ09._-/ é\u0663\u00a0:pimachine"), max_size=140))
def test_the_plain_name_shortcut_agrees_with_the_full_rule(name):
    from anonpi_helpers.core.names import is_valid_name, name_problem

    assert is_valid_name(name) == (name_problem(name) is None)
