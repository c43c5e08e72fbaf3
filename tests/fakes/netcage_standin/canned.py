"""The podman-free mode: what the cli harness scripts in place of a real store and a real jail.

Hundreds of tests describe the world netcage would see through files and variables:

FAKE_NETCAGE_DIR    canned answers: <stem>.out / <stem>.err / <stem>.rc, where the stem is the
                    verb, or the more specific `<verb>-<first argument>` (`ports-<c>`,
                    `inspect-<c>`), or for `build ... <context>` `build-<context folder name>`;
                    for run/start/verify they stand for what happens AFTER netcage accepted the
                    argv and reached the proxy
FAKE_NETCAGE_RC     exit status of an accepted run/start/verify/forward/commit/build/load/pull
                    (default 0)
FAKE_NETCAGE_SLEEP  seconds those verbs run before exiting (a Ctrl-C ends them: exit 130)
FAKE_NETCAGE_READY  a file they create once a Ctrl-C reaches them (their SIGINT handler is in
                    place): a Ctrl-C test waits for it instead of sleeping
FAKE_NETCAGE_STREAM a file whose lines an accepted `run` writes to stdout one by one, as netcage
                    relays the tool's stdout live; with FAKE_NETCAGE_GATE (a folder) it waits after
                    line k until the test creates `go-<k>` there (exit 97 after 20 s)

Without a canned answer the store is empty, except that `rm`, `logs`, `stop` and `exec` of a
name succeed silently (the tests describe their boxes through a canned `ps`) and `commit`
prints a new image id; `detect-proxy`, whose answer depends on the host's own ports 9050, 9150
and 1080, answers nothing (exit 0), so anon-pi falls back to its own probe of the ports a test
names.
"""
import os
import signal
import sys
import time


def answer(*stems: str) -> int | None:
    """Write the first canned answer among `stems`; its exit status, or None when none is canned."""
    folder = os.environ.get("FAKE_NETCAGE_DIR", "")
    if not folder:
        return None
    for stem in stems:
        base = os.path.join(folder, stem)
        if not any(os.path.exists(base + s) for s in (".out", ".err", ".rc")):
            continue
        for suffix, stream in ((".out", sys.stdout), (".err", sys.stderr)):
            if os.path.exists(base + suffix):
                with open(base + suffix, encoding="utf-8") as fh:
                    stream.write(fh.read())
        if os.path.exists(base + ".rc"):
            with open(base + ".rc", encoding="utf-8") as fh:
                return int(fh.read().strip() or 0)
        return 0
    return None


def stems(verb: str, args: list[str]) -> list[str]:
    """Most specific first: `build-<context>`, `<verb>-<first argument>`, `<verb>`."""
    out = [f"{verb}-{args[0]}"] if args else []
    if verb == "build" and len(args) > 1:
        out.insert(0, f"build-{os.path.basename(args[-1].rstrip('/'))}")
    return out + [verb]


def scripted_status() -> int:
    return int(os.environ.get("FAKE_NETCAGE_RC", "0") or 0)


def linger() -> int:
    """Stay up FAKE_NETCAGE_SLEEP seconds (a running jail or forward); 130 if interrupted,
    else FAKE_NETCAGE_RC."""
    delay = float(os.environ.get("FAKE_NETCAGE_SLEEP", "0") or 0)
    if delay:
        got = []
        signal.signal(signal.SIGINT, lambda s, f: got.append(s))
        ready = os.environ.get("FAKE_NETCAGE_READY")
        if ready:
            open(ready, "w").close()
        end = time.time() + delay
        while time.time() < end and not got:
            time.sleep(0.02)
        if got:
            print("fake netcage: interrupted", file=sys.stderr)
            return 130
    return scripted_status()


def streamed_run() -> int | None:
    """FAKE_NETCAGE_STREAM's lines on stdout, gated by FAKE_NETCAGE_GATE; None when unset."""
    source = os.environ.get("FAKE_NETCAGE_STREAM")
    if not source:
        return None
    gate = os.environ.get("FAKE_NETCAGE_GATE")
    with open(source, "rb") as fh:
        lines = fh.read().splitlines(keepends=True)
    for k, line in enumerate(lines):
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        end = time.time() + 20
        while gate and not os.path.exists(os.path.join(gate, f"go-{k}")):
            if time.time() > end:
                print(f"fake netcage: line {k} was never seen", file=sys.stderr)
                return 97
            time.sleep(0.01)
    return scripted_status()
