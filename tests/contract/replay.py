"""Replay every recorded netcage call of one generation against the stand-in netcage.

    unshare -n python tests/contract/replay.py <generation> <results.json>

Run it inside a fresh network namespace (`unshare -n`, as the recording was): the records use
fixed loopback ports (the proxy 19050/19051, detect-proxy's 9050/9150/1080, forward's host
ports), and a namespace with only `lo` keeps them off the host's and keeps every connection on
loopback. For each record, in recorded order: rebuild the world it met (replay_world.py), run
the same argv and environment through the stand-in in its real-podman mode, with a logging
`podman` first on PATH as the recording had, then hold exit status, stdout, stderr, the podman
calls the stand-in made and the store it left to the record (transcripts.py).

The harness's podman-free mode (what the cli tests run) is checked too, in-process: every help,
`run` and `start` record must give the recorded refusal word for word, and an argv the real
netcage accepted must be accepted.

The results file: {"generation", "seconds", "records": [{"id", "area", "problems": [...]}],
"podman_free": [{"id", "area", "problems": [...]}]}; no problems = the call agrees.
"""
import contextlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAKES = HERE.parent / "fakes"
sys.path[:0] = [str(HERE), str(HERE.parent), str(FAKES)]

from replay_world import World
from transcripts import differences, load, normalize, placeholders_to_paths

SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# records whose argv names an object by id: which object (the ids differ on every machine)
BY_ID = {
    "start/by-id64/": "netcage-run-1001-tool", "start/by-id12/": "netcage-run-1001-tool",
    "inspect/tool-id-imagename": "netcage-run-1002-tool",
    "inspect/plain-image-id": "localhost/nct/busybox:latest",
    "ports/by-id": "netcage-run-1002-tool", "forward/by-id-4001": "netcage-run-1002-tool",
    "commit/stopped-tool-by-id-q": "netcage-run-1001-tool",
    "rm/stopped-pair-by-tool-id": "netcage-run-1001-tool",
}
# socat's and nc's lines, whose number depends on timing (the README says so for this record;
# under load podman exec has also been seen to lose a short-lived nc's line altogether)
TIMING_LINES = {"forward/no-server": ("nc: can't connect to remote host", "<TS> socat[<PID>] E ")}
WRAPPER = """#!{python} -IS
import json, os, sys
fd = os.open({log!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
os.write(fd, (json.dumps(sys.argv[1:]) + "\\n").encode())
os.close(fd)
os.execv("/usr/bin/podman", ["/usr/bin/podman", *sys.argv[1:]])
"""


class Replay:
    def __init__(self, generation: str, scratch: Path):
        self.generation, self.scratch = generation, scratch
        self.paths = {"<SCRATCH>": str(scratch), "<STORE>": str(scratch / "store"),
                      "<WS>": str(scratch / "ws"), "<HOSTDIR>": str(scratch / "hostdir"),
                      "<NETCAGE_DIR>": str(FAKES)}
        self.log = scratch / "podman-calls.jsonl"
        bindir = scratch / "trace-bin"
        bindir.mkdir()
        (bindir / "podman").write_text(WRAPPER.format(python=sys.executable, log=str(self.log)))
        (bindir / "podman").chmod(0o755)
        self.path = f"{bindir}:{SYSTEM_PATH}"
        self.records = load(generation)
        self.world = World(scratch, _baked_env(self.records))
        lonely = scratch / "lonely" / "netcage"  # netcage alone: no netcage-dns beside it
        lonely.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(FAKES)!r})\n"
                          "from netcage_standin.main import main\nmain()\n")
        lonely.chmod(0o755)

    def env(self, record: dict) -> dict:
        env = {"PATH": self.path, "HOME": str(self.scratch / "home"),
               "XDG_CONFIG_HOME": str(self.scratch / "xdg"), "TMPDIR": str(self.scratch / "tmp"),
               "LANG": "C.UTF-8", "FAKE_NETCAGE_VERSION": f"netcage {self.generation}",
               "FAKE_NETCAGE_REAL_PODMAN": "1"}
        env.update({k: placeholders_to_paths(v, self.paths) for k, v in record["env"].items()})
        return env

    def argv(self, record: dict, store: bool = True) -> list[str]:
        """The recorded argv on this machine: its paths, and the real id of what it names by id
        (any id will do when no store is asked)."""
        args = [placeholders_to_paths(a, self.paths) for a in record["argv"][1:]]
        target = next((name for prefix, name in BY_ID.items() if record["id"].startswith(prefix)),
                      None)
        if target:
            full = self.world.id_of(target) if store else "0" * 52 + "c0ffee0c0ffe"
            args = [a.replace("<ID64>", full).replace("<ID12>", full[:12]) for a in args]
        exe = self.scratch / "lonely" / "netcage" if "no-dns-helper" in record["id"] \
            else FAKES / "netcage"
        return [str(exe), *args]

    def one(self, record: dict) -> list[str]:
        problems = []
        self.world.arrange(record)
        met = normalize(self.world.describe(), self.paths)
        if met != _store_words(record["setup"]):
            problems.append(f"setup not rebuilt: met {met}")
        self.log.write_text("")
        call = self._forward if record["area"] == "forward" else self._call
        rc, out, err = call(record)
        out, err = normalize(out, self.paths), normalize(err, self.paths)
        if record["id"] in TIMING_LINES:
            err = _timing_lines_agree(record, err)
        problems += differences(record, rc, out, err)
        calls = [[normalize(a, self.paths) for a in c] for c in _read_calls(self.log)]
        if calls:
            self.world.changed()
        if calls != record["podman_calls"]:
            problems.append("podman calls differ:\n  replayed " + json.dumps(calls)[:1500]
                            + "\n  recorded " + json.dumps(record["podman_calls"])[:1500])
        if record.get("after"):
            left = normalize(self.world.describe(), self.paths)
            if left != _store_words(record["after"]):
                problems.append(f"left the store as: {left}")
        return problems

    def _call(self, record: dict) -> tuple[int, str, str]:
        res = subprocess.run(self.argv(record), env=self.env(record), capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=180, check=False)
        return res.returncode, res.stdout, res.stderr

    def _forward(self, record: dict) -> tuple[int, str, str]:
        """As recorded: start it, and once the host port answers, one HTTP GET through it,
        then Ctrl-C (SIGINT) when the relay has said what it had to say about those two
        connections; a forward that exits by itself is just waited for."""
        argv = self.argv(record)
        host_port = int(argv[-1].split(":")[0]) if argv[-1][:1].isdigit() else 0
        proc = subprocess.Popen(argv, env=self.env(record), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = []
        reader = threading.Thread(target=lambda: err.extend(iter(
            lambda: proc.stderr.read1(4096), b"")), daemon=True)
        reader.start()
        if host_port and _wait_listening(proc, host_port):
            relayed = _http_get(host_port)
            _wait_for(lambda: sum("nc" in c for c in _read_calls(self.log)) >= 2, 10)
            if not relayed:  # the relay reports each failed connection on stderr
                _wait_for(lambda: err, 15)
            _wait_quiet(err, quiet=1.0, deadline=15)
            proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()
        proc.wait(timeout=60)
        reader.join(timeout=10)
        return proc.returncode, out.decode(), b"".join(err).decode()

    def podman_free(self, record: dict) -> list[str]:
        """The cli harness's mode, in-process: the same refusals, the same acceptances."""
        from netcage_standin import generation
        from netcage_standin.main import dispatch
        from netcage_standin.outcome import Exit

        self.world.arrange(record, store=False)
        env = self.env(record)
        env.pop("FAKE_NETCAGE_REAL_PODMAN")
        argv = self.argv(record, store=False)
        out, err = io.StringIO(), io.StringIO()
        saved = (dict(os.environ), sys.argv)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = argv
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    rc = dispatch(argv[1:], generation.current(), real=False)
                except Exit as end:
                    err.write(end.stderr)
                    rc = end.code
        finally:
            os.environ.clear()
            os.environ.update(saved[0])
            sys.argv = saved[1]
        out_text, err_text = normalize(out.getvalue(), self.paths), normalize(err.getvalue(),
                                                                              self.paths)
        if record.get("stops_at") in ("sidecar-start", "resolve", "reconcile", "firewall-verify"):
            return [] if rc == 0 else [f"refused an argv netcage accepted: {err_text[:300]}"]
        return differences(record, rc, out_text, err_text)


def _baked_env(records: list[dict]) -> dict[str, str]:
    """The sidecar env this generation bakes for the box: off its recorded sidecar argv."""
    record = next(r for r in records if r["id"] == "run/hole/own-flag-lan/listener")
    argv = record["podman_calls"][0]
    pairs = [argv[i + 1].split("=", 1) for i, a in enumerate(argv) if a == "-e"]
    return {k: v for k, v in pairs if k in ("PROXY", "TUN_EXCLUDED_ROUTES", "EXTRA_COMMANDS")}


def _store_words(setup: str) -> str:
    return " | ".join(setup.split(" | ")[:2])


def _read_calls(log: Path) -> list[list[str]]:
    text = log.read_text() if log.exists() else ""
    return [json.loads(line) for line in text.splitlines() if line]


def _wait_for(check, seconds: float) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


def _http_get(port: int) -> bool:
    """GET / through the forward; whether an HTTP answer (any status) came back."""
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
    except urllib.error.HTTPError:
        return True
    except (OSError, http.client.HTTPException):
        return False
    return True


def _wait_quiet(chunks: list, quiet: float, deadline: float) -> None:
    """Until `chunks` stops growing for `quiet` seconds (a relay reporting its connections)."""
    end, seen, since = time.time() + deadline, -1, time.time()
    while time.time() < end:
        if len(chunks) != seen:
            seen, since = len(chunks), time.time()
        elif time.time() - since >= quiet:
            return
        time.sleep(0.05)


def _wait_listening(proc: subprocess.Popen, port: int) -> bool:
    def ready() -> bool:
        if proc.poll() is not None:
            return True
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return True
        return False
    return _wait_for(ready, 20) and proc.poll() is None


def _timing_lines_agree(record: dict, err: str) -> str:
    """Any number of lines, each of the recorded kinds: as good as the recorded text."""
    kinds = TIMING_LINES[record["id"]]
    if all(line.startswith(kinds) for line in err.splitlines()):
        return record["stderr"]
    return err


def main() -> None:
    generation, results_path = sys.argv[1], Path(sys.argv[2])
    only = sys.argv[3] if len(sys.argv) > 3 else ""  # a record id prefix, when debugging one
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    started = time.time()
    scratch = Path(tempfile.mkdtemp(prefix=f"nct-{generation}-", dir="/var/tmp"))
    replay = Replay(generation, scratch)
    results, podman_free = [], []
    try:
        for record in replay.records:
            if not record["id"].startswith(only):
                continue
            began = time.time()
            try:
                problems = replay.one(record)
            except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as exc:
                # one record that cannot be replayed must not hide the others
                problems = [f"replay failed: {type(exc).__name__}: {exc}"]
            results.append({"id": record["id"], "area": record["area"], "problems": problems,
                            "seconds": round(time.time() - began, 2)})
        for record in replay.records:
            if record["area"] in ("help", "run", "start") and record["id"].startswith(only):
                podman_free.append({"id": record["id"], "area": record["area"],
                                    "problems": replay.podman_free(record)})
    finally:
        replay.world.close()
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
    results_path.write_text(json.dumps({
        "generation": generation, "seconds": round(time.time() - started, 1),
        "records": results, "podman_free": podman_free}, indent=1))


if __name__ == "__main__":
    main()
