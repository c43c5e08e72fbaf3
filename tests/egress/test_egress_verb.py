"""`anon-pi egress`: after a scripted session (netcage a script that looks names up and
connects through the relay), what the session asked for, newest session first, refusals
included; what the jail named is shown escaped."""

import json

import pytest
from egress_support import FakeUpstream, scripted


@pytest.fixture
def upstream():
    up = FakeUpstream(answers={"github.com": "140.82.121.4"})
    yield up
    up.close()


def session(cli, *flags, names="", connect=""):
    res = cli.run(*flags, "recon", "-p", "x", JAIL_SEEN=cli.tmp / "seen.json",
                  JAIL_NAMES=names, JAIL_CONNECT=connect)
    assert res.returncode == 0, res.stderr


def test_json_lists_what_each_session_asked_for_newest_first(cli, upstream):
    cli.configure(proxy=upstream.url)
    scripted(cli)
    session(cli, names="github.com", connect="140.82.121.4:443")
    session(cli, "--web", "github.com", names="evil.example github.com",
            connect="203.0.113.9:443")
    res = cli.run("egress", "--json")
    assert res.returncode == 0, res.stderr
    newest, oldest = json.loads(res.stdout)["sessions"]
    assert newest["session"] > oldest["session"]
    assert (newest["machine"], newest["project"], newest["web"]) == (
        "default", "recon", "web only to github.com")
    assert newest["upstream"] == upstream.url and newest["ended"]["code"] == 0
    assert [(r["name"], r["allowed"]) for r in newest["lookups"]] == [
        ("evil.example", False), ("github.com", True)]
    assert newest["lookups"][0]["reason"] == "not on the allow-list"
    assert [(c["target"], c["port"], c["allowed"]) for c in newest["connections"]] == [
        ("9.9.9.9", 53, True), ("203.0.113.9", 443, False)]
    assert [(r["name"], r["type"], r["count"]) for r in oldest["lookups"]] == [
        ("github.com", "A", 1)]
    https = oldest["connections"][1]
    assert (https["target"], https["up"], https["down"]) == ("140.82.121.4", 18, 18)
    only = json.loads(cli.run("egress", "--json", "--session", oldest["session"][:22]).stdout)
    assert [s["session"] for s in only["sessions"]] == [oldest["session"]]


def test_words_and_filters(cli, upstream):
    cli.configure(proxy=upstream.url)
    scripted(cli)
    session(cli, "--web", "github.com", names="evil.example github.com",
            connect="140.82.121.4:443")
    res = cli.run("egress")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("session ") and "machine default, project recon" in lines[0]
    assert "web only to github.com  (exit 0)" in lines[0]
    assert lines[1:] == [
        "  names looked up:",
        "    evil.example A  REFUSED: not on the allow-list",
        "    github.com A",
        "  connections:",
        "    9.9.9.9:53  30 B out, 46 B in",  # only the allowed query went on
        "    140.82.121.4:443  18 B out, 18 B in"]
    for empty in (cli.run("egress", "other"), cli.run("egress", "-m", "box")):
        assert (empty.returncode, empty.stdout) == (0, "")
        assert empty.stderr.startswith("anon-pi: no egress recorded yet"), empty.stderr
    missing = cli.run("egress", "--session", "2001")
    assert missing.returncode == 1
    assert missing.stderr.startswith('anon-pi: no egress session "2001".')


def test_what_the_jail_named_is_shown_escaped(cli):
    cli.configure()
    folder = cli.ws / "egress" / "default"
    folder.mkdir(parents=True)
    (folder / "20261207T000000Z-aaaaaa.jsonl").write_text(
        json.dumps({"event": "start", "time": "t", "machine": "default", "project": "recon",
                    "web": "web through the proxy", "upstream": None}) + "\n"
        + json.dumps({"event": "dns", "time": "t", "name": "evil\x1b[2J.example",
                      "type": "A", "allowed": True}) + "\nnot json\n")
    res = cli.run("egress")
    assert "\x1b" not in res.stdout and "evil\\x1b[2J.example A" in res.stdout
    assert "no end recorded" in res.stdout
    doc = cli.run("egress", "--json").stdout
    assert "\x1b" not in doc
    assert json.loads(doc)["sessions"][0]["lookups"][0]["name"] == "evil\x1b[2J.example"
