"""`anon-pi config show|get|set|unset|path` through the real bin/anon-pi (no TTY): where each
value comes from, values checked as init checks them, atomic writes, refusals that leave the
workspace untouched."""

import json

import pytest
from data_verbs_support import make_machine
from tree_digest import tree_digest

from anonpi_helpers.core.names import name_problem
from anonpi_helpers.core.resolve import resolve_projects_root, resolve_proxy
from anonpi_helpers.core.settings import CONFIG_FILE, MACHINE_FILE, effective


def _ok(res):
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res


def _refused(cli, *args, words, code=1, **env):
    before = tree_digest(cli.ws)
    res = cli.run(*args, **env)
    assert res.returncode == code, (res.stdout, res.stderr)
    assert res.stdout == ""
    assert res.stderr.startswith("anon-pi: ") and words in res.stderr.splitlines()[0]
    assert "Traceback" not in res.stderr
    assert tree_digest(cli.ws) == before
    return res


def test_show_on_a_fresh_workspace_says_every_default(cli):
    res = _ok(cli.run("config", "show"))
    assert res.stderr == ""
    assert res.stdout == (
        "proxy\t\tunset\n"
        "llm\t\tunset\n"
        "defaultMachine\tdefault\tdefault\n"
        f"projects\t{cli.ws}/projects\tdefault\n"
        "isolation\tnone\tdefault\n"
        "piNetwork\tfalse\tdefault\n"
        "web\tproxy\tdefault\n"
        "image\t\tunset\n"
        "gitIdentity\tanon <anon@localhost>\tdefault\n"
        "timezone\tUTC\tdefault\n"
        "locale\tC.UTF-8\tdefault\n")
    assert not cli.ws.exists()  # looking creates nothing


def test_show_names_the_source_the_launch_would_use(cli):
    cli.write_json(cli.ws / "config.json", {"proxy": "socks5h://127.0.0.1:9050",
                                            "llm": "192.168.1.5:8080", "projects": "/srv/p",
                                            "isolation": "project", "piNetwork": True})
    make_machine(cli.ws, "default", image="localhost/anon-pi/pi:latest")
    cli.write_json(cli.ws / "machines/default/machine.json",
                   {"image": "localhost/anon-pi/pi:latest", "projects": "/srv/m"})
    res = _ok(cli.run("config", "show", ANON_PI_PROXY="socks5h://127.0.0.1:9150"))
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert rows == [
        ["proxy", "socks5h://127.0.0.1:9150", "env ANON_PI_PROXY"],
        ["llm", "192.168.1.5:8080", "config.json"],
        ["defaultMachine", "default", "default"],
        ["projects", "/srv/m", "machine.json"],
        ["isolation", "project", "config.json"],
        ["piNetwork", "true", "config.json"],
        ["web", "proxy", "default"],
        ["image", "anon-pi/pi:latest", "machine.json"],  # shown as every verb shows refs
        ["gitIdentity", "anon <anon@localhost>", "default"],
        ["timezone", "UTC", "default"],
        ["locale", "C.UTF-8", "default"],
    ]


def test_show_json_is_one_two_space_document_with_the_files(cli):
    cli.write_json(cli.ws / "config.json", {"isolation": "machine"})
    res = _ok(cli.run("config", "show", "--json", ANON_PI_IMAGE="img:1"))
    doc = json.loads(res.stdout)
    assert res.stdout.startswith('{\n  "machine": "default",\n  "settings": [\n    {\n')
    by_key = {s["key"]: s for s in doc["settings"]}
    assert by_key["isolation"] == {"key": "isolation", "value": "machine",
                                   "source": "config.json", "where": str(cli.ws / "config.json")}
    assert by_key["image"] == {"key": "image", "value": "img:1", "source": "environment",
                               "where": "ANON_PI_IMAGE"}
    assert by_key["piNetwork"]["value"] is False and by_key["proxy"]["value"] is None


def test_a_hostile_value_in_config_json_is_shown_escaped(cli):
    cli.write_json(cli.ws / "config.json", {"proxy": "socks5h://\x1b]52;c;AAAA\x07h:1"})
    res = _ok(cli.run("config", "show"))
    assert "\x1b" not in res.stdout and "\\x1b]52" in res.stdout
    res = _ok(cli.run("config", "show", "--json"))
    assert "\x1b" not in res.stdout
    assert json.loads(res.stdout)["settings"][0]["value"] == "socks5h://\x1b]52;c;AAAA\x07h:1"
    res = _ok(cli.run("config", "get", "proxy"))
    assert res.stdout == "socks5h://\\x1b]52;c;AAAA\\x07h:1\n"


def test_set_then_get_isolation(cli):
    res = _ok(cli.run("config", "set", "isolation", "machine"))
    assert res.stdout == ""
    assert res.stderr == (f'anon-pi: changed isolation in {cli.ws}/config.json: (unset) -> '
                          '"machine"\n')
    assert (cli.ws / "config.json").read_bytes() == b'{\n\t"isolation": "machine"\n}\n'
    assert _ok(cli.run("config", "get", "isolation")).stdout == "machine\n"


def test_set_keeps_unknown_keys_and_the_documented_order(cli):
    cli.write_json(cli.ws / "config.json", {"zzz": [1], "llm": "192.168.1.5:8080"})
    _ok(cli.run("config", "set", "proxy", "127.0.0.1:9050"))
    assert (cli.ws / "config.json").read_text() == (
        '{\n\t"proxy": "socks5h://127.0.0.1:9050",\n\t"llm": "192.168.1.5:8080",\n'
        '\t"zzz": [\n\t\t1\n\t]\n}\n')


def test_set_the_same_value_changes_nothing(cli):
    cli.write_json(cli.ws / "config.json", {"isolation": "machine"})
    before = tree_digest(cli.ws)
    res = _ok(cli.run("config", "set", "isolation", "MACHINE"))
    assert "already \"machine\"; nothing changed" in res.stderr
    assert tree_digest(cli.ws) == before


@pytest.mark.parametrize("args, words, code", [
    (("isolaton", "machine"), 'not "isolaton"; did you mean `isolation`?', 2),
    (("isolation", "tor"), 'isolation takes machine | project | none, not "tor"', 2),
    (("piNetwork", "maybe"), "piNetwork takes true | false", 2),
    (("proxy", "socks5://127.0.0.1:9050"), "is socks5://, which lets names be resolved", 1),
    (("proxy", "localhost"), "is not a socks5h://host:port address", 1),
    (("llm", "8.8.8.8:80"), "is not a private (RFC1918) or link-local address", 1),
    (("llm", "192.168.1.5"), "needs an explicit numeric port", 1),
    (("defaultMachine", "config"), 'invalid machine name "config"', 1),
    (("defaultMachine", "a/b"), "contains a path separator", 1),
    (("projects", "/tmp/a:b"), "contains ':' or ','", 1),
    (("isolation", ""), "needs a non-blank value", 2),
    (("isolation",), "config set needs <value>", 2),
])
def test_set_refuses_what_init_refuses_and_writes_nothing(cli, args, words, code):
    cli.write_json(cli.ws / "config.json", {"isolation": "none"})
    _refused(cli, "config", "set", *args, words=words, code=code)


def test_unknown_key_on_get_and_unset_is_a_usage_error(cli):
    _refused(cli, "config", "get", "proxi", words="did you mean `proxy`?", code=2)
    _refused(cli, "config", "unset", "lm", words="did you mean `llm`?", code=2)


def test_dry_run_prints_the_change_and_writes_nothing(cli):
    cli.write_json(cli.ws / "config.json", {"isolation": "none"})
    before = tree_digest(cli.ws)
    res = _ok(cli.run("config", "set", "--dry-run", "isolation", "project"))
    assert res.stdout == (f'would change isolation in {cli.ws}/config.json: "none" -> '
                          '"project"; nothing written (--dry-run)\n')
    res = _ok(cli.run("config", "unset", "isolation", "--dry-run"))
    assert res.stdout.startswith('would change isolation in ') and '"none" -> (unset)' in res.stdout
    assert tree_digest(cli.ws) == before


def test_unset_drops_the_key_and_the_default_applies_again(cli):
    cli.write_json(cli.ws / "config.json", {"isolation": "machine", "piNetwork": True})
    _ok(cli.run("config", "unset", "isolation"))
    _ok(cli.run("config", "set", "piNetwork", "false"))
    assert json.loads((cli.ws / "config.json").read_text()) == {}
    assert _ok(cli.run("config", "get", "isolation")).stdout == "none\n"


def test_projects_typed_as_its_default_is_dropped_and_a_tilde_expands(cli):
    _ok(cli.run("config", "set", "projects", "~/code"))
    assert json.loads((cli.ws / "config.json").read_text()) == {
        "projects": f"{cli.home}/code"}
    _ok(cli.run("config", "set", "projects", str(cli.ws / "projects")))
    assert json.loads((cli.ws / "config.json").read_text()) == {}


def test_machine_keys_go_to_the_machines_file(cli):
    make_machine(cli.ws, "box", image="img:1")
    cli.can("podman-image", rc=0)  # the store holds it
    _ok(cli.run("config", "set", "image", "img:2", "-m", "box"))
    _ok(cli.run("config", "set", "projects", "/srv/box", "-m", "box"))
    assert json.loads((cli.ws / "machines/box/machine.json").read_text()) == {
        "image": "img:2", "projects": "/srv/box"}
    assert _ok(cli.run("config", "get", "image", "-m", "box")).stdout == "img:2\n"
    assert not (cli.ws / "config.json").exists()


def test_the_jail_looks_are_machine_keys_checked_as_a_launch_checks_them(cli):
    make_machine(cli.ws, "box", image="img:1")
    _ok(cli.run("config", "set", "timezone", "Europe/Berlin", "-m", "box"))
    _ok(cli.run("config", "set", "gitIdentity", "Ann <ann@example.org>", "-m", "box"))
    assert json.loads((cli.ws / "machines/box/machine.json").read_text()) == {
        "image": "img:1", "timezone": "Europe/Berlin", "gitIdentity": "Ann <ann@example.org>"}
    assert _ok(cli.run("config", "get", "timezone", "-m", "box")).stdout == "Europe/Berlin\n"
    assert _ok(cli.run("config", "get", "locale", "-m", "box")).stdout == "C.UTF-8\n"
    _refused(cli, "config", "set", "locale", "en US", "-m", "box",
             words='locale "en US" is not a valid value')
    _refused(cli, "config", "set", "gitIdentity", "nobody", "-m", "box",
             words='gitIdentity "nobody" is not a valid value')


def test_web_is_set_as_web_reads_it_and_a_machine_wins(cli):
    """`web` is read as a launch's --web reads it (an allow-list stored as a list), lives in
    config.json or, with -m, in the machine's file, and the machine's wins, as at launch."""
    cli.configure()
    make_machine(cli.ws, "box", image="img:1")
    _ok(cli.run("config", "set", "web", "GitHub.com,*.pypi.org"))
    assert json.loads((cli.ws / "config.json").read_text())["web"] == [
        "github.com", "*.pypi.org"]
    assert _ok(cli.run("config", "get", "web")).stdout == "github.com,*.pypi.org\n"
    _ok(cli.run("config", "set", "web", "none", "-m", "box"))
    assert json.loads((cli.ws / "machines/box/machine.json").read_text())["web"] == "none"
    assert _ok(cli.run("config", "get", "web", "-m", "box")).stdout == "none\n"
    res = _ok(cli.run("--dry-run", "-m", "box", "recon", "-p", "hi"))
    assert "no web" in res.stderr
    _refused(cli, "config", "set", "web", "10.0.0.1",
             words="which is not a host name")


def test_an_image_the_store_lacks_is_refused_unless_forced(cli):
    make_machine(cli.ws, "box", image="img:1")
    cli.can("podman-image", rc=1)
    _refused(cli, "config", "set", "image", "nonexist", "-m", "box",
             words="image nonexist is not in netcage's store")
    _ok(cli.run("config", "set", "image", "nonexist", "-m", "box", "--force"))
    assert json.loads((cli.ws / "machines/box/machine.json").read_text())["image"] == "nonexist"


def test_m_with_a_config_json_key_or_a_missing_machine_is_refused(cli):
    make_machine(cli.ws, "box")
    _refused(cli, "config", "set", "proxy", "127.0.0.1:9050", "-m", "box",
             words="proxy lives in config.json", code=2)
    _refused(cli, "config", "set", "image", "img:1", "-m", "nope", words='no machine "nope"')
    _refused(cli, "config", "set", "image", "img:1", words='no machine "default"')


def test_get_of_an_unset_key_fails_with_how_to_set_it(cli):
    res = _refused(cli, "config", "get", "proxy", words="proxy is not set")
    assert "`anon-pi config set proxy <value>`" in res.stderr


def test_a_stored_value_the_environment_overrides_is_said(cli):
    res = _ok(cli.run("config", "set", "isolation", "machine", ANON_PI_ISOLATION="none"))
    assert ("anon-pi: note: ANON_PI_ISOLATION is set in the environment and still wins over "
            "config.json.\n") in res.stderr


def test_path_prints_the_files(cli):
    cli.write_json(cli.ws / "config.json", {"defaultMachine": "box"})
    res = _ok(cli.run("config", "path"))
    assert res.stdout == f"{cli.ws}/config.json\n{cli.ws}/machines/box/machine.json\n"


def test_an_unreadable_config_json_is_named_not_overwritten(cli):
    (cli.ws).mkdir(parents=True)
    (cli.ws / "config.json").write_text("{not json")
    _refused(cli, "config", "set", "isolation", "machine", words="is not a valid JSON object")


def test_config_is_a_verb_and_a_reserved_name():
    assert name_problem("config") == "it is a reserved name"


@pytest.mark.parametrize("env, config, machine", [
    ({}, None, None),
    ({"ANON_PI_PROXY": "socks5h://10.0.0.1:1080"}, {"proxy": "socks5h://h:1"}, None),
    ({}, {"proxy": " socks5h://h:1 ", "projects": "~/p"}, {"projects": "/m"}),
    ({"ANON_PI_PROJECTS": "~/e"}, {"projects": "/c"}, {"projects": "/m"}),
    ({}, {"projects": "rel"}, None),
])
def test_show_agrees_with_what_a_launch_resolves(env, config, machine):
    rows = {r.key: r for r in effective(
        env, config, machine, paths={CONFIG_FILE: "c", MACHINE_FILE: "m"},
        builtin_projects="/ws/projects", home="/home/u", cwd="/cwd")}
    assert rows["proxy"].value == resolve_proxy(env, config)
    assert rows["projects"].value == resolve_projects_root(
        mount=None, env=env, machine_cfg=machine, config=config, workspace="/ws",
        home="/home/u", cwd="/cwd")
