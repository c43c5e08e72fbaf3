"""doctor's rows for where the jail's traffic goes: the proxy and its SOCKS5 greeting, the
local model (llm) and whether it answers, and the web policy each launch's relay enforces.
In-process (doctor_support's `doc` fixture); proxy and llm are real sockets on 127.0.0.1."""

import json

import pytest
from doctor_support import (
    TOOLBOX,
    Responder,
    doc_fixture,  # noqa: F401  the `doc` fixture
    free_port,
    line,
    run,
)
from harness_paths import FAKES, NETCAGE, PODMAN


def test_old_netcage_refuses_a_loopback_llm(nc, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(FAKES))
    monkeypatch.setenv("ANON_PI_PROXY", "socks5h://127.0.0.1:1")
    monkeypatch.setenv("ANON_PI_LLM", "127.0.0.1:8080")
    nc.register([NETCAGE, "--version"], stdout="netcage 0.11.0\n")
    nc.register([PODMAN, "--version"], stdout="podman version 5.4.2\n")
    monkeypatch.setenv("NETCAGE_GRAPHROOT", str(tmp_path / "no-store"))  # holds nothing
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "llm") == ("FAIL llm: llm 127.0.0.1:8080 is on loopback, which needs "
                                  "netcage 0.12 or newer.")
    assert not [ln for ln in lines if "llm reachable" in ln]


@pytest.mark.parametrize("proxy, detail", [
    (None, "FAIL proxy: no proxy configured; refusing to launch (fail-closed)."),
    ("socks5://127.0.0.1:9050", ("FAIL proxy: proxy socks5://127.0.0.1:9050 is not a socks5h"
                                 ":// URL; plain socks5, http or a bare host:port would "
                                 "resolve DNS outside the proxy.")),
])
def test_proxy_unset_or_not_socks5h(doc, capsys, monkeypatch, proxy, detail):
    if proxy:
        monkeypatch.setenv("ANON_PI_PROXY", proxy)
    else:
        monkeypatch.delenv("ANON_PI_PROXY")
    code, lines = run(capsys)
    assert code == 1
    i = lines.index(detail)
    assert lines[i + 1].startswith("  fix: set ANON_PI_PROXY or run `anon-pi init`")
    assert not [ln for ln in lines if "greeting" in ln]


@pytest.mark.parametrize("reply, close, reason", [
    (b"\x05\xff", False, "SOCKS5 but no acceptable auth method"),
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", False, "not SOCKS5"),
    (b"\x05", False, "short reply"),
    (None, False, "no reply"),
    (None, True, "no reply"),
])
def test_proxy_greeting_answered_badly(doc, capsys, monkeypatch, reply, close, reason):
    bad = Responder(reply, close_at_once=close)
    monkeypatch.setenv("ANON_PI_PROXY", f"socks5h://127.0.0.1:{bad.port}")
    try:
        code, lines = run(capsys)
    finally:
        bad.close()
    assert code == 1
    got = line(lines, "proxy greeting")
    assert got == (f"FAIL proxy greeting: socks5h://127.0.0.1:{bad.port} answered the SOCKS5 "
                   f"greeting badly: {reason}")


def test_proxy_not_listening(doc, capsys, monkeypatch):
    port = free_port()
    monkeypatch.setenv("ANON_PI_PROXY", f"socks5h://127.0.0.1:{port}")
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "proxy greeting")
    assert got.startswith(f"FAIL proxy greeting: cannot connect to socks5h://127.0.0.1:{port}:")
    assert lines[lines.index(got) + 1].startswith("  fix: start the proxy")


@pytest.mark.parametrize("llm, words", [
    (None, "no local model (llm) configured"),
    ("8.8.8.8:8080", "is not a private (RFC1918) or link-local address"),
    ("192.168.1.5", "needs an explicit numeric port"),
    ("192.168.1.5:53", "uses a DNS port (53)"),
])
def test_llm_refused(doc, capsys, monkeypatch, llm, words):
    if llm:
        monkeypatch.setenv("ANON_PI_LLM", llm)
    else:
        monkeypatch.delenv("ANON_PI_LLM")
    code, lines = run(capsys)
    assert code == 1
    got = line(lines, "llm")
    assert got.startswith("FAIL llm: ") and words in got
    assert lines[lines.index(got) + 1].startswith("  fix: ")


def test_llm_unreachable(doc, capsys, monkeypatch):
    port = free_port()
    monkeypatch.setenv("ANON_PI_LLM", f"127.0.0.1:{port}")
    code, lines = run(capsys)
    assert code == 1
    assert line(lines, "llm reachable").startswith(
        f"FAIL llm reachable: no TCP connection to 127.0.0.1:{port}: ")


def test_no_web_needs_no_proxy_and_says_so(doc, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("ANON_PI_PROXY")
    (tmp_path / "ws" / "machines" / "default" / "machine.json").write_text(
        json.dumps({"image": TOOLBOX, "web": "none"}))
    code, lines = run(capsys)
    assert code == 0
    assert line(lines, "proxy") == "ok   proxy: none, and none needed: no web (web: none)"
    assert line(lines, "web") == (
        "ok   web: no web: each launch's relay refuses everything the jail asks for")
    assert not [ln for ln in lines if "greeting" in ln]


@pytest.mark.parametrize("web, row", [
    (["github.com", "*.pypi.org"], ("ok   web: web only to github.com, *.pypi.org (each "
                                    "launch's relay carries and logs it: `anon-pi egress`)")),
    ("everything", ("FAIL web: config.json `web` is 'everything'; it must be \"proxy\", "
                    "\"none\" or a list of names."))])
def test_the_web_policy_row(doc, capsys, tmp_path, web, row):
    (tmp_path / "ws" / "config.json").write_text(json.dumps({"web": web}))
    code, lines = run(capsys)
    assert line(lines, "web") == row
    assert code == (1 if row.startswith("FAIL") else 0)
