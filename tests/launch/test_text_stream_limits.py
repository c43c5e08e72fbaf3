"""`--mode text-stream` against a stream built to hurt the host: a line nested deeper than
the parser goes, a line hundreds of megabytes long without a newline, an answer the locale
cannot encode, and anon-pi failing while netcage still runs. Each through the real
bin/anon-pi (or the real reader) and a stand-in netcage."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest
from harness_paths import BIN

from anonpi_helpers.edges import netcage_live
from anonpi_helpers.edges.real_io import real_context

NESTED = "[" * 200_000 + "]" * 200_000


def answer_lines(text: str) -> list[str]:
    """The two records text-stream needs for an answer: one delta, the message's end."""
    return [json.dumps({"type": "message_update", "assistantMessageEvent": {
                "type": "text_delta", "delta": text}}) + "\n",
            json.dumps({"type": "message_end", "message": {
                "role": "assistant", "content": [{"type": "text", "text": text}]}}) + "\n"]


def stream(cli, lines: list[str], **extra) -> subprocess.CompletedProcess:
    feed = cli.tmp / "stream.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    env = cli.env(FAKE_NETCAGE_STREAM=feed, **extra)
    return subprocess.run([str(BIN), "recon", "-p", "x", "--mode", "text-stream"], env=env,
                          cwd=cli.tmp, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=60, check=False)


def test_a_line_nested_deeper_than_the_parser_goes_is_skipped(cli):
    cli.configure()
    res = stream(cli, [NESTED + "\n", '{"type": "x", "a": ' + NESTED + "}\n",
                       *answer_lines("still here")])
    assert res.stderr.decode().count("unexpected error") == 0, res.stderr
    assert (res.returncode, res.stdout) == (0, b"still here\n")


def write_stand_in(cli, body: str) -> None:
    """A netcage of this test's own: answers `--version`, runs `body` for everything else."""
    (cli.bindir / "netcage").unlink()
    script = cli.bindir / "netcage"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent("""\
        import os, sys
        if sys.argv[1:2] == ["--version"]:
            print("netcage 0.12.0")
            sys.exit(0)
        """) + textwrap.dedent(body), encoding="utf-8")
    script.chmod(0o755)


def test_lines_without_end_keep_memory_bounded_and_are_said_once(cli):
    """Two lines of 200 MB each, no newline inside: anon-pi's peak memory (VmHWM, read by
    the stand-in from its parent's /proc entry before it exits) stays far below them."""
    cli.configure()
    peak = cli.tmp / "peak"
    tail = "".join(answer_lines("after the flood"))
    write_stand_in(cli, f"""
        out = sys.stdout.buffer
        chunk = b"a" * (1 << 20)
        for _ in range(2):
            for _ in range(200):
                out.write(chunk)
            out.write(b"\\n")
        out.write({tail.encode()!r})
        out.flush()
        with open(f"/proc/{{os.getppid()}}/status") as fh:
            hwm = next(ln for ln in fh if ln.startswith("VmHWM:"))
        with open({str(peak)!r}, "w") as fh:
            fh.write(hwm.split()[1])
        """)
    res = subprocess.run([str(BIN), "recon", "-p", "x", "--mode", "text-stream"],
                         env=cli.env(), cwd=cli.tmp, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=120, check=False)
    assert (res.returncode, res.stdout) == (0, b"after the flood\n"), res.stderr[-500:]
    kib = int(peak.read_text())
    assert kib < 120 * 1024, f"anon-pi peaked at {kib // 1024} MiB reading 400 MB of lines"
    assert res.stderr.decode().count("was too long to read and was skipped") == 1


@pytest.fixture
def latin1_locale(tmp_path):
    """An ISO-8859-1 locale compiled into the test's own folder (LOCPATH), as a user with an
    old terminal setting has."""
    if not shutil.which("localedef"):
        pytest.skip("localedef is not installed")
    where = tmp_path / "locales"
    where.mkdir()
    made = subprocess.run(["localedef", "-i", "en_US", "-f", "ISO-8859-1",
                           str(where / "en_US.ISO-8859-1")], capture_output=True, check=False)
    if not (where / "en_US.ISO-8859-1").is_dir():
        pytest.skip(f"localedef could not build en_US.ISO-8859-1: {made.stderr!r}")
    return {"LOCPATH": str(where), "LANG": "en_US.ISO-8859-1", "LC_ALL": "en_US.ISO-8859-1"}


def test_a_non_latin_answer_in_a_latin1_locale_arrives_as_utf8(cli, latin1_locale):
    cli.configure()
    res = stream(cli, answer_lines("答えは42です ✓"), **latin1_locale)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "答えは42です ✓\n".encode()
    assert "答えは42です ✓".encode() in res.stderr  # the live rendering too


def test_netcage_is_stopped_and_waited_for_when_reading_fails(tmp_path, monkeypatch):
    """A renderer failure mid-stream ends with no netcage left running or unreaped."""
    pid_file = tmp_path / "pid"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "netcage"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""\
        import os, sys, time
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        print("first line", flush=True)
        time.sleep(60)
        """), encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")

    def broken(line):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        netcage_live.run_reading_lines(real_context(), ["run"], broken)
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return  # stopped and reaped
    os.kill(pid, signal.SIGKILL)  # still sleeping: do not leak it past the test
    pytest.fail(f"netcage (pid {pid}) was left running after anon-pi failed")


def test_a_retry_delay_no_float_can_hold_is_left_out(cli):
    """A JSON number has no size limit; `delayMs` of 400 digits is no delay to show (it ended
    the renderer in `unexpected error: OverflowError`, and the answer after it was lost)."""
    cli.configure()
    retry = {"type": "auto_retry_start", "attempt": 1, "maxAttempts": 3, "errorMessage": "busy"}
    res = stream(cli, [json.dumps({**retry, "delayMs": int("1" + "0" * 400)}) + "\n",
                       json.dumps({**retry, "delayMs": 2500}) + "\n",
                       *answer_lines("still here")])
    lines = res.stderr.decode().splitlines()
    assert "↻ retry 1/3: busy" in lines, res.stderr
    assert lines[lines.index("↻ retry 1/3: busy") + 1] == "↻ retry 1/3 in 2.5 s: busy"
    assert (res.returncode, res.stdout) == (0, b"still here\n")
