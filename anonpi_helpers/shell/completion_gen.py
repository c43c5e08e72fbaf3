"""Shell completion scripts generated from the command table (core/command_table.py).

`layout()` reads the table once into what every shell needs: the first words and flags, which
flag takes which kind of value, where a launch target is named, each command's flags and its
positional arguments. From it this module writes a bash and a zsh script that share one core
written in the common subset of both shells; completion_fish.py writes fish's. The scripts
read machine and project names straight from the workspace folders, and image and box names
from the cache files anon-pi writes whenever it lists them (edges/completion_cache.py, with an
expiry), so a TAB starts no Python and never asks netcage. Only names that pass anon-pi's own
name rules are offered (completion_shell_code.py). What only a TAB offers (pi's own flags
after the target, the values of `config set <key>`) is listed here, not in the table: no help
page shows it, and `--help` loads the table. Pure: returns text.
"""

from collections import namedtuple

from ..core.command_table import (
    ANYWHERE,
    BOX,
    COMMANDS,
    COMMON,
    DIR,
    HERE,
    IMAGE,
    LAUNCH,
    MACHINE,
    PI_AFTER,
    PI_TARGETS,
    PROJECT,
    PROJECT_OR_ROOT,
    SESSION,
    SETTING_VALUE,
    TEXT,
    WHERE,
    flag,
)
from .completion_shell_code import BASH_TAIL, PRELUDE, ZSH_TAIL

SCRIPT_NAMES = {"bash": "anon-pi.bash", "zsh": "_anon-pi", "fish": "anon-pi.fish"}
TAIL = "launch pi"  # the state once the launch target is named: pi's words follow
FREE = "free"  # a value a TAB offers nothing for

# pi's own flags a TAB offers after the launch target (with PI_AFTER and LAUNCH_OWN): the ones
# the README shows, described in anon-pi's words. anon-pi reads none of them (pi gets them as
# typed); `--mode text-stream` is anon-pi's own rendering of pi's `--mode json`.
PI_OFFERED = (
    flag("-p", "--print", dest="print_", help="ask once: pi prints its answer and exits (no "
                                              "terminal needed)"),
    flag("--mode", kind=("text", "json", "rpc", "text-stream"),
         help="how a -p answer is printed (text-stream: live on stderr, the answer on stdout)"),
    flag("--model", kind=TEXT, metavar="<model>",
         help="the model to talk to (`anon-pi --list-models` lists them)"),
    flag("--thinking", kind=("off", "minimal", "low", "medium", "high", "xhigh", "max"),
         help="how much the model thinks before it answers"),
    flag("-n", "--name", kind=TEXT, metavar="<name>", help="a name for this conversation"),
    flag("-r", "--resume", help="pick one of this folder's conversations in pi's list"),
    flag("--session", kind=SESSION, help="reopen this conversation (its id or first characters)"),
    flag("--session-id", kind=TEXT, metavar="<id>",
         help="this folder's conversation with that id (a new one when there is none)"),
    flag("--no-session", help="keep no record of this conversation"),
    flag("--export", kind=TEXT, metavar="<file>",
         help="write a conversation file out as HTML, then exit"),
)
# what a TAB offers for `config set <key> <value>`, by key (proxy and llm: nothing to offer)
SETTING_VALUES = {"defaultMachine": MACHINE, "projects": DIR,
                  "isolation": ("machine", "project", "none"), "piNetwork": ("true", "false"),
                  "web": ("proxy", "none"), "image": IMAGE}

# value source -> the core's shell code that offers candidates for it
_ACTIONS = {
    MACHINE: '_anon_pi_names "$_anon_pi_ws/machines" machine',
    PROJECT: "_anon_pi_projects",
    PROJECT_OR_ROOT: "_anon_pi_projects; _anon_pi_add . 'the projects root'",
    # a word with a `/` where a project would stand is a folder's path: directories then
    WHERE: "if [[ $_anon_pi_cur == */* ]]; then _anon_pi_dirs=1; else _anon_pi_projects; "
           "_anon_pi_add . 'the projects root'; fi",
    DIR: "_anon_pi_dirs=1",
    IMAGE: "_anon_pi_cached images image",
    BOX: "_anon_pi_cached boxes box",
}


class Layout(namedtuple("Layout", [
    "first_flags",  # (name, help): what `-<TAB>` offers as the first word
    "first_words",  # (word, help): the verbs a bare first word offers besides projects
    "verbs",  # words that name a verb (or a group) where the launch target would stand
    "groups",  # group word -> ((sub-verb, help), ...); help's topics ride along as groups:
    # `help` -> every verb, `help machine` -> machine's sub-verbs
    "value_flags",  # (state, names, source or FREE): the next word is that flag's value
    "targets",  # (names, takes a value): launch flags naming the target (state becomes TAIL):
    # pi's target flags, and --here (the folder is the target: pi's words follow)
    "dash",  # state -> (name, help): what `-<TAB>` offers there
    "positionals",  # (state, index, source): what a word at that position offers
])):
    """The command tree every renderer walks; a state is a command's name, a group's word,
    `launch`, or TAIL."""

    __slots__ = ()


def _pairs(flags) -> list[tuple[str, str]]:
    return [(n, f.help) for f in flags for n in f.names]


def _source(item) -> str:
    """What a TAB offers for a value: a kind with an action, fixed choices (`a|b`), or
    nothing (FREE)."""
    if isinstance(item.source, tuple):
        return "|".join(item.source)
    return item.source if item.source in (*_ACTIONS, SETTING_VALUE) else FREE


def by_key() -> list[tuple[str, str]]:
    """(key, source) for `config set <key> <value>`: each shell offers the source of the
    positional word before the value."""
    return [(key, "|".join(kind) if isinstance(kind, tuple) else kind)
            for key, kind in SETTING_VALUES.items()]


def layout() -> Layout:
    offered = [c for c in COMMANDS if c.words and c.offer]
    groups: dict[str, list] = {}
    for c in offered:
        if len(c.words) == 2:
            groups.setdefault(c.words[0], []).append((c.words[1], c.summary))
    verbs = list(dict.fromkeys(c.words[0] for c in offered))
    flag_verbs = [w for w in verbs if w.startswith("-")]
    helps = {c.words[0]: c.summary for c in offered}
    first_words = [(w, " | ".join(s for s, _ in groups[w]) if w in groups else helps[w])
                   for w in sorted(verbs) if not w.startswith("-")]
    first_flags = (_pairs(f for f in LAUNCH.flags if f not in COMMON) + _pairs(PI_TARGETS)
                   + [(w, helps[w]) for w in flag_verbs] + _pairs(COMMON))
    tail_flags = (*ANYWHERE, *PI_AFTER, *PI_OFFERED)
    value_flags = [(c.name, f.names, _source(f)) for c in (LAUNCH, *offered)
                   for f in c.flags if f.kind is not None]
    value_flags += [(TAIL, f.names, _source(f)) for f in tail_flags if f.kind is not None]
    dash = {"launch": _pairs((*LAUNCH.flags, *PI_TARGETS)), TAIL: _pairs(tail_flags)}
    dash.update({c.name: _pairs(c.flags) for c in offered})
    dash.update({g: _pairs(COMMON) for g in groups})
    topics = [(w, " | ".join(s for s, _ in groups[w]) if w in groups else helps[w])
              for w in verbs if w != "help"]
    dash["help"] += [(w, h) for w, h in topics if w.startswith("-")]
    groups.update({f"help {g}": list(pairs) for g, pairs in list(groups.items())})
    groups["help"] = [(w, h) for w, h in topics if not w.startswith("-")]
    positionals = [(c.name, i, _source(a)) for c in (LAUNCH, *offered)
                   for i, a in enumerate(c.args) if _source(a) != FREE]
    return Layout(first_flags, first_words, verbs,
                  {g: tuple(s) for g, s in groups.items()}, value_flags,
                  [(f.names, f.kind is not None) for f in (*PI_TARGETS, HERE)], dash,
                  positionals)


def quote(text: str) -> str:
    """Single-quoted for bash and zsh."""
    return "'" + text.replace("'", "'\\''") + "'"


def _adds(pairs) -> list[str]:
    return [f"_anon_pi_add {quote(w)} {quote(h)}" for w, h in pairs]


def _action(source: str) -> list[str]:
    if source == SETTING_VALUE:
        body = ['case "$last" in']
        for key, kind in by_key():
            body += _case(quote(key), _action(kind), "  ")
        return [*body, "esac"]
    if source in _ACTIONS:
        return [_ACTIONS[source]]
    return _adds((w, "") for w in source.split("|")) if source != FREE else []


def wanted(lay: Layout) -> list[str]:
    """Every source a flag's value can want: the kinds with an action, then fixed choices."""
    choices = [s for _, _, s in lay.value_flags if s not in _ACTIONS and s != FREE]
    return [*_ACTIONS, *dict.fromkeys(choices)]


def _case(label: str, body: list[str], indent: str) -> list[str]:
    return [f"{indent}{label})"] + [f"{indent}  {line}" for line in body] + [f"{indent}  ;;"]


def _labels(state: str, names) -> str:
    return "|".join(quote(f"{state} {n}") for n in names)


def _core(lay: Layout) -> str:
    """The shared core: `_anon_pi_core <current word> <words before it...>`."""
    out = [PRELUDE, "_anon_pi_core() {", '  _anon_pi_start "$1"; shift',
           "  local cmd=launch pos=0 want= last=", "  if (( $# == 0 )); then",
           "    if [[ $_anon_pi_cur == -* ]]; then"]
    out += ["      " + line for line in _adds(lay.first_flags)]
    out += ["    else"]
    out += ["      " + line for line in _adds(lay.first_words) + _action(WHERE)]
    out += ["    fi", "    return 0", "  fi", "  while (( $# )); do",
            "    if [[ -n $want ]]; then want=; shift; continue; fi", '    case "$cmd $1" in']
    for state, names, source in lay.value_flags:
        out += _case(_labels(state, names), [f"want={quote(source)}"], "      ")
    for names, takes in lay.targets:
        out += _case(_labels("launch", names),
                     ([f"want={quote(FREE)}"] if takes else []) + [f"cmd={quote(TAIL)}"], "      ")
    flag_verbs = [v for v in lay.verbs if v.startswith("-")]
    out += _case(_labels("launch", flag_verbs), ["cmd=$1"], "      ")
    out += ["      *' '-*) ;;"]
    out += _case(_labels("launch", [v for v in lay.verbs if v not in flag_verbs]), ["cmd=$1"],
                 "      ")
    subs_labels = "|".join(quote(f"{g} {s}") for g, pairs in lay.groups.items() for s, _ in pairs)
    out += _case(subs_labels, ['cmd="$cmd $1"'], "      ")
    out += ["      *) pos=$((pos + 1)); last=$1 ;;", "    esac", "    shift",
            f"    case $cmd in launch) (( pos )) && cmd={quote(TAIL)} ;; esac", "  done",
            "  if [[ -n $want ]]; then", "    case $want in"]
    for source in wanted(lay):
        out += _case(quote(source), _action(source), "      ")
    out += ["    esac", "    return 0", "  fi", "  if [[ $_anon_pi_cur == -* ]]; then",
            "    case $cmd in"]
    for state, pairs in lay.dash.items():
        out += _case(quote(state), _adds(pairs), "      ")
    out += ["    esac", "    return 0", "  fi", '  case "$cmd $pos" in']
    for group, pairs in lay.groups.items():
        out += _case(quote(f"{group} 0"), _adds(pairs), "    ")
    for state, i, source in lay.positionals:
        out += _case(quote(f"{state} {i}"), _action(source), "    ")
    out += ["  esac", "}", ""]
    return "\n".join(out)


_HEADER = ("# GENERATED by `make completions` from anon-pi's command table; do not edit.\n"
           "# {how}\n")


def render(shell: str, lay: Layout | None = None) -> str:
    """The whole script for `shell` ("bash", "zsh" or "fish")."""
    lay = layout() if lay is None else lay
    if shell == "fish":
        from .completion_fish import render_fish

        how = ("Load: copy to ~/.config/fish/completions/anon-pi.fish, or "
               "`anon-pi completions fish | source`.")
        return render_fish(lay, _HEADER.format(how=how))
    if shell == "bash":
        how = "Load: `source` this file, or `eval \"$(anon-pi completions bash)\"`."
        return _HEADER.format(how=how) + _core(lay) + BASH_TAIL
    how = ("Load: put it on $fpath as _anon-pi before compinit, or "
           "`eval \"$(anon-pi completions zsh)\"` after compinit.")
    return "#compdef anon-pi\n" + _HEADER.format(how=how) + _core(lay) + ZSH_TAIL


def render_all() -> dict[str, str]:
    """File name -> script text, for every supported shell."""
    lay = layout()
    return {name: render(shell, lay) for shell, name in SCRIPT_NAMES.items()}

