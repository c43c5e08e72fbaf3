"""init's stream-isolation answer grammar (machine, project or none)."""

from anonpi_helpers.init.isolation_step import parse_level


def test_answers():
    assert parse_level("", "machine") == "machine"
    assert parse_level("", "none") == "none"
    assert [parse_level(a, "none") for a in ("y", "YES", "m", "p", "project", "n", "no")] == [
        "machine", "machine", "machine", "project", "project", "none", "none"]
    assert parse_level("maybe", "machine") is None
