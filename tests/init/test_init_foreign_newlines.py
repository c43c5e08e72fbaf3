"""init's own lines stay its own: a newline inside a value it did not write (a projects root
in config.json, a pin in machine.json, netcage detect-proxy's note about a process) shows as
`\\x0a`, so nothing after it can pass for a line of init's (`ready:`, `anon-pi:`, a prompt)."""

import pytest
from in_process import context
from init_support import Lab, drive

from anonpi_helpers.edges.workspace import Workspace
from anonpi_helpers.init import write
from anonpi_helpers.init.model_step import ModelChoice
from anonpi_helpers.init.proxy_findings import render

FORGED = "\nFORGED anon-pi: line"


def forged_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("FORGED")]


@pytest.fixture
def lab(cli):
    lab = Lab(cli)
    yield lab
    lab.close()


def test_the_identity_note_names_a_projects_root_on_one_line(cli, lab):
    """The note about host paths that show the home lists config.json's projects root."""
    cli.write_json(cli.ws / "config.json", {"projects": f"{cli.home}/code{FORGED}"})
    code, out = drive(cli, lab.happy_steps()[:-1] + [("Projects root", "/srv/code")], **lab.env)
    assert code == 0, out
    assert f"    {cli.home}/code\\x0aFORGED anon-pi: line" in out
    assert forged_lines(out) == []


def test_detect_proxys_process_note_is_one_line():
    text = render([], f"tor{FORGED}")
    assert "Note: tor\\x0aFORGED anon-pi: line" in text
    assert forged_lines(text) == []


def test_a_kept_pin_is_named_on_one_line(cli):
    ws = Workspace(cli.ws)
    ws.home("default").mkdir(parents=True)
    answers = write.Answers(config={}, machine="default", proxy="socks5h://127.0.0.1:9050",
                            model=ModelChoice(endpoint=None), image=None, projects=None,
                            machine_cfg={"image": f"localhost/x{FORGED}"})
    io = context(cli.env())
    write._write_machine(io, ws, answers, existed=True)
    out = io.stdout.getvalue()
    assert 'machine "default" kept (image localhost/x\\x0aFORGED anon-pi: line)' in out
    assert forged_lines(out) == []
