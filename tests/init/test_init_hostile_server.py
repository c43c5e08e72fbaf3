"""A model server init talks to may be hostile: it controls every byte of its answers. init
asks it over one fetch only (no redirect followed, no proxy variable read, one deadline, a
size cap), takes only printable model ids of a sane length, shows them escaped, and reads its
numbers (and the user's typed ones) without ever crashing. Every server here is a loopback
listener the test runs; "another host" is another loopback port."""

import json
import threading

import pytest
from init_support import (
    OLLAMA,
    PI_NETWORK_ENTER,
    Lab,
    ModelsServer,
    ShapedServer,
    lab_fixture,  # noqa: F401  the `lab` fixture
    listing,
)
from loopback_listener import Listener

from anonpi_helpers.core.numbers import ascii_int
from anonpi_helpers.init.grammar import parse_choice
from anonpi_helpers.init.model_limits import from_ollama_show, parse_edit
from anonpi_helpers.init.models_listing import listing_ids
from anonpi_helpers.init.models_seed import parse_default, parse_pick


class RawServer(Listener):
    """A loopback listener that answers every connection with `answer(conn)` and records
    each request's first bytes."""

    def __init__(self, answer):
        self.requests: list[bytes] = []
        self.stop = threading.Event()
        self._answer = answer
        super().__init__(serve=self._one, threaded=True)

    def _one(self, conn):
        conn.settimeout(5)
        self.requests.append(conn.recv(4096))
        self._answer(conn, self.stop)

    def close(self):
        self.stop.set()
        super().close()


def _no_model_steps(llm: str) -> list:
    """Proxy, then this llm; the server offers nothing usable, so no import question."""
    return [("Choose a number", "1"), ("as your proxy? [Y/n]", ""), PI_NETWORK_ENTER,
            ("Local model host:port", llm), ("Choose [1-4]", "4"), ("Projects root", "")]


def _written_ids(cli) -> list[str]:
    doc = json.loads((cli.ws / "models.json").read_text())
    return [m["id"] for m in doc["providers"]["local"]["models"]]


def test_a_redirect_to_another_host_is_not_followed(cli, lab):
    tracker = ModelsServer({"data": [{"id": "tracker-model"}]})
    target = f"http://127.0.0.1:{tracker.port}/deanon?user=alice"

    def redirect(conn, _stop):
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n".encode())

    hostile = RawServer(redirect)
    try:
        code, out = lab.run(_no_model_steps(f"127.0.0.1:{hostile.port}"))
    finally:
        hostile.close()
        tracker.close()
    assert code == 0, out
    assert tracker.hits == []
    assert [r for r in hostile.requests if r.startswith(b"GET /v1/models HTTP/1.1")]
    assert "tracker-model" not in out and _written_ids(cli) == []
    assert "No models found" in out


def test_proxy_variables_never_route_the_listing(cli, lab):
    decoy = ModelsServer({"data": [{"id": "via-the-proxy"}]})
    decoy_url = f"http://127.0.0.1:{decoy.port}"
    try:
        steps = lab.happy_steps(image="4")
        code, out = lab.run(steps, http_proxy=decoy_url, HTTP_PROXY=decoy_url,
                            all_proxy=decoy_url, no_proxy="")
    finally:
        decoy.close()
    assert code == 0, out
    assert decoy.hits == []
    assert "/v1/models" in lab.models.hits
    assert sorted(_written_ids(cli)) == ["Hermes-3-70B", "qwen3-coder"]


def _trickle(conn, stop):
    """One byte every 0.2 s, never ending."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
    while not stop.wait(0.2):
        conn.sendall(b" ")


def _flood(conn, stop):
    """A body without end, as fast as the client reads."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n[" + b'"m",' * 1000)
    chunk = b'"m",' * 16384
    while not stop.is_set():
        conn.sendall(chunk)


@pytest.mark.parametrize("answer", [_trickle, _flood], ids=["trickles forever", "endless body"])
def test_a_server_that_never_ends_its_answer_cannot_hold_init(cli, lab, answer):
    """init gives up at its deadline or its size cap, and moves on without models."""
    server = RawServer(answer)
    try:
        code, out = lab.run(_no_model_steps(f"127.0.0.1:{server.port}"))
    finally:
        server.close()
    assert code == 0, out
    assert "No models found" in out


HOSTILE_IDS = ["\x1b]52;c;cHduZWQ=\x07clip", "bidi\u202eevil", "x" * 300, "nul\x00id",
               "\ud800", "bell\x07", "line\u2028break", 42, None]


def test_only_printable_ids_of_a_sane_length_are_offered_and_none_reaches_the_terminal(
        cli, lab):
    server = ModelsServer({"data": [{"id": "good-model"}, *({"id": i} for i in HOSTILE_IDS)]})
    try:
        steps = lab.happy_steps(image="4")
        steps[3] = ("Local model host:port", f"127.0.0.1:{server.port}")
        del steps[5]  # one model left: it is the default without a question
        code, out = lab.run(steps)
    finally:
        server.close()
    assert code == 0, out
    assert _written_ids(cli) == ["good-model"]
    assert "[1] good-model [server]" in out and "[2]" not in out.split("Import which?")[0]
    for raw in ("\x1b]52", "\u202e", "\x07", "x" * 300):
        assert raw not in out


def test_ids_from_the_users_own_pi_config_are_shown_escaped(cli, lab):
    from init_support import pi_models

    pi_models(cli, {"mine": {"baseUrl": f"http://{lab.llm}/v1", "apiKey": "none",
                             "models": [{"id": "own\x1b[2Jmodel"}]}})
    steps = lab.happy_steps(image="4")
    steps[4:6] = [("Import which?", "c")]
    code, out = lab.run(steps)
    assert code == 0, out
    assert "own\\x1b[2Jmodel [configured]" in out and "\x1b[2J" not in out


def _init_against(cli, routes: dict, edit) -> tuple[int, str]:
    """init on the happy path, its model a ShapedServer of `routes`; `edit(steps)` adapts the
    answers in place."""
    server = ShapedServer(routes)
    lab = Lab(cli)
    try:
        steps = lab.happy_steps(image="4")
        steps[3] = ("Local model host:port", f"127.0.0.1:{server.port}")
        edit(steps)
        return lab.run(steps)
    finally:
        lab.close()
        server.close()


def test_a_server_number_of_5000_digits_is_no_crash(cli):
    """Ollama's `num_ctx` parameter with 5,000 digits: not a limit, never a ValueError."""
    huge = dict(OLLAMA)
    huge[("POST", "/api/show")] = lambda req: {"parameters": "num_ctx " + "9" * 5000,
                                               "model_info": {"x.context_length": 8192}}
    code, out = _init_against(cli, huge, lambda steps: steps.insert(6, ("change one", "")))
    assert code == 0, out
    assert "unexpected error" not in out
    assert "context 8,192" in out  # the model's trained length is used instead


def test_a_typed_superscript_digit_is_asked_again(cli):
    def edit(steps):
        del steps[5]  # one model: no default question
        steps[5:5] = [("change one", "1 \u00b2"), ("answer Enter, or a number", "1 ９０"),
                      ("answer Enter, or a number", "1 4096"), ("change one", "")]

    code, out = _init_against(
        cli, {("GET", "/v1/models"): listing("m1", max_model_len=32768)}, edit)
    assert code == 0, out
    assert "unexpected error" not in out
    doc = json.loads((cli.ws / "models.json").read_text())
    assert doc["providers"]["local"]["models"][0]["contextWindow"] == 4096


@pytest.mark.parametrize("text", ["9" * 5000, "\u00b2", "９", "1_0", "+1"])
def test_every_number_init_reads_is_ascii_and_bounded(text):
    """Typed answers and server text alike: no ValueError, no foreign digits taken."""
    assert parse_edit(f"1 {text}", 1) is None
    assert parse_pick(text, 3, []) is None
    assert parse_default(text, 3) is None
    assert parse_choice(text, ["127.0.0.1:9050"], None) is None
    assert from_ollama_show({"parameters": f"num_ctx {text}"}).context is None
    assert ascii_int(text) is None


def test_listing_ids_take_printable_ids_of_a_sane_length_only():
    assert listing_ids({"data": [{"id": " ok "}, *({"id": i} for i in HOSTILE_IDS),
                                 {"id": "y" * 256}]}) == ["ok", "y" * 256]


def test_the_model_fetch_goes_to_a_model_address_only():
    """An IPv4 literal on loopback or a private/link-local model address; never a name (no DNS
    lookup on the host), a public address or a DNS port. A refused one gets no packet."""
    from anonpi_helpers.edges.model_http import allowed, fetch_json

    assert allowed("127.0.0.1", 8080) and allowed("192.168.1.5", 11434)
    assert allowed("169.254.1.1", 8000)
    for host, port in (("localhost", 8080), ("8.8.8.8", 80), ("127.0.0.1", 53),
                       ("::1", 8080), ("example.org", 80)):
        assert not allowed(host, port), (host, port)
    server = ModelsServer({"data": [{"id": "m"}]})
    try:
        assert fetch_json("localhost", server.port, "/v1/models") is None
        assert server.hits == []
        assert fetch_json("127.0.0.1", server.port, "/v1/models") == {"data": [{"id": "m"}]}
    finally:
        server.close()
