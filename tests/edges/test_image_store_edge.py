"""The store query's edge: a hang is the query timeout's error naming the call (here
shortened to 1 s), a failure quotes stderr's last line, a missing binary is one error; real
processes, nothing faked."""

import inspect
import math

import pytest

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.edges import netcage
from anonpi_helpers.edges.image_store import podman_query
from anonpi_helpers.edges.real_io import real_context


def _script(tmp_path, body: str) -> str:
    exe = tmp_path / "podman"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    return str(exe)


def test_a_hanging_query_is_one_error_naming_the_call(tmp_path):
    exe = _script(tmp_path, "exec sleep 30")
    with pytest.raises(AnonPiError) as exc:
        podman_query(real_context(), exe, ["--root", "/s", "images"], "podman --root /s images",
                     timeout=1)
    assert exc.value.message == "`podman --root /s images` did not answer within 1 s."


def test_a_failed_query_quotes_the_last_stderr_line(tmp_path):
    exe = _script(tmp_path, "echo 'WARN noise' >&2; echo 'Error: locked' >&2; echo; exit 125")
    res = podman_query(real_context(), exe, [], "podman images")
    assert (res.code, res.out) == (125, "\n")
    err = netcage.failed("podman images", res, "try again")
    assert (err.message, err.hint) == ("`podman images` failed (exit 125): Error: locked.",
                                       "try again")
    assert netcage.failed("x", netcage.Result(1, "", "")).message == "`x` failed (exit 1)."


def test_a_store_read_gives_up_on_a_hang_as_every_netcage_query_does():
    """Called as anon-pi calls it (no timeout given), a store read is bounded, by the same
    time every netcage query waits: a wedged podman never holds anon-pi forever."""
    default = inspect.signature(podman_query).parameters["timeout"].default
    assert default == inspect.signature(netcage.query).parameters["timeout"].default
    assert 0 < default < math.inf


def test_podman_that_cannot_start_is_one_error(tmp_path):
    exe = tmp_path / "podman"
    exe.write_text("not a script")
    exe.chmod(0o644)
    with pytest.raises(AnonPiError) as exc:
        podman_query(real_context(), str(exe), ["images"], "podman images")
    assert exc.value.message == "could not run `podman images`: Permission denied"


def test_podman_output_that_is_not_utf8_is_read_not_raised(tmp_path):
    exe = _script(tmp_path, r"printf '[\377]\n'")
    assert podman_query(real_context(), exe, [], "podman images").out == "[\ufffd]\n"
