"""init reads whatever config.json holds: a projects root no path can be (a lone surrogate,
a NUL) is shown and asked about, never a crash, and a value init keeps as it found it (a key
of someone else's) is written back as the same JSON, even when UTF-8 cannot carry it."""

import json

import pytest
from init_support import Lab, drive


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


@pytest.mark.parametrize("value, seen", [("/srv/a\ud800b", "/srv/a\\ud800b"),
                                         ("/srv/a\x00b", "/srv/a\\x00b")],
                         ids=["surrogate", "NUL"])
def test_a_projects_root_no_path_can_be_is_shown_and_asked(cli, lab, value, seen):
    cli.write_json(cli.ws / "config.json", {"projects": value})
    code, out = drive(cli, lab.happy_steps()[:-1] + [("Projects root", "/srv/code")], **lab.env)
    assert code == 0, out
    assert "unexpected error" not in out and "Traceback" not in out
    assert f"current: {seen}" in out
    assert json.loads((cli.ws / "config.json").read_text())["projects"] == "/srv/code"


def test_a_kept_value_utf8_cannot_carry_is_written_back_as_it_was(cli, lab):
    cli.write_json(cli.ws / "config.json", {"someoneElses": "a\ud800b"})
    code, out = drive(cli, lab.happy_steps(), **lab.env)
    assert code == 0, out
    written = (cli.ws / "config.json").read_text(encoding="utf-8")
    assert '"someoneElses": "a\\ud800b"' in written
    assert json.loads(written)["someoneElses"] == "a\ud800b"
