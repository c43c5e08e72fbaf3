"""The command ends with `os._exit` after flushing (cli.entry): whatever it printed
still reaches a pipe or a file whole, its exit status is unchanged, and output that cannot be
written fails the command with one `anon-pi:` line (or none, when the reader left)."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from harness_paths import BIN

from anonpi_helpers.core.command_table import LAUNCH
from anonpi_helpers.core.help_pages import page


def test_a_short_output_still_in_the_buffer_reaches_the_pipe(cli):
    launch_help = page(LAUNCH)
    assert len(launch_help.encode()) < 8192  # below Python's buffer: only the flush sends it
    res = cli.run("--help")
    assert (res.returncode, res.stdout, res.stderr) == (0, launch_help, "")


def test_output_into_a_file_is_flushed(cli, tmp_path):
    for n in range(3):
        cli.configure(machine=f"m{n}")
    out = tmp_path / "out.json"
    with out.open("w") as f:
        res = subprocess.run([str(BIN), "machine", "list", "--json"], stdout=f, text=True,
                             stderr=subprocess.PIPE, env=cli.env(), cwd=tmp_path, timeout=60,
                             check=False)
    assert (res.returncode, res.stderr) == (0, "")
    assert [m["name"] for m in json.loads(out.read_text())] == ["m0", "m1", "m2"]


def test_an_error_keeps_its_line_and_its_status(cli):
    res = cli.run("machine", "rm", "no-such-machine")
    assert res.returncode == 1
    assert res.stderr.startswith("anon-pi: ") and res.stderr.endswith("\n")
    assert res.stdout == ""


def _run_into(cli, stdout_fd: int, *args) -> tuple[int, str]:
    proc = subprocess.Popen([str(BIN), *args], stdout=stdout_fd, stderr=subprocess.PIPE,
                            env=cli.env(), cwd=cli.tmp, text=True)
    os.close(stdout_fd)
    err = proc.stderr.read()
    return proc.wait(timeout=60), err


def test_a_reader_that_left_fails_the_command_without_noise(cli):
    """A closed pipe at the final flush is the same failure as one mid-way: status 1, and no
    "Exception ignored" from a teardown."""
    for args in (["--help"], ["completions", "bash"]):  # the flush; a write past the buffer
        read_end, write_end = os.pipe()
        os.close(read_end)
        assert _run_into(cli, write_end, *args) == (1, ""), args


def test_a_full_disk_at_the_final_flush_is_one_line(cli):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    assert _run_into(cli, os.open("/dev/full", os.O_WRONLY), "--help") == (
        1, "anon-pi: could not write the output: No space left on device\n")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["machine", "list"]])
def test_a_command_started_without_stdout_says_it_could_not_write(cli, args):
    """`anon-pi --version >&-`: nothing can be printed, so the command fails (as coreutils'
    do) instead of exiting 0 having shown nothing."""
    cli.configure()
    res = subprocess.run(["/bin/sh", "-c", f'exec "{BIN}" "$@" >&-', "sh", *args],
                         capture_output=True, text=True, env=cli.env(), cwd=cli.tmp,
                         timeout=60, check=False)
    assert (res.returncode, res.stderr) == (
        1, "anon-pi: could not write the output: stdout is closed\n")
