"""The command ends with `os._exit` after flushing (cli.entry, issue 15): whatever it printed
still reaches a pipe or a file whole, its exit status is unchanged, and a reader that leaves
early gets no "Exception ignored" noise from a teardown."""

import json
import subprocess

from conftest import BIN, ROOT


def test_a_long_output_reaches_a_pipe_whole(cli):
    want = (ROOT / "completions" / "anon-pi.bash").read_text(encoding="utf-8")
    res = cli.run("completions", "bash")
    assert (res.returncode, res.stderr) == (0, "")
    assert res.stdout == want and len(want) > 8192  # more than one pipe buffer's worth


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


def test_a_reader_that_leaves_early_gets_no_teardown_noise(cli):
    proc = subprocess.Popen([str(BIN), "completions", "bash"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli.env(), cwd=cli.tmp)
    proc.stdout.read(10)
    proc.stdout.close()  # the reader is gone before most of the script is written
    err = proc.stderr.read()
    assert proc.wait(timeout=60) in (0, 1)
    assert err == b""
