"""The whole CLI under arbitrary argv and workspace files: arrays, a BOM,
invalid UTF-8 (in files, argv and env), deep nesting, huge files, wrong types and links.

Through the real bin/anon-pi and the fake netcage, for every verb that cannot wait on the
network (doctor probes it; init asks questions). Never "unexpected error" or a traceback;
after a non-zero exit the workspace, the projects root and the --mount folder are unchanged;
a folder outside the workspace that links point at never changes; every `netcage run` that
was accepted (printed by --dry-run or run) keeps the egress invariant.
Examples: 25 by default, 300 under the `ci` profile (HYPOTHESIS_PROFILE=ci, tests/conftest.py).
"""

import json
import os
import shlex
import subprocess

from conftest import PROFILE
from harness_paths import BIN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tree_digest import tree_digest

# each example runs anon-pi a few times: far fewer than the profile's in-process count
EXAMPLES = 300 if PROFILE == "ci" else 25
BAD = os.fsdecode(b"\xff")
FORBIDDEN = {"--network", "--net", "-p", "--publish", "--privileged", "--cap-add", "--device",
             "--dns", "--add-host", "--name", "--allow-all"}
VALUE_FLAGS = {"--label", "--proxy", "--allow", "--allow-direct", "-e", "-v", "-w"}

GOOD = {"proxy": "socks5h://127.0.0.1:9050", "llm": "192.168.1.50:8080"}
objects = st.fixed_dictionaries({}, optional={
    "proxy": st.sampled_from([GOOD["proxy"], "socks5://h:1", 5, ["x"], "socks5h://h:\uff19",
                              "socks5h://h:1" + BAD, None]),
    "llm": st.sampled_from([GOOD["llm"], "192.168.1.50:\u00b2", {}, "8.8.8.8:80", 80]),
    "image": st.sampled_from(["img:1", "--privileged", 7, "a b", "img" + BAD]),
    "projects": st.sampled_from(["{tmp}/code", "~", "{ws}", "{ws}/machines", 3, "rel"]),
    "defaultMachine": st.sampled_from(["default", "../x", 5, " ", "m" + BAD]),
})
file_bytes = st.one_of(
    objects.map(lambda o: json.dumps(o).encode("utf-8", "surrogateescape")),
    objects.map(lambda o: b"\xef\xbb\xbf" + json.dumps({**GOOD, **o}).encode(
        "utf-8", "surrogateescape")),
    st.sampled_from([b"[1, 2]", b"null", b'"text"', b"\xff\xfe{}", b"{broken", b"",
                     b"[" * 100_000, b"{" + b" " * 3_000_000 + b"}",
                     b'{"proxy": "\\udcff"}', b'{"a":' * 5000 + b"1" + b"}" * 5000]),
    st.binary(max_size=40),
)
# what stands at a file's place: content, a link out of the workspace, a dangling link,
# a folder
entry = st.one_of(file_bytes, file_bytes, st.sampled_from(["link-out", "dangling", "folder"]))
token = st.one_of(
    st.sampled_from([
        "--dry-run", "-m", "-i", "--mount", "--shell", "-p", "x", "p", ".", "pi", "--session",
        "abc", "machine", "create", "list", "rm", "set-image", "image", "snapshot", "snap",
        "--create-machine", "forward", "ports", "--port", "3000", "\uff13000", "8080:\u00b2",
        "--delete-home", "--delete-project", "--yes", "default", "img:1", "{tmp}/mnt", "~",
        "{ws}", "--privileged", "a/b", "..", "\u00e9" * 128, "\u00e9" * 122, "p" + BAD,
        "-h", "completions", "bash", "--bogus", "",
    ]),
    st.text(st.characters(blacklist_characters="\x00"), max_size=5),  # no argv holds a NUL
)
verb_start = st.sampled_from([[], ["--dry-run"], ["--dry-run", "p", "-p", "x"], ["machine"],
                              ["image"], ["forward"], ["ports"], ["--delete-project"],
                              ["--delete-home"], ["p", "-p", "x"]])
environment = st.fixed_dictionaries({}, optional={
    "ANON_PI_PROXY": st.sampled_from([GOOD["proxy"], "socks5h://127.0.0.1:\uff19\uff10",
                                      "x" + BAD]),
    "ANON_PI_LLM": st.sampled_from([GOOD["llm"], "192.168.1.150:\u00b2"]),
    "ANON_PI_PROJECTS": st.sampled_from(["{tmp}/code", "~", "{ws}", "{tmp}/" + BAD]),
    "ANON_PI_IMAGE": st.sampled_from(["img:1", "-x", "i" + BAD]),
})


def _place(path, what, tmp) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if what == "link-out":
        path.symlink_to(tmp / "outside")
    elif what == "dangling":
        path.symlink_to(tmp / "nowhere")
    elif what == "folder":
        path.mkdir()
    else:
        path.write_bytes(what.replace(b"{tmp}", bytes(tmp)).replace(b"{ws}", bytes(tmp / "ws")))


def _outside(tmp):
    out = tmp / "outside"
    (out / "agent/sessions/--projects-p--").mkdir(parents=True)
    (out / "keep.txt").write_text("keep")
    (out / "agent/sessions/--projects-p--/s.jsonl").write_text("{}\n")
    for folder in ("code/p", "mnt/p"):
        (tmp / folder).mkdir(parents=True)
        (tmp / folder / "f.txt").write_text("mine")


def _state(tmp) -> dict:
    home = {k: v for k, v in tree_digest(tmp / "home").items() if not k.startswith(".cache")}
    return {"home": home, **{name: tree_digest(tmp / name) for name in ("ws", "code", "mnt")}}


def _egress_ok(nc: list[str]) -> None:
    assert nc[:1] == ["run"], nc
    i, opts = 1, []
    while nc[i] in VALUE_FLAGS or nc[i] in ("--rm", "-it"):
        step = 2 if nc[i] in VALUE_FLAGS else 1
        opts += nc[i:i + step]
        i += step
    assert not nc[i].startswith("-"), nc  # the image
    assert opts.count("--proxy") == 1 and opts[opts.index("--proxy") + 1].startswith(
        "socks5h://"), nc
    assert opts[opts.index("--proxy") + 1].isascii()
    holes = [j for j, t in enumerate(opts) if t in ("--allow", "--allow-direct")]
    assert len(holes) == 1 and opts[holes[0] + 1].isascii(), nc
    assert not FORBIDDEN & set(opts), nc
    env = [opts[j + 1] for j, t in enumerate(opts) if t == "-e"]
    assert [e.split("=", 1)[0] for e in env] == ["TZ", "LANG"], nc  # nothing that routes


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(start=verb_start, rest=st.lists(token, max_size=5), config=st.none() | entry,
       machine=st.none() | entry, models=st.none() | entry, env=environment,
       linked_home=st.booleans())
def test_cli_never_crashes_and_a_refusal_changes_nothing(tmp_path_factory, start, rest, config,
                                                         machine, models, env, linked_home):
    tmp = tmp_path_factory.mktemp("cli")
    ws = tmp / "ws"
    fill = {"{tmp}": str(tmp), "{ws}": str(ws)}

    def fmt(text: str) -> str:
        for k, v in fill.items():
            text = text.replace(k, v)
        return text

    _outside(tmp)
    for rel, what in (("config.json", config), ("machines/default/machine.json", machine),
                      ("models.json", models)):
        if what is not None:
            _place(ws / rel, what, tmp)
    if linked_home and not os.path.lexists(ws / "machines/default/home"):
        (ws / "machines/default").mkdir(parents=True, exist_ok=True)
        (ws / "machines/default/home").symlink_to(tmp / "outside")
    argv = [fmt(t) for t in start + rest]
    log = tmp / "netcage.log"
    (tmp / "bin").mkdir()
    (tmp / "bin/netcage").symlink_to(BIN.parent.parent / "tests/fakes/netcage")
    full_env = {"HOME": str(tmp / "home"), "ANON_PI_HOME": str(ws), "LC_ALL": "C.UTF-8",
                "PATH": f"{tmp / 'bin'}:/usr/bin:/bin", "FAKE_NETCAGE_LOG": str(log),
                **{k: fmt(v) for k, v in env.items()}}
    outside = tree_digest(tmp / "outside")
    before = _state(tmp)
    res = subprocess.run([str(BIN), *argv], env=full_env, cwd=tmp, capture_output=True,
                         stdin=subprocess.DEVNULL, timeout=60, check=False)
    err = res.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "unexpected error" not in err, (argv, err)
    assert tree_digest(tmp / "outside") == outside, argv
    if res.returncode != 0:
        assert _state(tmp) == before, (argv, err)
        assert err.startswith("anon-pi: ") or not err, (argv, err)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    for call in calls:
        if call[:1] == ["run"]:
            _egress_ok(call)
    out = res.stdout.decode("utf-8", "surrogateescape")
    if out.startswith("netcage run "):  # --dry-run: one shlex.join line (args may hold \n)
        _egress_ok(shlex.split(out)[1:])
