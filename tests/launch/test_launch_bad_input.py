"""Bad input: one `anon-pi:` line (plus a hint), a non-zero exit (2 for the command line's own
mistakes), no traceback, nothing created or changed on disk, and no netcage run."""

import pytest
from launch_support import no_traceback
from tree_digest import tree_digest


def _files(cli):
    """The temp tree minus the fake's log and the netcage-version cache (not the workspace:
    it remembers what the binary answered, which a refusal may have asked)."""
    return {k: v for k, v in tree_digest(cli.tmp).items()
            if k != "netcage.log" and not k.startswith("home/.cache")}


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SETUPS = {
    "none": lambda cli: None,
    "no-proxy": lambda cli: cli.configure(proxy=None),
    "socks5": lambda cli: cli.configure(proxy="socks5://127.0.0.1:9050"),
    "http-proxy": lambda cli: cli.configure(proxy="http://10.0.0.1:3128"),
    "bare-proxy": lambda cli: cli.configure(proxy="127.0.0.1:9050"),
    "no-llm": lambda cli: cli.configure(llm=None),
    "llm-no-port": lambda cli: cli.configure(llm="http://192.168.1.5/v1"),
    "llm-public": lambda cli: cli.configure(llm="8.8.8.8:8080"),
    "llm-host": lambda cli: cli.configure(llm="myhost.lan:8080"),
    "llm-dns": lambda cli: cli.configure(llm="192.168.1.5:53"),
    "llm-tor": lambda cli: cli.configure(llm="127.0.0.1:9050"),
    "no-image": lambda cli: cli.configure(image=None),
    "option-image": lambda cli: cli.configure(image="--privileged"),
    "bad-config": lambda cli: _write(cli.ws / "config.json", "{not json"),
    "array-config": lambda cli: _write(cli.ws / "config.json", "[1, 2]"),
    "bad-machine": lambda cli: (cli.configure(), _write(
        cli.ws / "machines/default/machine.json", '{"image": ')),
    "bad-default": lambda cli: cli.write_json(cli.ws / "config.json", {
        "proxy": "socks5h://127.0.0.1:9050", "llm": "10.0.0.1:80", "defaultMachine": "../x"}),
    "configured": lambda cli: cli.configure(),
    "project-file": lambda cli: (cli.configure(), _write(cli.ws / "projects/notes", "x")),
    "root-file": lambda cli: (cli.configure(), _write(cli.ws / "projects", "x")),
    "home-file": lambda cli: (cli.configure(), _write(cli.ws / "machines/default/home", "x")),
}

# The launch grammar's own refusals are tested row by row in test_launch_grammar.py
# (test_refusals); here, what only a whole run can tell: the configuration, the environment,
# the files, the terminal and the check order.
CASES = [
    # setup, argv, env, first line starts with, netcage asked its version?
    ("no-proxy", ["recon", "-p", "x"], {}, "no proxy configured", False),
    ("socks5", ["recon", "-p", "x"], {}, "proxy socks5://127.0.0.1:9050 is not a socks5h", False),
    ("http-proxy", ["recon", "-p", "x"], {}, "proxy http://10.0.0.1:3128 is not a socks5h",
     False),
    ("bare-proxy", ["recon", "-p", "x"], {}, "proxy 127.0.0.1:9050 is not a socks5h", False),
    ("configured", ["recon", "-p", "x"], {"ANON_PI_PROXY": "socks5://x:1"}, "proxy socks5://",
     False),
    ("no-llm", ["recon", "-p", "x"], {}, "no local model (llm) configured", False),
    ("llm-no-port", ["recon", "-p", "x"], {}, "llm http://192.168.1.5/v1 needs an explicit",
     False),
    ("llm-public", ["recon", "-p", "x"], {}, "llm 8.8.8.8:8080 is not a private", False),
    ("llm-host", ["recon", "-p", "x"], {}, "llm myhost.lan:8080 is not an IPv4", False),
    ("llm-dns", ["recon", "-p", "x"], {}, "llm 192.168.1.5:53 uses a DNS port", False),
    ("llm-tor", ["recon", "-p", "x"], {}, "llm 127.0.0.1:9050 points at a proxy port", False),
    ("no-image", ["recon", "-p", "x"], {}, 'machine "default" has no image.', True),
    ("option-image", ["recon", "-p", "x"], {}, "invalid image ref '--privileged'", True),
    ("bad-config", ["recon", "-p", "x"], {}, "{ws}/config.json is not a valid JSON object",
     False),
    ("array-config", ["recon", "-p", "x"], {}, "{ws}/config.json is not a valid JSON object",
     False),
    ("bad-machine", ["recon", "-p", "x"], {},
     "{ws}/machines/default/machine.json is not a valid JSON object", False),
    ("bad-default", ["recon", "-p", "x"], {}, 'invalid machine name "../x"', False),
    # a word holding `/` is a host folder to work on alone: it must exist and be safe to mount
    ("configured", ["./nowhere", "-p", "x"], {}, "{tmp}/nowhere does not exist", False),
    ("configured", ["a/b"], {}, "{tmp}/a/b does not exist", False),
    ("configured", ["/", "-p", "x"], {}, "/ is the root of the file system", False),
    ("configured", ["{tmp}/home", "-p", "x"], {}, "{tmp}/home is your home folder", False),
    ("configured", ["{ws}/machines", "-p", "x"], {}, "{ws}/machines is inside the workspace",
     False),
    ("configured", ["--here", "recon"], {}, "--here works on the current folder", False),
    ("configured", [".hidden", "-p", "x"], {}, 'invalid project name ".hidden"', False),
    ("configured", ["--dry-run", "machine", "-p", "x"], {}, "unknown machine sub-verb: x",
     False),
    ("configured", ["recon", "-p", "x"], {"ANON_PI_HOME": "rel/ws"},
     "ANON_PI_HOME must be an absolute path", False),
    ("configured", ["recon", "-p", "x"], {"ANON_PI_PROJECTS": "rel"},
     "ANON_PI_PROJECTS must be an absolute path", True),
    ("configured", ["recon", "-p", "x"], {"ANON_PI_PROJECTS": "{tmp}/a:b"},
     "the projects root {tmp}/a:b contains ':' or ','", True),
    ("configured", ["--mount", "{tmp}/a,b", "s", "-p", "x"], {},  # checked before any netcage
     "the --mount folder {tmp}/a,b contains ':' or ','", False),
    ("configured", ["recon", "-p", "x"], {"ANON_PI_PROJECTS": "{tmp}/a\ncwd=/etc"},
     "the projects root '{tmp}/a\\ncwd=/etc' contains a control character", True),
    ("project-file", ["notes", "-p", "x"], {}, "{ws}/projects/notes exists but is not a folder",
     True),
    ("root-file", ["recon", "-p", "x"], {}, "{ws}/projects exists but is not a folder", True),
    ("home-file", ["recon", "-p", "x"], {},
     "{ws}/machines/default/home exists but is not a folder", True),
    ("project-file", ["--dry-run", "notes", "-p", "x"], {},
     "{ws}/projects/notes exists but is not a folder", True),
    ("configured", ["recon"], {}, "no TTY.", True),
    ("configured", ["--shell"], {}, "no TTY.", True),
    ("configured", ["--session", "abc"], {}, "no TTY.", True),
    ("configured", [], {}, "no TTY; the menu needs an interactive terminal.", True),
    # the check order: proxy before TTY, -i before TTY, TTY before netcage
    ("no-proxy", ["recon"], {}, "no proxy configured", False),
    ("no-proxy", [], {}, "no proxy configured", False),
    ("configured", ["-i", "ref", "recon"], {}, "-i only runs an image", True),
    ("none", ["recon", "-p", "x"], {}, "no proxy configured", False),
]


# what the command line itself gets wrong: a usage error, exit 2 (the rest are refusals: 1)
USAGE = ("needs an image ref", "needs a machine name", "needs a host folder", "takes no pi arg",
         "at most one project", "is retired", "needs a project", "needs a launch target",
         "sub-verb", "--here works")


@pytest.mark.parametrize("setup, argv, env, words, probed", CASES,
                         ids=[f"{c[0]}:{' '.join(c[1])[:30]}" for c in CASES])
def test_refused_cleanly(cli, setup, argv, env, words, probed):
    SETUPS[setup](cli)
    fmt = {"ws": cli.ws, "tmp": cli.tmp}
    argv = [a.format(**fmt) for a in argv]
    env = {k: v.format(**fmt) for k, v in env.items()}
    before = _files(cli)
    res = cli.run(*argv, **env)
    assert res.returncode == (2 if any(w in words for w in USAGE) else 1), res.stderr
    no_traceback(res)
    lines = res.stderr.splitlines()
    assert lines[0].startswith("anon-pi: " + words.format(**fmt)), res.stderr
    assert len(lines) <= 2 and all(line.startswith("  hint: ") for line in lines[1:])
    assert res.stdout == ""
    assert _files(cli) == before
    assert cli.calls() == ([["--version"]] if probed else [])


def test_a_usage_error_through_the_real_program(cli):
    """One grammar refusal through the real bin/anon-pi: exit 2, one line and its hint,
    nothing written, netcage never asked."""
    cli.configure()
    before = _files(cli)
    res = cli.run("--shell", "recon", "extra")
    assert res.returncode == 2, res.stderr
    no_traceback(res)
    lines = res.stderr.splitlines()
    assert lines[0].startswith("anon-pi: --shell takes at most one project"), res.stderr
    assert len(lines) <= 2 and all(line.startswith("  hint: ") for line in lines[1:])
    assert res.stdout == "" and _files(cli) == before and cli.calls() == []


def test_netcage_missing(cli):
    cli.configure()
    cli.no_netcage()
    before = _files(cli)
    res = cli.run("recon", "-p", "x")
    assert res.returncode == 1
    assert res.stderr.splitlines() == [
        "anon-pi: `netcage` not found on PATH.",
        ("  hint: anon-pi needs netcage 0.11 or newer (Linux only) to build the jail: install "
         "it as the README's \"Install netcage\" section says "
         "(https://github.com/wighawag/netcage) and put `netcage` on PATH")]
    assert _files(cli) == before


def test_no_tty_is_checked_before_netcage(cli):
    cli.configure()
    cli.no_netcage()
    res = cli.run("recon")
    assert res.stderr.splitlines()[0] == "anon-pi: no TTY."
    assert "-p" in res.stderr.splitlines()[1]


def test_bom_and_wrong_typed_fields_are_accepted(cli):
    cli.configure()
    cfg = cli.ws / "config.json"
    cfg.write_bytes(b"\xef\xbb\xbf" + cfg.read_bytes()[:-2] + b', "projects": 5}\n')
    res = cli.run("--dry-run", "recon", "-p", "x")
    assert res.returncode == 0, res.stderr
    assert f"-v {cli.ws}/projects:/projects" in res.stdout
