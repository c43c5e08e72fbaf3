"""Shell completion scripts generated from the Invoke task list (shell-integration, ruling 23).

Each task declares the `anon-pi` words it implements (`anon_pi_words`) and how every parameter
is spelled on the anon-pi command line (`anon_pi_args`: `-m|--machine <machine>`, `--dry-run`,
`<project|.>`, `(bash|zsh)`, ...). From that one list this module writes a bash and a zsh
script that share one core written in the common subset of both shells. The scripts read
machine and project names straight from the workspace folders, and image and box names from
the cache files anon-pi writes whenever it lists them (edges/completion_cache.py, with an
expiry), so a TAB starts no Python and never asks netcage. Pure: takes task-like objects, returns text.
"""

from dataclasses import dataclass

from .completion_shell_code import BASH_TAIL, PRELUDE, ZSH_TAIL

HELP_FLAG = (("-h", "--help"), None, "show this verb's help")
TOP_FLAGS = ((("-V", "--version"), None, "print anon-pi's version"),)
SCRIPT_NAMES = {"bash": "anon-pi.bash", "zsh": "_anon-pi", "fish": "anon-pi.fish"}

TAIL = "launch pi"  # the command key once the launch target is named: pi's own flags follow
# value kind -> the core's shell code that offers candidates for it
_ACTIONS = {
    "machine": '_anon_pi_names "$_anon_pi_ws/machines" machine',
    "project": "_anon_pi_projects",
    "project|.": "_anon_pi_projects; _anon_pi_add . 'the projects root'",
    "dir": "_anon_pi_dirs=1",
    "image": "_anon_pi_cached images image",
    "box": "_anon_pi_cached boxes box",
}


@dataclass(frozen=True)
class Flag:
    """One flag a task declares, for the completion scripts."""

    names: tuple[str, ...]
    value: str | None  # the value's kind (`machine`, `dir`, ...); None for a switch
    help: str


@dataclass(frozen=True)
class Command:
    """One anon-pi command (its words, flags, positionals) from the task list."""

    words: tuple[str, ...]  # () for the launch grammar itself
    help: str
    positionals: tuple[tuple[str, str], ...]  # (kind, help) in command-line order
    flags: tuple[Flag, ...]
    launch_mode: bool  # a flag of the launch grammar (`--shell`), not a first-word verb
    tail: tuple[Flag, ...] = ()  # launch only: flags after the project (pi's `-c`, `--fork`)
    instead: tuple[tuple[str, ...], ...] = ()  # launch only: flags naming the target instead

    @property
    def key(self) -> str:
        return " ".join(self.words) or "launch"


def _kind(spelling: str) -> str:
    """`<machine>` -> machine; `(bash|zsh)` stays as written; `<image>` etc. -> free."""
    if spelling.startswith("("):
        return spelling
    inner = spelling.strip("<>")
    return inner if inner in _ACTIONS else "free"


def command_of(task) -> Command:
    """One Invoke task (duck-typed: name, body and its docstring, anon_pi_* attributes)."""
    spell, helps = task.anon_pi_args, task.anon_pi_help
    code = task.body.__code__
    params = list(code.co_varnames[1:code.co_argcount])
    missing = [p for p in params if p not in spell or not helps.get(p)]
    if missing:
        raise ValueError(f"task {task.name}: declare anon-pi spelling and help for {missing}")
    after = getattr(task, "anon_pi_after", ())
    instead = getattr(task, "anon_pi_instead", ())
    positionals, flags, tail, targets = [], [], [], []
    for param in params:
        names, _, value = spell[param].partition(" ")
        if names.startswith(("<", "(")):
            positionals.append((_kind(names), helps[param]))
        else:
            flag = Flag(tuple(names.split("|")), _kind(value) if value else None, helps[param])
            (tail if param in after else flags).append(flag)
            if param in instead:
                targets.append(flag.names)
    return Command(tuple(task.anon_pi_words.split()), task.anon_pi_says, tuple(positionals),
                   tuple(flags), bool(getattr(task, "anon_pi_launch_mode", False)),
                   tuple(tail), tuple(targets))


def commands_of(collection) -> list[Command]:
    return sorted((command_of(t) for t in collection.tasks.values()), key=lambda c: c.words)


def _q(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _adds(pairs) -> list[str]:
    return [f"_anon_pi_add {_q(w)} {_q(h)}" for w, h in pairs]


def _flag_adds(flags) -> list[str]:
    return _adds((name, help) for names, _, help in flags for name in names)


def flag_triples_of(flags) -> list:
    return [(f.names, f.value, f.help) for f in flags]


def _flag_triples(cmd: Command) -> list:
    return flag_triples_of(cmd.flags)


def _positional_action(kind: str) -> list[str]:
    if kind.startswith("("):
        return _adds((w, "") for w in kind.strip("()").split("|"))
    return [_ACTIONS[kind]] if kind in _ACTIONS else []


def _case(label: str, body: list[str], indent: str) -> list[str]:
    return [f"{indent}{label})"] + [f"{indent}  {line}" for line in body] + [f"{indent}  ;;"]


@dataclass(frozen=True)
class Layout:
    """The command tree every renderer walks: the launch grammar, its modes, the verbs."""

    cmds: list[Command]
    launch: Command
    modes: list[Command]  # launch-grammar flags that switch the mode (`--shell`)
    groups: dict[str, list[Command]]  # first word -> the commands it starts
    launch_flags: list  # (names, value kind, help) triples
    first_flags: list  # what `-<TAB>` offers as the first word
    first_words: list  # (word, help) a bare first word offers besides projects

    def flags(self, c: Command) -> list:
        return self.launch_flags if c is self.launch else _flag_triples(c)


def layout(cmds: list[Command]) -> Layout:
    launch = next(c for c in cmds if not c.words)
    modes = [c for c in cmds if c.launch_mode]
    groups: dict[str, list[Command]] = {}
    for c in cmds:
        if c.words and not c.launch_mode:
            groups.setdefault(c.words[0], []).append(c)
    launch_flags = _flag_triples(launch) + [(m.words, None, m.help) for m in modes]
    first_flags = (launch_flags + [((g,), None, cs[0].help) for g, cs in groups.items()
                                   if g.startswith("-")] + [HELP_FLAG, *TOP_FLAGS])
    first_words = [(g, cs[0].help if len(cs) == 1 else " | ".join(c.words[1] for c in cs))
                   for g, cs in groups.items() if not g.startswith("-")]
    return Layout(cmds, launch, modes, groups, launch_flags, first_flags, first_words)


def _core(cmds: list[Command]) -> str:
    """The shared core: `_anon_pi_core <current word> <words before it...>`."""
    lay = layout(cmds)
    launch, modes, groups = lay.launch, lay.modes, lay.groups
    out = [PRELUDE, "_anon_pi_core() {", "  _anon_pi_start \"$1\"; shift",
           "  local cmd=launch pos=0 want=", "  if (( $# == 0 )); then",
           "    if [[ $_anon_pi_cur == -* ]]; then"]
    out += ["      " + line for line in _flag_adds(lay.first_flags)]
    out += ["    else"]
    out += ["      " + line for line in _adds(lay.first_words)]
    out += ["      " + line for line in _positional_action(launch.positionals[0][0])]
    out += ["    fi", "    return 0", "  fi", "  case $1 in"]
    singles = [g for g, cs in groups.items() if len(cs) == 1 and len(cs[0].words) == 1]
    out += _case("|".join(_q(g) for g in singles), ["cmd=$1; shift"], "    ")
    for group, cs in groups.items():
        if group in singles:
            continue
        sub = (["if (( $# == 1 )); then",
                f"  if [[ $_anon_pi_cur == -* ]]; then {'; '.join(_flag_adds([HELP_FLAG]))}; else"] +
               ["    " + line for line in _adds((c.words[1], c.help) for c in cs)]
               + ["  fi", "  return 0", "fi", 'cmd="$1 $2"; shift 2'])
        out += _case(_q(group), sub, "    ")
    out += ["  esac", "  while (( $# )); do",
            "    if [[ -n $want ]]; then want=; shift; continue; fi", '    case "$cmd $1" in']
    for c in cmds:
        for names, value, _ in lay.flags(c):
            label = "|".join(_q(f"{c.key} {n}") for n in names)
            body = [f"want={_q(value)}"] if value else []
            if c is launch and names in [m.words for m in modes]:
                body.append("cmd=$1")
            elif c is launch and names in launch.instead:
                body.append(f"cmd={_q(TAIL)}")
            if body:
                out += _case(label, body, "      ")
    for names, value, _ in flag_triples_of(launch.tail):
        if value:
            out += _case("|".join(_q(f"{TAIL} {n}") for n in names), [f"want={_q(value)}"],
                         "      ")
    out += ["      *' '-*) ;;", '      *) pos=$((pos + 1)) ;;', "    esac", "    shift",
            f"    case $cmd in launch) (( pos )) && cmd={_q(TAIL)} ;; esac", "  done",
            "  if [[ -n $want ]]; then", '    case $want in']
    for kind, action in _ACTIONS.items():
        out += _case(_q(kind), [action], "      ")
    out += ["    esac", "    return 0", "  fi", "  if [[ $_anon_pi_cur == -* ]]; then",
            "    case $cmd in"]
    for c in cmds:
        out += _case(_q(c.key), _flag_adds([*lay.flags(c), HELP_FLAG]), "      ")
    out += _case(_q(TAIL), _flag_adds(flag_triples_of(launch.tail)), "      ")
    out += ["    esac", "    return 0", "  fi", '  case "$cmd $pos" in']
    for c in cmds:
        for i, (kind, _) in enumerate(c.positionals):
            action = _positional_action(kind)
            if action:
                out += _case(_q(f"{c.key} {i}"), action, "    ")
    out += ["  esac", "}", ""]
    return "\n".join(out)


_HEADER = ("# GENERATED by `inv completions` (or `make completions`) from tasks.py; do not edit.\n"
           "# {how}\n")


def render(shell: str, cmds: list[Command]) -> str:
    """The whole script for `shell` ("bash", "zsh" or "fish")."""
    if shell == "fish":
        from .completion_fish import render_fish

        how = ("Load: copy to ~/.config/fish/completions/anon-pi.fish, or "
               "`anon-pi completions fish | source`.")
        return render_fish(cmds, _HEADER.format(how=how))
    if shell == "bash":
        how = "Load: `source` this file, or `eval \"$(anon-pi completions bash)\"`."
        return _HEADER.format(how=how) + _core(cmds) + BASH_TAIL
    how = ("Load: put it on $fpath as _anon-pi before compinit, or "
           "`eval \"$(anon-pi completions zsh)\"` after compinit.")
    return "#compdef anon-pi\n" + _HEADER.format(how=how) + _core(cmds) + ZSH_TAIL


def render_all(collection) -> dict[str, str]:
    """File name -> script text, for every supported shell."""
    cmds = commands_of(collection)
    return {name: render(shell, cmds) for shell, name in SCRIPT_NAMES.items()}
