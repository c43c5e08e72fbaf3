"""`-p --mode text-stream`: the pure renderer on every captured pi 1.6.0 stream,
the argument rules, and the live path (each line reaches stderr before the next is written)."""

import json
import queue
import subprocess
import threading

import pytest
from harness_paths import BIN, ROOT

from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.launch.grammar import parse_launch
from anonpi_helpers.launch.text_stream import TextStream, exit_status, shorten, with_text_stream

FIXTURES = ROOT / "tests" / "fixtures" / "pi-json"
ALL = sorted(p.stem for p in FIXTURES.glob("*.jsonl"))


def render(lines, colour=False):
    stream = TextStream(colour=colour)
    out = "".join(stream.feed(line) for line in lines) + stream.finish()
    return stream, out


def fixture(name):
    return (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def test_every_fixture_is_covered():
    assert ALL == ["error", "text", "tool-call"]


def test_text_run():
    stream, out = render(fixture("text"))
    assert out == "FAKE-LLM-ANSWER-42\n"
    assert stream.final_text == "FAKE-LLM-ANSWER-42" and not stream.last_turn_failed
    assert exit_status(0, stream) == 0


def test_tool_call_run():
    stream, out = render(fixture("tool-call"))
    assert out == ("Let me run it.\n"
                   "▶ bash echo hi\n"
                   "FAKE-LLM-FINAL: the command printed hi\n")
    assert stream.final_text == "FAKE-LLM-FINAL: the command printed hi"


def test_error_run_names_each_failed_turn_and_each_retry():
    stream, out = render(fixture("error"))
    lines = out.splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("✖ the model turn ended in an error: 500: ")
    assert "FAKE-LLM-INTERNAL-ERROR" in lines[0]
    assert [ln.split(":")[0] for ln in lines[1::2][:3]] == [
        "↻ retry 1/3 in 2 s", "↻ retry 2/3 in 4 s", "↻ retry 3/3 in 8 s"]
    assert lines[-1].startswith("✖ gave up after 3 attempts: 500: ")
    assert stream.final_text == "" and stream.last_turn_failed
    assert exit_status(0, stream) == 1  # pi exits 0 here; anon-pi does not
    assert exit_status(7, stream) == 7  # netcage's own failure wins


@pytest.mark.parametrize("name", ALL)
def test_colour_only_when_asked(name):
    _, plain = render(fixture(name))
    _, painted = render(fixture(name), colour=True)
    assert "\x1b[" not in plain
    if "▶" in plain or "✖" in plain:
        assert "\x1b[" in painted
    assert painted.replace("\x1b[36m", "").replace("\x1b[31m", "").replace(
        "\x1b[33m", "").replace("\x1b[0m", "") == plain


@pytest.mark.parametrize("name", ALL)
def test_junk_and_unknown_lines_are_skipped(name):
    junk = ["not json\n", "[1,2]\n", '{"type": "who-knows"}\n', '{"type": "message_end"}\n',
            '{"type":"message_update","assistantMessageEvent":7}\n', "\n", '"str"\n',
            '{"type":"auto_retry_start"\n', '{"type": null}\n']
    lines = fixture(name)
    mixed = [x for pair in zip(lines, junk * 10) for x in pair]
    stream, out = render(mixed)
    want_stream, want = render(lines)
    assert out == want
    assert stream.final_text == want_stream.final_text


def test_a_partial_last_line_is_flushed():
    lines = fixture("text")
    _, out = render(lines[:-1] + [lines[-1].rstrip("\n")])
    assert out == "FAKE-LLM-ANSWER-42\n"
    _, out = render([ln for ln in lines if "message_end" not in ln or "assistant" not in ln])
    assert out == "FAKE-LLM-ANSWER-42\n"  # streamed text still ends its line at the end


def test_text_without_deltas_is_shown_at_message_end():
    end = [ln for ln in fixture("text") if '"type":"message_end"' in ln][-1]
    _, out = render([end])
    assert out == "FAKE-LLM-ANSWER-42\n"


def test_compaction_and_successful_retry_lines():
    lines = [json.dumps({"type": "compaction_start", "reason": "threshold"}),
             json.dumps({"type": "compaction_end", "reason": "threshold", "aborted": False}),
             json.dumps({"type": "compaction_end", "errorMessage": "too big"}),
             json.dumps({"type": "auto_retry_end", "success": True, "attempt": 2})]
    _, out = render(lines)
    assert out.splitlines() == ["⋯ compacting the conversation (threshold)",
                                "⋯ compaction done", "✖ compaction failed: too big",
                                "↻ retry 2 succeeded"]


def test_shorten():
    assert shorten("a\n  b") == "a b"
    assert shorten("x" * 100) == "x" * 71 + "…"


@pytest.mark.parametrize("argv, want", [
    (["recon", "-p", "hi", "--mode", "text-stream"], ("-p", "hi", "--mode", "json")),
    (["-p", "hi", "--mode=text-stream"], ("-p", "hi", "--mode", "json")),
    (["pi", "--mode", "text-stream", "--print", "hi"], ("--mode", "json", "--print", "hi")),
])
def test_the_mode_is_anon_pis_own(argv, want):
    args = with_text_stream(parse_launch(argv))
    assert args.text_stream and args.pi_args == want


@pytest.mark.parametrize("argv, pi_args", [
    (["recon", "-p", "hi", "--mode", "json"], ("-p", "hi", "--mode", "json")),
    (["--shell", "recon"], ()),
])
def test_other_modes_and_no_mode_are_pis(argv, pi_args):
    args = with_text_stream(parse_launch(argv))
    assert not args.text_stream and args.pi_args == pi_args


@pytest.mark.parametrize("argv, words", [
    (["recon", "--mode", "text-stream"], "needs -p"),
    (["-p", "x", "--mode", "text-stream", "--mode", "text-stream"], "only once"),
    (["-p", "x", "--mode", "text-stream", "--mode", "json"], "cannot be combined with --mode json"),
    (["-p", "x", "--mode=rpc", "--mode", "text-stream"], "cannot be combined with --mode rpc"),
])
def test_mode_refusals(argv, words):
    with pytest.raises(AnonPiError) as exc:
        with_text_stream(parse_launch(argv))
    assert words in exc.value.message


def test_dry_run_shows_pi_getting_json(cli):
    cli.configure()
    res = cli.run("--dry-run", "recon", "-p", "hi", "--mode", "text-stream")
    assert res.returncode == 0, res.stderr
    assert res.stdout.rstrip().endswith("pi -p hi --mode json")


def _live(cli, name, *, rc=0, extra=None):
    """Run the real bin/anon-pi against a fake netcage that writes the fixture line by line and
    waits, after each, until this test has seen that line's rendering on anon-pi's stderr."""
    gate = cli.tmp / "gate"
    gate.mkdir()
    lines = fixture(name)
    expected = [TextStream().feed(ln) for ln in lines]  # what each line adds (tested above)
    env = cli.env(FAKE_NETCAGE_STREAM=FIXTURES / f"{name}.jsonl", FAKE_NETCAGE_GATE=gate,
                  FAKE_NETCAGE_RC=rc, **(extra or {}))
    proc = subprocess.Popen([str(BIN), "recon", "-p", "x", "--mode", "text-stream"], env=env,
                            cwd=cli.tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    chunks: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [chunks.put(b) for b in iter(
        lambda: proc.stderr.read1(4096), b"")], daemon=True)
    reader.start()
    seen = ""
    for k, piece in enumerate(expected):
        want = piece.strip("\n")
        while want and want.split("\n")[-1] not in seen:
            seen += chunks.get(timeout=15).decode()
        (gate / f"go-{k}").touch()
    out = proc.stdout.read()  # stderr stays the reader thread's alone
    proc.wait(timeout=30)
    reader.join(10)  # everything written to stderr is in the queue once it hits EOF
    while not chunks.empty():
        seen += chunks.get().decode()
    return proc.returncode, out.decode(), seen


def test_live_text_stream_tool_call(cli):
    cli.configure()
    code, out, err = _live(cli, "tool-call")
    assert code == 0, err
    assert out == "FAKE-LLM-FINAL: the command printed hi\n"
    assert "Let me run it.\n▶ bash echo hi\nFAKE-LLM-FINAL: the command printed hi\n" in err
    assert "fake netcage" not in err
    [argv] = cli.run_calls()
    assert argv[-4:] == ["-p", "x", "--mode", "json"] and "-it" not in argv


def test_live_error_run_exits_1_though_netcage_exits_0(cli):
    cli.configure()
    code, out, err = _live(cli, "error")
    assert code == 1 and out == ""
    assert "✖ gave up after 3 attempts" in err


def test_live_netcage_status_passes_through(cli):
    cli.configure()
    code, out, _ = _live(cli, "text", rc=3)
    assert code == 3 and out == "FAKE-LLM-ANSWER-42\n"


def test_live_partial_last_line(cli, tmp_path):
    cli.configure()
    partial = tmp_path / "partial.jsonl"
    end = [ln for ln in fixture("text") if '"type":"message_end"' in ln][-1]
    partial.write_text("junk\n" + end.rstrip("\n"), encoding="utf-8")  # no newline at the end
    res = cli.run("recon", "-p", "x", "--mode", "text-stream", FAKE_NETCAGE_STREAM=partial)
    assert res.returncode == 0 and res.stdout == "FAKE-LLM-ANSWER-42\n"
    assert "FAKE-LLM-ANSWER-42\n" in res.stderr
    assert "\x1b[" not in res.stderr  # not a terminal: no colour


def test_a_tool_record_without_a_name_still_shows():
    _, out = render(['{"type":"tool_execution_start","args":[1]}'])
    assert out == "▶ tool\n"
