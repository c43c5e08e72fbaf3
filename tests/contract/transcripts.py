"""The recorded calls of the real netcage, and how a replayed call is held to them.

tests/fixtures/netcage-transcripts/<generation>.jsonl holds one record per netcage call (argv,
the setup it met, exit status, stdout, stderr, the podman calls netcage made); the README there
says how they were made. Recorded text had its run-specific parts replaced by placeholders
(<SCRATCH>, <STORE>, <ID64>, <TS>, ...); `normalize` applies the same substitution to a replayed
call's text, written from that README's table, so the two compare byte for byte. Podman's human
tables pad columns to the widest cell, whose width depends on real durations: those compare
with runs of spaces squashed, as the README says (and `images` rows in any order: see
`podman_table`).
"""
import difflib
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent / "fixtures" / "netcage-transcripts"
GENERATIONS = ("0.11.1", "0.12.0", "0.13.0")

_ID64 = re.compile(r"(?<!@sha256:)(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_ID12 = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{12}(?![0-9a-zA-Z])")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LINK = re.compile(r"(?<=/l/)[A-Z0-9]{26}")
_RUNID = re.compile(r"(?<!\d)\d{19}(?!\d)")
_IDSHORT = re.compile(r"^--> [0-9a-f]{6,64}$", re.MULTILINE)
_TS = [
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"),  # RFC 3339
    re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4} [A-Z]+"),  # Go's format
    re.compile(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}"),  # socat's log lines
]
_UNIX_SECONDS = re.compile(r'("(?:Created|StartedAt|ExitedAt)": )\d{9,11}(?=,|\n)')
_DUR = re.compile(r"Less than a second|About an? (?:minute|hour)|\b\d+ (?:seconds?|minutes|hours"
                  r"|days|weeks|months|years)\b")
_PID = [re.compile(r'(?<="Pid": )[1-9]\d*'), re.compile(r'(?<="ConmonPid": )[1-9]\d*'),
        re.compile(r"(?<=socat\[)\d+(?=\])"), re.compile(r"(?<=child )\d+(?= )")]


def load(generation: str) -> list[dict]:
    with open(FOLDER / f"{generation}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def normalize(text: str, paths: dict[str, str]) -> str:
    """The README's placeholder substitution. `paths` maps each placeholder to the real path it
    stood for in this replay (<STORE> before <SCRATCH>: the store lives inside the scratch)."""
    for placeholder, path in sorted(paths.items(), key=lambda kv: -len(kv[1])):
        text = text.replace(path, placeholder)
    text = _UUID.sub("<UUID>", text)
    text = _ID64.sub("<ID64>", text)
    text = _RUNID.sub("<RUNID>", text)
    text = _IDSHORT.sub("--> <IDSHORT>", text)
    text = _LINK.sub("<LINK>", text)
    for pattern in _TS:
        text = pattern.sub("<TS>", text)
    text = _UNIX_SECONDS.sub(r"\1<TS>", text)
    text = _DUR.sub("<DUR>", text)
    for pattern in _PID:
        text = pattern.sub("<PID>", text)
    return _ID12.sub("<ID12>", text)


def placeholders_to_paths(value: str, paths: dict[str, str]) -> str:
    """A recorded argv/env value with its placeholders replaced by this replay's paths."""
    for placeholder, path in paths.items():
        value = value.replace(placeholder, path)
    return value


def podman_table(text: str) -> str:
    """A podman table as it compares: runs of spaces squashed (columns are padded to the widest
    cell, whose width depends on real durations) and, for `images`, the rows in a fixed order
    (podman sorts images by creation time; snapshots made within the same second come in
    either order, as the recordings of 0.12.0 and 0.13.0 show)."""
    lines = re.sub(r" {2,}", " ", text).splitlines(keepends=True)
    if text.startswith("REPOSITORY "):
        lines = lines[:1] + sorted(lines[1:])
    return "".join(lines)


# podman 4.3.1's own nondeterminism, which no stand-in can make reproducible:
# - a container's environment is built from a Go map, so `inspect` lists Config.Env in an order
#   that differs from one container to the next: env blocks compare as sets of lines;
# - `rm -f` of a running pair races conmon's cleanup and now and then adds this error line.
_ENV_BLOCK = re.compile(r'("Env": \[\n)(.*?)(\n\s*\])', re.DOTALL)
_RACE_LINE = re.compile(r'^time="<TS>" level=error msg="Storage for container <ID64> has been '
                        r'removed"\n', re.MULTILINE)


def _env_sorted(text: str) -> str:
    def block(m):
        lines = sorted(line.rstrip(",") for line in m[2].split("\n"))
        return m[1] + ",\n".join(lines) + m[3]
    return _ENV_BLOCK.sub(block, text)


def differences(record: dict, rc: int | None, stdout: str, stderr: str) -> list[str]:
    """What differs between a record and a replayed call (already normalized); [] = agrees."""
    out = []
    if rc != record["rc"]:
        out.append(f"exit status {rc}, recorded {record['rc']}")
    want_out, got_out = _env_sorted(record["stdout"]), _env_sorted(stdout)
    stderr = _RACE_LINE.sub("", stderr)
    if want_out.startswith(("REPOSITORY ", "CONTAINER ID ")):
        want_out, got_out = podman_table(want_out), podman_table(got_out)
    if got_out != want_out:
        out.append("stdout differs:\n" + _diff(want_out, got_out))
    if stderr != record["stderr"]:
        out.append("stderr differs:\n" + _diff(record["stderr"], stderr))
    return out


def _diff(want: str, got: str) -> str:
    lines = difflib.unified_diff(want.splitlines(), got.splitlines(), "recorded", "replayed",
                                 lineterm="", n=1)
    return "\n".join(list(lines)[:40])
