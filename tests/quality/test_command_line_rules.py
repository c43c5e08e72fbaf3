"""The rules every command line follows, checked for every command of the table: `--flag=value`
is `--flag value`; flags and arguments come in any order; `-h` anywhere asks for help; an
unknown flag, a missing or an extra argument is a usage error (exit 2); the launch's own flags
are anon-pi's wherever they stand before `--`."""

import pytest
from command_line_support import parsed

from anonpi_helpers.core.command_line import split_verb, verb_command, wants_help
from anonpi_helpers.core.command_table import (
    BOX,
    COMMANDS,
    COMMON,
    DIR,
    IMAGE,
    LAUNCH,
    LAUNCH_OWN,
    MACHINE,
    PROJECT,
    PROJECT_OR_ROOT,
    SESSION,
    SNAPSHOT,
    TEXT,
    WHERE,
)
from anonpi_helpers.core.errors import AnonPiError
from anonpi_helpers.launch.grammar import parse_launch

SAMPLE = {MACHINE: "box", PROJECT: "recon", PROJECT_OR_ROOT: "recon", WHERE: "recon", BOX: "dev",
          IMAGE: "img:1", DIR: "/src", SNAPSHOT: "snap", SESSION: "abc", TEXT: "3001"}
VERBS = [c for c in COMMANDS if c.words and c.words[0] != "help"]


def sample(kind) -> str:
    return kind[0] if isinstance(kind, tuple) else SAMPLE[kind]


def required(cmd) -> list[str]:
    return [sample(a.kind) for a in cmd.args if a.required]


def values(line) -> dict:
    return {k: v for k, v in vars(line).items() if k != "command"}


VALUE_FLAGS = [(c, f) for c in VERBS for f in c.flags if f.kind is not None]


@pytest.mark.parametrize("cmd, flag", VALUE_FLAGS,
                         ids=[f"{c.name} {f.long}" for c, f in VALUE_FLAGS])
def test_equals_and_space_are_the_same_for_every_value_flag(cmd, flag):
    value = sample(flag.kind)
    spaced = parsed(*cmd.words, *required(cmd), flag.long, value)
    assert values(parsed(*cmd.words, *required(cmd), f"{flag.long}={value}")) == values(spaced)
    assert getattr(spaced, flag.dest) == value
    for short in (n for n in flag.names if not n.startswith("--")):
        assert values(parsed(*cmd.words, short, value, *required(cmd))) == values(spaced)


@pytest.mark.parametrize("cmd", VERBS, ids=lambda c: c.name)
def test_flags_before_between_and_after_the_arguments(cmd):
    flags = [f.long if f.kind is None else f"{f.long}={sample(f.kind)}"
             for f in cmd.flags if f not in COMMON]
    args = [sample(a.kind) for a in cmd.args]
    first = parsed(*cmd.words, *flags, *args)
    assert values(parsed(*cmd.words, *args, *flags)) == values(first)
    assert values(parsed(*cmd.words, *flags[::-1], *args)) == values(first)


@pytest.mark.parametrize("cmd", VERBS, ids=lambda c: c.name)
def test_usage_errors_exit_2(cmd):
    cases = [[*required(cmd), "--no-such-flag"], [*[sample(a.kind) for a in cmd.args], "extra"]]
    if required(cmd):
        cases.append(required(cmd)[:-1])
    cases += [[*required(cmd), f.long] for f in cmd.flags if f.kind is not None]
    cases += [[*required(cmd), f"{f.long}=x"] for f in cmd.flags
              if f.kind is None and f not in COMMON]
    for tail in cases:
        with pytest.raises(AnonPiError) as exc:
            parsed(*cmd.words, *tail)
        assert exc.value.code == 2, (cmd.name, tail)
        assert exc.value.hint, (cmd.name, tail)


@pytest.mark.parametrize("cmd", VERBS, ids=lambda c: c.name)
def test_help_anywhere_before_the_double_dash(cmd):
    for tail in (["-h"], [*required(cmd), "--help"], ["--help", *required(cmd)]):
        verb, tokens = split_verb([*cmd.words[:1], *tail, *cmd.words[1:]])
        target, rest = verb_command(verb, tokens)
        assert wants_help(rest) and target in (cmd, cmd.words[0]), tail
    assert not wants_help(["--", "-h"])


@pytest.mark.parametrize("flag", LAUNCH_OWN, ids=lambda f: f.long)
def test_the_launchs_own_flags_are_anon_pis_wherever_they_stand(flag):
    words = [flag.long] if flag.kind is None else [flag.long, sample(flag.kind)]
    pi = [] if flag.long == "--shell" else ["-p", "hi"]  # a shell takes no pi arguments
    # --here names the folder itself: it stands beside a path's place, not a project's
    target = "pi" if flag.long == "--here" else "recon"
    where = [[*words, target, *pi], [target, *words, *pi], [target, *pi, *words]]
    found = {parse_launch(w) for w in where}
    assert len(found) == 1
    [args] = found
    assert args.pi_args == tuple(pi) and args.project == (None if target == "pi" else target)
    if flag.kind is not None:
        assert parse_launch([target, f"{flag.long}={sample(flag.kind)}", *pi]) == args


def test_every_verb_word_is_found_behind_the_launch_flags():
    """`anon-pi --dry-run machine rm box`: the launch flags before a verb are read as the
    verb's (and refused by a verb that has no such flag)."""
    for cmd in VERBS:
        verb, tokens = split_verb(["--dry-run", "-m", "box", *cmd.words])
        assert verb == cmd.words[0] and tokens[:3] == ["--dry-run", "-m", "box"]
    assert split_verb(["-m", "machine"]) == (None, ["-m", "machine"])  # -m's value
    assert split_verb(["--model", "x", "machine"])[0] is None  # pi's flag: a launch
    assert LAUNCH.flag("--dry-run") is not None


@pytest.mark.parametrize("argv, meant", [
    (["container", "ls"], "list"), (["image", "ls"], "list"), (["machine", "remove"], "rm"),
    (["container", "delete", "web"], "rm"), (["machine", "new", "box"], "create"),
    (["help", "container", "ls"], "list"), (["machine", "lst"], "list"),
])
def test_another_tools_word_for_a_sub_verb_is_offered_the_one_meant(cli, argv, meant):
    res = cli.run(*argv)
    assert res.returncode == 2 and cli.calls() == []
    assert res.stderr.splitlines()[0].endswith(f"; did you mean `{meant}`?"), res.stderr
