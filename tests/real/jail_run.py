"""Run one `netcage run` argv's container command on the host, as the jail would see it.

Started by real_pi_jail.run_in_jail as `unshare -m -n -- python jail_run.py <spec.json>`
(root): in that private mount and network namespace it
- brings up a loopback that also holds 169.254.1.1, the address netcage gives the host's
  loopback inside the jail, and serves a fake OpenAI-compatible model there
  (SSE `chat.completion.chunk`s, every request logged as one JSON line);
- builds a root from the host's own top-level folders plus EXACTLY the argv's `-v` mounts
  (machine home at /root, projects root at /projects, the seed files read-only under
  /anon-pi-seed) and runs the `sh -c` script chrooted there, in the argv's `-w` folder,
  optionally under `strace -f -e trace=connect,sendto`, optionally in a pty (pexpect)
  driven by [regex, keys] steps.
Nothing of it outlives the namespace; the host's own /root, / and network are untouched.
"""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

JAIL_HOST = "169.254.1.1"
ANSWER = "FAKE-LLM-ANSWER-42"


def _chunk(model: str, delta: dict, finish: str | None = None) -> bytes:
    body = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
            "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def serve_model(port: int, log: Path) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _record(self, body):
            with log.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"method": self.command, "path": self.path,
                                     "body": body}) + "\n")

        def do_GET(self):
            self._record(None)
            data = json.dumps({"object": "list", "data": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            self._record(body)
            model = body.get("model", "") if isinstance(body, dict) else ""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            self.wfile.write(_chunk(model, {"role": "assistant", "content": ""}))
            self.wfile.write(_chunk(model, {"content": ANSWER}))
            self.wfile.write(_chunk(model, {}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def network() -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "addr", "add", f"{JAIL_HOST}/32", "dev", "lo"], check=True)


def build_root(root: Path, mounts: list[list[str]]) -> None:
    """The host's top-level folders bound in, then the argv's own `-v` mounts over them."""
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    targets = {dst.split("/")[1] for _, dst, _ in mounts}
    for entry in os.scandir("/"):
        if entry.name in targets or entry.name in ("old_root", "lost+found"):
            continue
        where = root / entry.name
        if entry.is_symlink():
            where.symlink_to(os.readlink(entry.path))
        elif entry.is_dir():
            where.mkdir()
            subprocess.run(["mount", "--rbind", entry.path, str(where)], check=True)
    for src, dst, ro in mounts:
        where = root / dst.lstrip("/")
        if Path(src).is_dir():
            where.mkdir(parents=True, exist_ok=True)
        else:
            where.parent.mkdir(parents=True, exist_ok=True)
            where.touch()
        subprocess.run(["mount", "--bind", src, str(where)], check=True)
        if ro:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], check=True)


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    network()
    server = serve_model(spec["port"], Path(spec["model_log"]))
    root = Path(spec["root"])
    build_root(root, spec["mounts"])
    argv = spec["argv"]
    if spec.get("strace"):
        argv = ["strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", spec["strace"], *argv]

    def enter():
        os.chroot(root)
        os.chdir(spec["cwd"])

    result = {}
    if spec.get("pty"):
        import pexpect

        child = pexpect.spawn(argv[0], argv[1:], env=spec["env"], preexec_fn=enter,
                              encoding="utf-8", codec_errors="replace", timeout=spec["timeout"],
                              dimensions=(40, 120))
        result["ui"] = True
        try:
            for expect, keys in spec["pty"]:  # [regex, then these keys] in order
                child.expect(expect)
                child.send(keys)
            child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=spec.get("linger", 0))
        except (pexpect.TIMEOUT, pexpect.EOF):
            result["ui"] = False
        child.sendcontrol("c")
        child.sendcontrol("c")
        child.sendcontrol("d")
        child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=15)
        child.close(force=True)
        result.update(rc=child.exitstatus, stdout=child.before or "", stderr="")
    else:
        res = subprocess.run(argv, env=spec["env"], preexec_fn=enter, capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=spec["timeout"],
                             check=False)
        result.update(rc=res.returncode, stdout=res.stdout, stderr=res.stderr)
    server.shutdown()
    Path(spec["out"]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
