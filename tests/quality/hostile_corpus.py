"""The hostile corpus itself (the strings anon-pi did not write, laced with escape
sequences, C1 controls, bidi overrides, NUL and lone surrogates), the check that finds
any of it written raw, and the ways a row of hostile_printing_paths.py runs anon-pi."""

import base64
import io
import subprocess
import unicodedata

import pexpect
from harness_paths import BIN

# Each sequence alone can write the host clipboard, retitle the window, plant a link, wipe
# and forge the screen, query the terminal, or make a name read backwards.
ESCAPES = ("\x1b]52;c;cHduZWQ=\x07" "\x1b]0;owned\x07"
           "\x1b]8;;https:tracker.example?u=1\x1b\\link\x1b]8;;\x1b\\"
           "\x1b[2J\x1b[H" "\x1bP+q544e\x1b\\" "\x9b2J" "\x9d0;t\x9c"
           "abc\u202edcba" "\u2066x\u2069" "a\x7fb" "zero\u200bwidth" "line\u2028sep")
# (no `/` in it: the same payload makes a file name, and a key's project is its last part)
# what a UTF-8 carrier (a label, netcage's output, a file anon-pi reads as text) adds: NUL
UTF8_TEXT = ESCAPES + "nul\x00"
# what a JSON carrier (labels, pi's events, config.json) adds: a lone surrogate
TEXT = UTF8_TEXT + "lone\ud800"
# no C0 control at all: a check that looks only for those lets this through
QUIET = "\x9b31mquiet\x9d0;title\x9c abc\u202edcba \u2066x\u2069 zero\u200bwidth line\u2028sep"
# what a file name can carry (no NUL, no `/`): an undecodable 0x9b byte (a C1 CSI) instead
FILE_NAME = ESCAPES + "raw\udc9b"
WITNESS = b"]52;c;cHduZWQ="  # printable: the output must still show the payload was there
RAW_ESCAPES = (b"\x1b]", b"\x1bP", b"\x1b[2J", b"\x1b[H", b"\x07", b"\x1b\\")
KEPT_FORMAT = "\u200c\u200d"


def problems(data: bytes, terminal: bool = False) -> list[str]:
    """What in `data` could act on a terminal. `terminal`: a pseudo-terminal transcript, where
    anon-pi's own cursor and colour sequences (CSI) and the pty's \\r are expected."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"not UTF-8 at byte {exc.start}: {data[exc.start:exc.start + 8]!r}"]
    found = [f"raw {seq!r}" for seq in RAW_ESCAPES if seq in data]
    allowed = "\n\t" + ("\r\x1b" if terminal else "")
    for ch in set(text):
        category = unicodedata.category(ch)
        if ((category == "Cc" and ch not in allowed) or category in ("Cs", "Zl", "Zp")
                or (category == "Cf" and ch not in KEPT_FORMAT)):
            found.append(f"raw U+{ord(ch):04X}")
    return sorted(found)


def run(cli, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], env=cli.env(**extra), cwd=cli.tmp,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False)


def both(res: subprocess.CompletedProcess, name: str = "") -> dict[str, bytes]:
    """stdout and stderr: a crash on the way (an encoding error) shows in stderr."""
    return {f"{name} stdout".strip(): res.stdout, f"{name} stderr".strip(): res.stderr}


def pty(cli, args, steps=(), auto=None, **extra) -> bytes:
    """The whole transcript of a pseudo-terminal run: wait for each anchor (bytes), send its
    reply (keys); a question in `auto` ({anchor: keys}) is answered whenever it comes first."""
    p = pexpect.spawn(str(BIN), list(args), env=cli.env(**extra), cwd=str(cli.tmp),
                      timeout=20, dimensions=(40, 200))
    p.logfile_read = io.BytesIO()
    auto = auto or {}
    for anchor, reply in steps:
        while (i := p.expect_exact([anchor, *auto])) > 0:
            p.send(list(auto.values())[i - 1])
        p.send(reply)
    p.expect(pexpect.EOF)
    p.close()
    return p.logfile_read.getvalue()


def key(machine="default", cwd="/projects/p", mount="") -> str:
    record = f"machine={machine}\nprojectsRoot=/srv/p\nmountParent={mount}\ncwd={cwd}"
    return base64.b64encode(record.encode("utf-8")).decode()


def container(ref_digit: str, cwd: str, mount: str = "", box: str | None = None,
              state="running", image="localhost/anon-pi/pi:latest") -> dict:
    labels = {"anon-pi.key": key(cwd=cwd, mount=mount), "netcage.managed": "true"}
    if box:
        labels["anon-pi.container"] = box
    return {"Id": ref_digit * 64, "Names": [f"jail_{ref_digit}"], "State": state,
            "Labels": labels, "Image": image}
