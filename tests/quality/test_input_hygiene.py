"""Input hygiene: ASCII-digit ports, UTF-8-only own values, file-name-sized
names, container ids that cannot pose as options. Each refusal is one `anon-pi:` line, exit 1,
the same for --dry-run and a launch, before anything is created or netcage is run."""

import json
import os
import subprocess

import pytest
from containers_support import ps_entry, ps_json
from harness_paths import BIN
from tree_digest import tree_digest

from anonpi_helpers.containers.ps_parse import parse_ps
from anonpi_helpers.core.names import is_container_ref

BAD = os.fsdecode(b"\xff\xfe")  # what Python makes of undecodable argv/env bytes


def _state(cli) -> dict:
    """Everything under the test's folder but the fake netcage's call log and anon-pi's
    netcage-version cache."""
    return {k: v for k, v in tree_digest(cli.tmp).items()
            if k != "netcage.log" and not k.startswith("home/.cache")}


def refused(cli, argv, first, **env):
    before = _state(cli)
    res = cli.run(*argv, **env)
    assert res.returncode == 1, res.stderr
    lines = [line for line in res.stderr.splitlines() if not line.startswith("  hint:")]
    assert len(lines) == 1 and lines[0].startswith(f"anon-pi: {first}"), res.stderr
    assert "unexpected error" not in res.stderr
    assert _state(cli) == before
    assert cli.run_calls() == []
    return lines[0]


LAUNCHES = [["--dry-run", "p", "-p", "x"], ["p", "-p", "x"]]


@pytest.mark.parametrize("argv", LAUNCHES, ids=["dry-run", "launch"])
@pytest.mark.parametrize("env, first", [
    ({"ANON_PI_LLM": "192.168.1.150:\u00b2"}, "llm 192.168.1.150:\u00b2 needs an explicit"),
    ({"ANON_PI_LLM": "192.168.1.150:\uff18\uff10"}, "llm 192.168.1.150:\uff18\uff10 needs"),
    ({"ANON_PI_PROXY": "socks5h://127.0.0.1:\uff19\uff10\uff15\uff10"},
     "proxy socks5h://127.0.0.1:\uff19\uff10\uff15\uff10 needs a host and a numeric port"),
    ({"ANON_PI_PROXY": "socks5h://127.0.0.1:\u0669\u0660"}, "proxy socks5h://127.0.0.1:"),
], ids=["superscript", "full-width-llm", "full-width-proxy", "arabic-indic"])
def test_ports_take_ascii_digits_only(cli, argv, env, first):
    cli.configure()
    refused(cli, argv, first, **env)


def test_config_ports_take_ascii_digits_only(cli):
    cli.configure(llm="192.168.1.50:\uff18\uff10\uff18\uff10")
    refused(cli, ["--dry-run", "p", "-p", "x"], "llm 192.168.1.50:")


@pytest.mark.parametrize("port", ["\uff13\uff10\uff10\uff10", "80:\u00b3", "\u0663:3000"])
def test_forward_ports_take_ascii_digits_only(cli, port):
    cli.configure()
    refused(cli, ["forward", "p", "--port", port], f'invalid --port "{port}"')


@pytest.mark.parametrize("argv", LAUNCHES, ids=["dry-run", "launch"])
@pytest.mark.parametrize("case", ["project", "machine", "image", "mount", "env-projects",
                                  "env-home", "env-image", "env-proxy", "HOME",
                                  "config-projects", "machine-image"])
def test_undecodable_own_values_are_refused_before_anything(cli, argv, case):
    cli.configure(image=None)
    cli.write_json(cli.ws / "machines/default/machine.json", {"image": "img:1"})
    env, args = {}, list(argv)
    target = args.index("p")
    if case == "project":
        args[target] = "p" + BAD
        first = "invalid project name"
    elif case == "machine":
        args[target:target] = ["-m", "m" + BAD]
        first = "invalid machine name"
    elif case == "image":
        args[target:target] = ["-i", "img" + BAD]
        first = "the image ref is not valid UTF-8: img\\xff\\xfe"
    elif case == "mount":
        args[target:target] = ["--mount", str(cli.tmp / ("code" + BAD))]
        first = f"the --mount folder is not valid UTF-8: {cli.tmp}/code\\xff\\xfe"
    elif case == "config-projects":
        cfg = json.loads((cli.ws / "config.json").read_text())
        (cli.ws / "config.json").write_text(json.dumps({**cfg, "projects": "/tmp/a\udcff"}))
        first = "the projects root is not valid UTF-8: /tmp/a\\xff"
    elif case == "machine-image":
        (cli.ws / "machines/default/machine.json").write_text('{"image": "img\\udcff"}')
        first = "the image ref is not valid UTF-8"
    else:
        key, value = {"env-projects": ("ANON_PI_PROJECTS", str(cli.tmp / BAD)),
                      "env-home": ("ANON_PI_HOME", str(cli.tmp / BAD)),
                      "env-image": ("ANON_PI_IMAGE", "img" + BAD),
                      "env-proxy": ("ANON_PI_PROXY", "socks5h://127.0.0.1:9050/" + BAD),
                      "HOME": ("HOME", str(cli.tmp / BAD))}[case]
        env[key] = value
        if case == "env-image":
            (cli.ws / "machines/default/machine.json").write_text("{}")
        first = f"{key} is not valid UTF-8"
    line = refused(cli, args, first, **env)
    assert "\\udc" not in line or case in ("project", "machine")


def test_pi_arguments_pass_byte_for_byte(cli):
    """netcage gets the bytes as typed; the dry-run's printout spells the undecodable ones
    out (a lone 0x80 is a C1 control to an 8-bit terminal)."""
    cli.configure()
    raw = b"\xff\xfe caf\xc3\xa9 \x80"
    env = cli.env()
    dry = subprocess.run([str(BIN), "--dry-run", "p", "-p", raw], env=env, capture_output=True,
                         cwd=cli.tmp, check=False, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.rstrip(b"\n").endswith(b" pi -p '\\xff\\xfe caf\xc3\xa9 \\x80'")
    run = subprocess.run([str(BIN), "p", "-p", raw], env=env, capture_output=True,
                         cwd=cli.tmp, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert os.fsencode(cli.run_calls()[-1][-1]) == raw


@pytest.mark.parametrize("argv", LAUNCHES, ids=["dry-run", "launch"])
@pytest.mark.parametrize("kind, name, ok", [
    ("machine", "\u00e9" * 127, True),  # 254 bytes
    ("machine", "\u00e9" * 128, False),  # 256 bytes: no folder can carry it
    ("project", "\u00e9" * 121, True),  # 242 bytes: --projects-<name>-- is 255
    ("project", "\u00e9" * 122, False),
    ("project", "\u20ac" * 81, False),  # 243 bytes in 81 characters
], ids=["machine-254", "machine-256", "project-242", "project-244", "project-243-euro"])
def test_names_fit_in_a_file_name(cli, argv, kind, name, ok):
    cli.configure(machine=name if kind == "machine" and ok else "default")
    args = list(argv)
    if kind == "project":
        args[args.index("p")] = name
    else:
        args[:0] = ["-m", name]
    if ok:
        res = cli.run(*args)
        assert res.returncode == 0, res.stderr
        if "--dry-run" not in args:
            assert (cli.ws / "projects" / (name if kind == "project" else "p")).is_dir()
    else:
        line = refused(cli, args, f'invalid {kind} name "{name}": it is ')
        assert "bytes of UTF-8" in line


@pytest.mark.parametrize("ref, ok", [
    ("a" * 64, True), ("0123456789ab", True), ("jail_1", True), ("x.y-z", True),
    ("--privileged", False), ("-v", False), ("", False), ("a b", False), ("_x", False),
    ("name\n--rm", False), ("\u0661\u0662", False),
])
def test_container_refs(ref, ok):
    assert is_container_ref(ref) is ok


def test_option_like_ids_and_names_from_ps_are_never_used(cli):
    text = ps_json(ps_entry("--privileged", name="jail_1"), ps_entry("c" * 64, name="--rm"))
    found = parse_ps(text)
    assert [(c.ref, c.name) for c in found] == [("c" * 64, "c" * 64)]
    cli.configure()
    cli.can("ps", ps_json(ps_entry("--privileged", name="jail_1")))
    res = cli.run("ports", "alpha")
    assert res.returncode == 1 and "no running anon-pi container" in res.stderr
    assert [c[0] for c in cli.run_calls()] == ["ps"]
