"""Forced egress never weakens: for ANY launch command line, workspace and
environment that anon-pi accepts, the netcage argv it composes keeps the jail closed.

Driven in-process through the real path (cli.main -> parse -> resolve -> plan -> argv) with
`--dry-run`, so thousands of cases run in seconds. The example count is the profile's
(tests/conftest.py): 5,000 with HYPOTHESIS_PROFILE=ci (set by .ci/run), fewer by default.
"""

import contextlib
import io
import json
import os
import re
import shlex
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import event, given, settings
from hypothesis import strategies as st
from in_process import program

from anonpi_helpers.core.addresses import normalise_llm
from anonpi_helpers.core.netcage_version import parse_version
from anonpi_helpers.edges import egress_session, netcage

# netcage options that take one value (what run_argv may emit before the image)
VALUE_FLAGS = {"--label", "--proxy", "--allow", "--allow-direct", "-e", "-v", "-w"}
BARE_FLAGS = {"--rm", "-it"}
FORBIDDEN = {"--network", "--net", "-p", "--publish", "--privileged", "--cap-add", "--device",
             "--dns", "--add-host", "--name"}
# pi arguments that look like anon-pi or netcage flags: they must stay after the image
TRICKY = ["--proxy", "socks5://evil:1080", "--network", "host", "-p", "8080:80", "--publish",
          "--privileged", "--allow", "--allow-direct", "1.2.3.4:443", "--rm", "--keep", "--name",
          "x", "-m", "--machine", "-i", "--image", "--mount", "/", "--dry-run", "--shell",
          "--cap-add", "ALL", "--device", "/dev/kvm", "--dns", "8.8.8.8", "--add-host",
          "h:1.2.3.4", "--", "-it", "--label", "-v", "/:/host", "-w", "--session", "-r",
          "--list-models", "--print", "--help", "-h", "--version", "-V", "pi", ".", "", " ",
          "a b", "$(id)", "`id`", "'", '"', ";", "\n", "--export=x", "--print=y"]

valid_name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}", fullmatch=True).filter(
    lambda n: n not in ("pi", "machine", "image", "init", "forward", "ports", "doctor",
                        "completions"))
odd_name = st.sampled_from([
    "", " ", ".", "..", "a/b", "../x", "-x", ".hidden", "a b", "pi", "machine", "image", "init",
    "forward", "ports", "doctor", "completions", "ünï", "ｆｕｌｌ", "a\u202eb", "a\u200bb",
    "x" * 129, "x" * 128, "a:b", "a,b", "日本", "ǅ", "a\tb", "a\nb",
])
name = st.one_of(valid_name, valid_name, odd_name)
image_ref = st.sampled_from(["localhost/anon-pi/pi:latest", "anon-pi/x:1", "busybox", "-x",
                             "--privileged", " ", "a b", "img@sha256:" + "a" * 64])
mount = st.sampled_from(["/tmp/mnt", "rel/dir", "~/code", "/a:b", "/a,b", " ", "/"])

flag = st.one_of(
    st.tuples(st.sampled_from(["-m", "--machine"]), name),
    st.tuples(st.sampled_from(["-i", "--image"]), image_ref),
    st.tuples(st.just("--mount"), mount),
    st.tuples(st.just("--shell")),
)
bad_flag = st.tuples(st.sampled_from(["--rm", "--keep", "--bogus", "-x", "-m", "--mount"]))
pi_args = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=6)), max_size=6)
target = st.one_of(
    st.tuples(name), st.tuples(valid_name), st.just((".",)), st.just(("pi",)),
    st.tuples(st.sampled_from(["--session", "-r", "--resume", "--session-id"]),
              st.sampled_from(["abc", "", " ", "-x", "../../etc", "0123"])),
    st.just(("--list-models",)), st.just(("--models",)), st.just(()),
) | st.tuples(valid_name)

GOOD_PROXIES = ["socks5h://127.0.0.1:9050", "SOCKS5H://Tor.local:9050", " socks5h://10.0.0.1:1080 ",
                "socks5h://u:p@127.0.0.1:1080/x"]
GOOD_LLMS = ["192.168.1.50:8080", "127.0.0.1:11434", "http://u:p@172.16.0.1:1234/v1",
             "169.254.1.1:8080", " 10.9.9.9:8000 "]
GOOD_REF = "localhost/anon-pi/pi:latest"
good_flag = st.one_of(st.tuples(st.sampled_from(["-m", "--machine"]), valid_name),
                      st.tuples(st.sampled_from(["-i", "--image"]), st.just(GOOD_REF)),
                      st.tuples(st.just("--mount"), st.sampled_from(["/tmp/mnt", "~/code"])))
good_target = st.one_of(st.tuples(valid_name), st.just((".",)), st.just(("pi",)),
                        st.just(("--session", "abc")), st.just(("--list-models",)))
command = st.one_of(
    # anything at all: most of it is refused, which is the point
    st.tuples(st.lists(flag, max_size=4) | st.lists(flag | bad_flag, max_size=4), target,
              pi_args),
    # mostly launchable: pi args that look like netcage flags after a good target
    st.tuples(st.lists(good_flag, max_size=3), good_target, pi_args),
    st.tuples(st.lists(good_flag, max_size=3).map(lambda f: [*f, ("--shell",)]),
              st.tuples(valid_name) | st.just((".",)) | st.just(()), st.just([])),
)

PROXIES = [None, "socks5h://127.0.0.1:9050", "SOCKS5H://Tor.local:9050",
           " socks5h://10.0.0.1:1080 ",
           "socks5h://u:p@127.0.0.1:1080/x", "socks5://127.0.0.1:9050", "http://127.0.0.1:8080",
           "127.0.0.1:9050", "socks5h://127.0.0.1", "socks5h://:9050", "socks5h://h:0", ""]
LLMS = [None, "192.168.1.50:8080", "127.0.0.1:11434", "http://u:p@172.16.0.1:1234/v1",
        "169.254.1.1:8080", "10.0.0.1:53", "127.0.0.1:9050", "127.0.0.1:1080", "8.8.8.8:80",
        "[::1]:8080", "localhost:8080", "192.168.1.50", "192.168.1.50:65536", "10.1.2.3:443",
        "172.32.0.1:80", " 10.9.9.9:8000 ", ""]
VERSIONS = ["netcage 0.12.0", "netcage v0.11.3 (abc)", "netcage 0.10.0", "dev", "garbage", None]

config_json = st.one_of(
    st.none(),
    st.sampled_from(["{broken", "[]", "null", "\ufeff{}", '"x"']),
    st.fixed_dictionaries({}, optional={
        "proxy": st.sampled_from(PROXIES), "llm": st.sampled_from(LLMS),
        "defaultMachine": st.one_of(name, st.just("  ")), "projects": mount,
        "extra": st.integers()}),
)
machine_json = st.one_of(
    st.none(), st.sampled_from(["{broken", "[1]"]),
    st.fixed_dictionaries({}, optional={
        "image": st.one_of(image_ref, st.integers()), "projects": mount,
        "timezone": st.sampled_from(["UTC", "Europe/Berlin", "a b", "-x", " ", "HTTP_PROXY=x"]),
        "locale": st.sampled_from(["C.UTF-8", "de_DE@euro", "C UTF-8", "\n", "x;y"]),
        "gitIdentity": st.sampled_from(["a <b@c>", "nobody", "<>", "a\x1b <b@c>"])}),
)
environment = st.fixed_dictionaries({  # mostly launchable, so accepted cases are plentiful
    "ANON_PI_PROXY": st.sampled_from(GOOD_PROXIES), "ANON_PI_LLM": st.sampled_from(GOOD_LLMS),
    "ANON_PI_IMAGE": st.sampled_from([GOOD_REF, "busybox"]),
}, optional={"ANON_PI_PROJECTS": mount, "ANON_PI_ISOLATION": st.sampled_from(
    ["machine", "project", "none", "Tor"])}) | st.fixed_dictionaries({}, optional={
    "ANON_PI_PROXY": st.sampled_from(PROXIES), "ANON_PI_LLM": st.sampled_from(LLMS),
    "ANON_PI_IMAGE": image_ref, "ANON_PI_PROJECTS": mount,
})


def _write(path: Path, content) -> None:
    if content is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")


def image_index(argv: list[str]) -> int:
    """Walk netcage's own options; the first bare word is the image. Unknown options fail."""
    i = 2
    while True:
        tok = argv[i]
        if tok in VALUE_FLAGS:
            i += 2
        elif tok in BARE_FLAGS:
            i += 1
        else:
            assert not tok.startswith("-"), f"unexpected netcage option {tok!r} in {argv}"
            return i


def winning(env: dict, config, key: str, env_key: str) -> str | None:
    value = (env.get(env_key) or "").strip()
    if value:
        return value
    if isinstance(config, dict) and isinstance(config.get(key), str):
        return config[key].strip() or None
    return None


class _Exec(BaseException):
    """Where the process would become netcage (os.execve); BaseException so cli.main's own
    last-line-of-defence handler does not turn it into an error."""

    def __init__(self, argv):
        super().__init__()
        self.argv = list(argv)


def _become_netcage(_path, argv, _env, **_spawn):
    raise _Exec(argv)


@settings()
@given(cmd=command, dry_at=st.integers(0, 4), config=config_json, machines=st.dictionaries(
           st.sampled_from(["default", "work", "ünï"]), machine_json, max_size=2),
       seeded=st.booleans(), env=environment, has_netcage=st.booleans(),
       version=st.sampled_from(VERSIONS))
def test_accepted_launch_keeps_egress_forced(cmd, dry_at, config, machines, seeded, env,
                                            has_netcage, version):
    flags, tgt, rest = cmd
    env = {k: v for k, v in env.items() if v is not None}
    tokens = [t for f in flags for t in f]
    cut = sum(len(f) for f in flags[:dry_at])
    argv = tokens[:cut] + ["--dry-run"] + tokens[cut:] + list(tgt) + list(rest)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        _write(ws / "config.json", config)
        for machine, content in machines.items():
            _write(ws / "machines" / machine / "machine.json", content)
            if seeded:
                _write(ws / "machines" / machine / "home/.pi/agent/.anon-pi-seed", "")
        full_env = {"HOME": str(Path(tmp) / "home"), "ANON_PI_HOME": str(ws),
                    "PATH": "/nonexistent", **env}
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.dict(os.environ, full_env, clear=True), \
                mock.patch.object(netcage, "path", lambda _io: "/fake/netcage" if has_netcage
                                  else None), \
                mock.patch.object(netcage, "version_text",
                                  lambda _io: version if has_netcage else None), \
                mock.patch.object(os, "execve", _become_netcage), \
                mock.patch.object(os, "posix_spawn", _become_netcage), \
                mock.patch.object(egress_session, "check_upstream", lambda *_: None), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            before = sorted(Path(tmp).rglob("*"))
            try:
                code, handed = program(argv), None
            except _Exec as exc:  # a leading pi flag before --dry-run: pi's, so a real launch
                code, handed = 0, exc.argv
            created = sorted(Path(tmp).rglob("*")) != before
    assert "Traceback" not in err.getvalue()
    assert "unexpected error" not in err.getvalue(), (argv, err.getvalue())
    if code != 0:
        event("refused")
        assert out.getvalue() == ""
        assert err.getvalue().startswith("anon-pi: ")
        return
    if handed is not None:
        event("launched")
        out = io.StringIO(shlex.join(handed) + "\n")
    elif not out.getvalue().startswith("netcage "):
        event("help or version")
        assert out.getvalue().startswith("anon-pi ")  # `-h`/`-V` among the launch flags
        return
    event("accepted")
    assert handed is not None or not created, "--dry-run created something"
    assert out.getvalue().endswith("\n")
    nc = shlex.split(out.getvalue())  # one shlex.join line (a pi arg may hold a newline)
    assert nc[:2] == ["netcage", "run"]
    cut = image_index(nc)
    opts = nc[2:cut]
    assert opts.count("--proxy") == 1
    proxy = nc[nc.index("--proxy") + 1]
    # netcage's proxy is always the launch's own egress relay on loopback, never the user's
    # URL: its credentials and the isolation username go only to the relay's upstream
    assert re.fullmatch(r"socks5h://127\.0\.0\.1:(\d+|<relay-port>)", proxy), proxy
    holes = [i for i, t in enumerate(opts) if t in ("--allow", "--allow-direct")]
    assert len(holes) == 1
    parsed = parse_version(version) if has_netcage and version else None
    assert opts[holes[0]] == ("--allow-direct" if parsed and parsed < (0, 12, 0) else "--allow")
    llm = winning(env, config, "llm", "ANON_PI_LLM")
    assert opts[holes[0] + 1] == normalise_llm(llm, loopback_ok=True)
    assert opts.count("--rm") == 1
    # the environment the jail gets is its timezone and locale, nothing that could route
    env_pairs = [opts[i + 1] for i, t in enumerate(opts) if t == "-e"]
    assert [p.split("=", 1)[0] for p in env_pairs] == ["TZ", "LANG"], env_pairs
    assert [t for t in opts if t == "--label"] == ["--label"]
    assert opts[opts.index("--label") + 1].startswith("anon-pi.key=")
    flags_only = [t for i, t in enumerate(opts) if i == 0 or opts[i - 1] not in VALUE_FLAGS]
    assert not FORBIDDEN & set(flags_only), nc


def test_a_plain_case_is_accepted(tmp_path, capsys, monkeypatch):
    """The generator's home ground: a configured workspace launches (the property is not
    vacuous)."""
    monkeypatch.setenv("ANON_PI_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("ANON_PI_PROXY", "SOCKS5H://127.0.0.1:9050")
    monkeypatch.setenv("ANON_PI_LLM", "http://192.168.1.50:8080/v1")
    monkeypatch.setenv("ANON_PI_IMAGE", "img:1")
    monkeypatch.setattr(netcage, "path", lambda _io: None)
    assert program(["--dry-run", "p", "--privileged", "--network", "host"]) == 0
    nc = shlex.split(capsys.readouterr().out)
    assert nc[:8] == ["netcage", "run", "--label", nc[3], "--rm", "--proxy",
                      "socks5h://127.0.0.1:<relay-port>", "--allow"]
    assert image_index(nc) == nc.index("img:1")
