"""The web policy: what `web` may say (config.json, machine.json, --web) and each decision."""

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.core.web_policy import (
    NONE,
    PROXY,
    Web,
    decide,
    dns_verdict,
    name_allowed,
    parse_web,
    resolve_web,
    web_flag,
)

LIST = Web("list", ("github.com", "*.pypi.org"))


def test_the_flag_beats_the_machine_beats_the_config_beats_proxy():
    assert resolve_web(None, None, None) == Web(PROXY)
    assert resolve_web(None, None, {"web": "none"}) == Web(NONE)
    assert resolve_web(None, {"web": ["GitHub.com."]}, {"web": "none"}) == Web(
        "list", ("github.com",))
    assert resolve_web("proxy", {"web": "none"}, None) == Web(PROXY)
    assert web_flag("github.com, *.pypi.org") == LIST


@pytest.mark.parametrize("value, words", [
    ("everything", "it must be"), ([], "empty list"), (["*"], "not a host name"),
    (["10.0.0.1"], "not a host name"), ([3], "each entry must be a name"),
    (["a b.com"], "not a host name"), (True, "it must be"), (["x" * 300], "not a host name")])
def test_anything_else_is_refused_naming_where_it_came_from(value, words):
    with pytest.raises(AnonPiError) as err:
        parse_web(value, "machine.json `web`")
    assert "machine.json `web`" in err.value.args[0] and words in err.value.args[0]


def test_a_wildcard_covers_names_under_it_not_itself():
    assert name_allowed(LIST, "files.pypi.org") and name_allowed(LIST, "a.b.pypi.org")
    assert not name_allowed(LIST, "pypi.org") and not name_allowed(LIST, "evilpypi.org")
    assert name_allowed(LIST, "GITHUB.COM.") and not name_allowed(LIST, "api.github.com")


def test_decisions():
    seen = {"140.82.121.4"}
    assert decide(LIST, "github.com", False, 443, seen).allowed
    assert decide(LIST, "140.82.121.4", True, 443, seen).allowed
    assert decide(LIST, "1.2.3.4", True, 443, seen).reason == (
        "an address no allowed name was answered with")
    assert decide(Web(NONE), "github.com", False, 443, seen).reason == "no web (web: none)"
    assert decide(Web(NONE), "9.9.9.9", True, 53, seen).dns  # answered by the relay itself
    assert dns_verdict(LIST, [("evil.example", "A")]) == "not on the allow-list"
    assert dns_verdict(LIST, [("github.com", "AAAA")]) is None
    assert dns_verdict(LIST, None) is not None and dns_verdict(Web(PROXY), None) is None
