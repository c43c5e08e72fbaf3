"""init test kit: stub SOCKS/HTTP servers on 127.0.0.1, pexpect driving (the cli harness brings
tests/fakes/podman)."""

import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pexpect
import pytest
from harness_paths import BIN
from loopback_listener import Listener

VERIFY_OK = (
    "proxy: socks5h://127.0.0.1:9050 (source: flag)\n"
    "[PASS] forced-egress-exit-ip-differs-from-host: jail exit IP 185.220.101.7 differs "
    "from host 203.0.113.5 (forced egress active)\n"
    "[PASS] dns-resolves-over-tcp-glibc: ...\n"
)

VERIFY_QUESTION = "Run netcage verify? [y/N]"
PI_NETWORK = "Let pi reach its own services"  # the piNetwork question's anchor
PI_NETWORK_ENTER = (PI_NETWORK, "")  # Enter: pi stays silent (the default)
# the first launch after onboarding, of a project whose folder is new: Enter creates it
NEW_RECON = ('Create project "recon" in', "")
TEST_LOGIN = "zzlogin-test"  # distinctive: a temp path never shows it by chance


class StubServer(Listener):
    """A TCP server on 127.0.0.1 that records what each connection sent and answers `reply`;
    on `port` when given (e.g. one a probe list already names), else on a free one."""

    def __init__(self, reply: bytes | None, port: int = 0):
        self.reply = reply
        self.received: list[bytes] = []
        super().__init__(port, self._answer)

    def _answer(self, conn):
        conn.settimeout(2)
        self.received.append(conn.recv(64))
        if self.reply is not None:
            conn.sendall(self.reply)


def flat(text: str) -> str:
    """Text with every run of whitespace (line breaks of a wrapped paragraph) one space."""
    return " ".join(text.split())


def store_holds(cli, *refs: str) -> None:
    """The fake podman's netcage store lists exactly these (a `repo@sha256:` ref as a digest)."""
    cli.can("podman-images", json.dumps([
        {"Id": f"{i:064x}", "Names": [] if "@" in ref else [ref], "Labels": None,
         "RepoDigests": [ref] if "@" in ref else []} for i, ref in enumerate(refs, 10)]))


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class HttpStub:
    """A threaded HTTP server on 127.0.0.1 around a handler class; `close()` stops it."""

    def serve(self, handler) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class ModelsServer(HttpStub):
    """`GET /v1/models` answering `body` (any JSON value); counts requests."""

    def __init__(self, body):
        payload = json.dumps(body).encode()
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.serve(Handler)


def pi_models(cli, providers: dict) -> None:
    cli.write_json(cli.home / ".pi" / "agent" / "models.json", {"providers": providers})


def spawn(cli, *args, **extra) -> pexpect.spawn:
    p = pexpect.spawn(str(BIN), list(args) or ["init"], env=cli.env(**extra),
                      cwd=str(cli.tmp), encoding="utf-8", dimensions=(50, 200), timeout=20)
    p.logfile_read = io.StringIO()
    return p


def answer(p: pexpect.spawn, anchor: str, reply: str) -> None:
    p.expect_exact(anchor)
    p.sendline(reply)


def finish(p: pexpect.spawn) -> int:
    p.expect(pexpect.EOF)
    p.close()
    return p.exitstatus if p.exitstatus is not None else 128 + p.signalstatus


def transcript(p: pexpect.spawn) -> str:
    return p.logfile_read.getvalue()


def ready_env(cli, socks_port: int, closed: int) -> dict:
    """Canned netcage answers for a clean run: no detect-proxy, verify passes, build works;
    init's look for a model server on loopback finds only a closed port (never the host's
    real 8080, 11434, 1234 or 8000)."""
    cli.can("verify", VERIFY_OK, 0)
    cli.can("build---help", "usage: netcage build", 0)
    return {"ANON_PI_SOCKS_PROBE": f"127.0.0.1:{socks_port},127.0.0.1:{closed}",
            "ANON_PI_MODEL_PROBE": f"127.0.0.1:{closed}",
            "LOGNAME": TEST_LOGIN, "USER": TEST_LOGIN}


def drive(cli, steps, *args, auto: dict | None = None, **extra) -> tuple[int, str]:
    """Answer each (anchor, reply) in order; reply None sends EOF, "^C" sends Ctrl-C. A
    question in `auto` ({anchor: reply}) is answered so whenever it comes before the next
    step's anchor (a step naming that same anchor answers it itself). By default netcage
    verify, which asks first because it makes one direct request, is agreed to."""
    auto = {VERIFY_QUESTION: "y"} if auto is None else auto
    p = spawn(cli, *args, **extra)
    for anchor, reply in steps:
        others = [a for a in auto if a != anchor]
        while (i := p.expect_exact([anchor, *others])) > 0:
            p.sendline(auto[others[i - 1]])
        if reply is None:
            p.sendeof()
        elif reply == "^C":
            p.sendcontrol("c")
        else:
            p.sendline(reply)
    code = finish(p)
    return code, transcript(p)


class Lab:
    """One init scenario: a SOCKS stub, a closed port, a `/v1/models` server, fake podman."""

    def __init__(self, cli, listing=None):
        self.cli = cli
        self.socks = StubServer(b"\x05\x00")
        self.closed = closed_port()
        self.models = ModelsServer(listing if listing is not None else
                                   {"data": [{"id": "qwen3-coder"}, {"id": "Hermes-3-70B"}]})
        self.env = ready_env(cli, self.socks.port, self.closed)
        self.llm = f"127.0.0.1:{self.models.port}"

    def close(self):
        self.socks.close()
        self.models.close()

    def happy_steps(self, image="1"):
        return [("Choose a number", "1"), ("as your proxy? [Y/n]", ""), PI_NETWORK_ENTER,
                ("Local model host:port", self.llm), ("Import which?", ""),
                ("Default [1-2]", "2"), ("Choose [1-4]", image), ("Projects root", "")]

    def run(self, steps, *args, **extra):
        return drive(self.cli, steps, *args, **{**self.env, **extra})

    def podman_calls(self) -> list[str]:
        """The fake podman's calls (tests/fakes/podman), minus init's store probe."""
        return [c for c in self.cli.podman_calls() if not c.endswith(" images --format json")]


class ShapedServer(HttpStub):
    """A model server on 127.0.0.1 answering `routes` {("GET", "/props"): body, ...}; any other
    request gets 404. Records (method, path, request body) in `.requests`."""

    def __init__(self, routes: dict):
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                size = int(self.headers.get("Content-Length") or 0)
                sent = self.rfile.read(size).decode() if size else ""
                requests.append((self.command, self.path, sent))
                body = routes.get((self.command, self.path))
                if callable(body):
                    body = body(json.loads(sent) if sent else None)
                if body is None:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.serve(Handler)


def listing(*ids: str, **extra) -> dict:
    return {"object": "list", "data": [{"id": i, "object": "model", **extra} for i in ids]}


# What each server family answers (field names from their own APIs; values made up).
LLAMA_CPP = {("GET", "/v1/models"): listing("qwen2.5-coder-7b-q4_k_m.gguf", owned_by="llamacpp"),
             ("GET", "/props"): {"default_generation_settings": {"n_ctx": 8192, "n_predict": -1},
                                 "total_slots": 1, "chat_template": "{{ '<think>' }}..."}}
VLLM = {("GET", "/v1/models"): listing("Qwen/Qwen3-8B", owned_by="vllm", root="Qwen/Qwen3-8B",
                                       max_model_len=32768)}
OLLAMA = {("GET", "/v1/models"): listing("qwen3:8b", "llama3.2:3b", owned_by="library"),
          ("POST", "/api/show"): lambda req: {
              "qwen3:8b": {"model_info": {"general.architecture": "qwen3",
                                          "qwen3.context_length": 40960},
                           "capabilities": ["completion", "tools", "thinking"]},
              "llama3.2:3b": {"model_info": {"general.architecture": "llama",
                                             "llama.context_length": 131072},
                              "parameters": "num_ctx                        4096\nstop \"x\"",
                              "capabilities": ["completion", "tools"]}}.get(req["model"])}
LM_STUDIO = {("GET", "/v1/models"): listing("qwen2.5-7b-instruct", owned_by="organization_owner"),
             ("GET", "/api/v0/models"): {"object": "list", "data": [
                 {"id": "qwen2.5-7b-instruct", "object": "model", "type": "llm",
                  "state": "not-loaded", "max_context_length": 32768}]}}


@pytest.fixture(name="lab")
def lab_fixture(cli):
    """`lab`: one Lab per test, closed after it (a test file imports `lab_fixture`)."""
    lab = Lab(cli)
    yield lab
    lab.close()
