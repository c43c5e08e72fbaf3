"""One table drives the command line: the help pages, the completion scripts, the Invoke tasks
and the man page list exactly the flags core/command_table.py gives each command, and no code
outside the table's readers compares a word of the command line with a flag."""

import ast
import re
import subprocess

import pytest
from harness_paths import ROOT

import tasks
from anonpi_helpers.core.command_table import (
    ANYWHERE,
    COMMANDS,
    COMMON,
    GROUPS,
    LAUNCH,
    LAUNCH_FIRST,
    PI_AFTER,
    PI_TARGETS,
    subs,
)
from anonpi_helpers.core.help_pages import page
from anonpi_helpers.launch.word_refusals import PI_VALUE_FLAGS
from anonpi_helpers.shell.completion_gen import PI_OFFERED, TAIL, render_all
from anonpi_helpers.shell.man_page import render

VERBS = [c for c in COMMANDS if c is not LAUNCH]
FLAG = re.compile(r"(?<![\w/.-])(--?[A-Za-z][A-Za-z-]*)")
# pi's own flags the launch's words mention (how to ask pi headless, and the like), and the
# one flag of another tool they quote (init's `sudo install -d`)
PI_MENTIONED = {"-p", "--print", "--mode", "--export", "--version", "--help", "--model"}
OTHER_TOOLS = {"-d"}


def names(flags) -> set[str]:
    return {n for f in flags for n in f.names}


def section(text: str, title: str) -> str:
    """The rows under `title` up to the next blank line."""
    return text.split(title + "\n", 1)[1].split("\n\n", 1)[0]


def listed(rows: str) -> set[str]:
    """The flags a help section lists: the left column of each row."""
    found = set()
    for row in rows.splitlines():
        if row.startswith("  -"):
            left = row.strip().split("  ")[0]
            found |= {w.strip(",") for w in left.split() if w.startswith("-")}
    return found


@pytest.mark.parametrize("cmd", VERBS, ids=lambda c: c.name)
def test_a_verbs_help_lists_exactly_its_flags(cmd):
    text = page(cmd)
    assert listed(section(text, "Options:")) == names(cmd.flags)
    usage = text.split("\n\n")[1]
    assert set(FLAG.findall(usage)) - set(cmd.words) == names(cmd.flags) - names(COMMON)


def test_the_launch_help_lists_exactly_the_launch_flags():
    text = page(LAUNCH)
    assert listed(section(text, "Launch flags (anywhere before `--`):")) == names(LAUNCH.flags)
    assert listed(section(text, "pi's flags anon-pi reads (pi gets them too):")) == names(
        (*PI_TARGETS, *PI_AFTER))


@pytest.mark.parametrize("group", GROUPS)
def test_a_groups_help_lists_its_sub_verbs_and_their_usage(group):
    text = page(group)
    assert [row.split()[0] for row in section(text, "Sub-verbs:").splitlines()] == [
        c.words[1] for c in subs(group)]
    for c in subs(group):
        assert f"anon-pi {group} {c.words[1]}" in text


def test_every_flag_the_help_pages_mention_is_known():
    """The paragraphs may name flags of other verbs and pi's own, never a flag nobody has."""
    known = (names(f for c in COMMANDS for f in c.flags) | names((*PI_TARGETS, *PI_AFTER))
             | PI_VALUE_FLAGS | PI_MENTIONED | OTHER_TOOLS | {c.words[0] for c in VERBS})
    for target in [*COMMANDS, *GROUPS]:
        text = page(target)
        unknown = {w for w in FLAG.findall(text) if w not in known and not w.endswith("-")}
        assert unknown == set(), (target, unknown)


def _case_bodies(script: str, indent: str) -> dict[str, set[str]]:
    """bash/zsh: `'<state>')` at `indent` -> the words its `_anon_pi_add` lines offer."""
    found, state = {}, None
    for line in script.splitlines():
        head = re.fullmatch(indent + r"'([^']*)'\)", line)
        if head:
            state = head.group(1)
            found[state] = set()
        elif state is not None and line.strip() == ";;":
            state = None
        elif state is not None and "_anon_pi_add '" in line:
            found[state].add(line.split("'")[1])
    return found


def _dash_offers(script: str) -> dict[str, set[str]]:
    """The `-<TAB>` block of the generated core: state -> flags offered."""
    block = script.split("if [[ $_anon_pi_cur == -* ]]; then\n    case $cmd in\n", 1)[1]
    return _case_bodies(block.split("    esac", 1)[0], " " * 6)


@pytest.mark.parametrize("name", ["anon-pi.bash", "_anon-pi"])
def test_completions_offer_exactly_each_commands_flags(name):
    offers = _dash_offers(render_all()[name])
    for cmd in VERBS:
        if cmd.offer:
            assert offers[cmd.name] == names(cmd.flags) | _topics(cmd), cmd.name
    assert offers["launch"] == names((*LAUNCH.flags, *PI_TARGETS))
    assert offers[TAIL] == names((*ANYWHERE, *PI_AFTER, *PI_OFFERED))


def _topics(cmd) -> set[str]:
    """`help -<TAB>`: its own flags and the verbs spelled as flags (`help --delete-home`)."""
    return {c.words[0] for c in VERBS if c.words[0].startswith("-")} if cmd.name == "help" \
        else set()


def test_fish_offers_exactly_each_commands_flags():
    script = render_all()["anon-pi.fish"]
    block = script.split("if string match -q -- '-*' \"$cur\"\n        switch $cmd\n")[1]
    offers, state = {}, None
    for line in block.split("\n        end\n", 1)[0].splitlines():
        head = re.fullmatch(r" {12}case '([^']*)'", line)
        if head:
            state = head.group(1)
            offers[state] = set()
        elif state is not None:
            offers[state].add(line.split("'")[3])
    for cmd in VERBS:
        if cmd.offer:
            assert offers[cmd.name] == names(cmd.flags) | _topics(cmd), cmd.name
    assert offers["launch"] == names((*LAUNCH.flags, *PI_TARGETS))
    assert offers[TAIL] == names((*ANYWHERE, *PI_AFTER, *PI_OFFERED))


def _task_flags(task) -> set[str]:
    return {a.attr_name or a.name for a in task.get_arguments()}





@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c.task], ids=lambda c: c.name)
def test_each_task_takes_exactly_the_commands_flags_and_arguments(cmd):
    """Every argument and flag but -h and -V (Invoke answers those itself); the launch also
    takes pi's flags that anon-pi reads. Group names (`machine.create`) take the same."""
    own = [f for f in cmd.flags if f not in (*COMMON, *LAUNCH_FIRST)]
    if cmd is LAUNCH:
        own += [*PI_TARGETS, *PI_AFTER]
    want = {f.dest for f in own} | {a.dest for a in cmd.args}
    task = tasks.ns[cmd.task]
    assert _task_flags(task) == want
    assert task.anon_pi_words == " ".join(cmd.words)
    if len(cmd.words) == 2:
        assert _task_flags(tasks.ns[".".join(cmd.words)]) == want
    helps = {**{a.dest: a.help for a in cmd.args}, **{f.dest: f.help for f in own}}
    assert task.anon_pi_help == helps


@pytest.mark.parametrize("name", sorted(tasks.ns.task_names))
def test_inv_help_shows_every_flag_with_its_help(name):
    res = subprocess.run([ROOT / "bin" / "anon-pi-inv", "--help", name], check=False,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    flat = "".join(res.stdout.split())  # Invoke wraps help text, even inside words
    for param, text in tasks.ns[name].anon_pi_help.items():
        assert "--" + param.strip("_").replace("_", "-") in flat, (name, param)
        assert "".join(text.split()) in flat, (name, param)


def test_the_task_variants_and_nothing_else():
    named = {c.task for c in COMMANDS if c.task} | set(tasks.TASK_VARIANTS)
    groups = {".".join(c.words) for c in COMMANDS if len(c.words) == 2}
    assert set(tasks.ns.task_names) == named | groups
    _summary, preset, only = tasks.TASK_VARIANTS["shell"]
    assert _task_flags(tasks.ns["shell"]) == {"project", *only}
    assert tasks.ns["shell"].anon_pi_words == "--shell" and preset == {"shell": True}


MAN_FLAG = re.compile(r"\\fB(\\-(?:\\-|[^\\])+)\\fR")  # `\fB\-\-dry\-run\fR`


def test_the_man_page_lists_exactly_each_commands_flags():
    page_text = render()
    sections = re.split(r"\n\.SS ", page_text)
    by_name = {}
    for part in sections[1:]:
        title, _, body = part.partition("\n")
        by_name[title] = {m.replace("\\-", "-") for m in MAN_FLAG.findall(body)}
    for cmd in VERBS:
        title = " ".join(("anon-pi", *cmd.words)).replace("\\", "\\e")
        assert by_name[title] == names(cmd.flags), cmd.name
    options = page_text.split(".SH OPTIONS\n", 1)[1].split(".SS ", 1)[0]
    assert {m.replace("\\-", "-") for m in MAN_FLAG.findall(options)} == names(LAUNCH.flags)


# the only modules that read the command line itself
READERS = {"cli.py", "core/command_line.py", "launch/grammar.py"}


def test_no_flag_parser_outside_the_table():
    """No module but the table's readers compares a word with one of the table's flags (the
    old hand-written parsers all did: `tok in ("-m", "--machine")`, `tok == "--json"`); a
    netcage or pi command line that merely contains such a word is not a comparison of it."""
    spellings = names(f for c in COMMANDS for f in c.flags) | names((*PI_TARGETS, *PI_AFTER))
    spellings |= {c.words[0] for c in VERBS if c.words[0].startswith("-")}
    found = []
    for path in sorted((ROOT / "anonpi_helpers").rglob("*.py")):
        rel = str(path.relative_to(ROOT / "anonpi_helpers"))
        if rel in READERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                for part in (node.left, *node.comparators):
                    words = [c.value for c in getattr(part, "elts", [part])
                             if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                    if words and all(w.startswith("-") for w in words) and \
                            set(words) & spellings:
                        found.append(f"{rel}:{node.lineno} {words}")
    assert found == []
