"""The store query's edge: a hang is the 30 s query timeout's error naming the call (here
shortened to 1 s), a failure quotes stderr's last line; real processes, no fakes of plumbum."""

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges import netcage


def _script(tmp_path, body: str) -> str:
    exe = tmp_path / "podman"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    return str(exe)


def test_a_hanging_query_is_one_error_naming_the_call(tmp_path):
    exe = _script(tmp_path, "exec sleep 30")
    with pytest.raises(AnonPiError) as exc:
        netcage.captured(exe, ["--root", "/s", "images"], "podman --root /s images", timeout=1)
    assert exc.value.message == "`podman --root /s images` did not answer within 1 s."


def test_a_failed_query_quotes_the_last_stderr_line(tmp_path):
    exe = _script(tmp_path, "echo 'WARN noise' >&2; echo 'Error: locked' >&2; echo; exit 125")
    res = netcage.captured(exe, [], "podman images")
    assert (res.code, res.out) == (125, "\n")
    err = netcage.failed("podman images", res, "try again")
    assert (err.message, err.hint) == ("`podman images` failed (exit 125): Error: locked.",
                                       "try again")
    assert netcage.failed("x", netcage.Result(1, "", "")).message == "`x` failed (exit 1)."


def test_the_query_timeout_is_thirty_seconds():
    assert netcage.QUERY_TIMEOUT == 30.0
