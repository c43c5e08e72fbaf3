"""An optional tool (zsh, fish, tmux, bash-completion) that is missing skips its cases with
one line on a developer's machine and fails them under CI, which installs every one."""

import pytest
from tool_support import need


def test_a_missing_tool_skips_with_one_line_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"^no-such-shell is not installed$"):
        need("no-such-shell")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^no-such-shell is not installed; under CI"):
        need("no-such-shell")


def test_an_installed_tool_lets_the_case_run(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert need("sh") is None
