"""The netcage query runner (plumbum): a hang is one error naming `netcage <verb>`, worded as
the podman store read words it; otherwise status and output as they came. Real processes."""

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges import netcage
from anonpi_helpers.edges.real_io import real_context


def _netcage(tmp_path, monkeypatch, body: str, mode: int = 0o755) -> None:
    exe = tmp_path / "netcage"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(mode)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")


def test_a_hanging_netcage_query_is_one_error_naming_the_verb(tmp_path, monkeypatch):
    _netcage(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(AnonPiError) as exc:
        netcage.query(real_context(), ["ps", "-a"], timeout=1)
    assert (exc.value.message, exc.value.hint) == (
        "`netcage ps` did not answer within 1 s.", "check that netcage and podman respond")


def test_a_query_answers_status_and_output(tmp_path, monkeypatch):
    _netcage(tmp_path, monkeypatch, "echo out; echo err >&2; exit 3")
    assert netcage.query(real_context(), ["images"]) == (3, "out\n", "err\n")
