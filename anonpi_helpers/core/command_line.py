"""Reading a command line with the command table (core/command_table.py). Pure.

`split_verb` finds the verb a line names (anon-pi's launch flags may stand before it:
`anon-pi --dry-run machine rm box`), `parse` reads that verb's flags and arguments into a
`Line`, and launch/grammar.py reads the launch line with the same `read_flag`. The lookups
a reader makes (`find`, `first_words`) and the words its messages give each kind of value
(DESCRIBED) are here too: `--help` loads the table, never this reader.

The rules are the same for every verb: `--flag=value` and `--flag value` are one thing; flags
and arguments may come in any order; `--` ends the flags; `-h`/`--help` anywhere before `--`
asks for that command's help and nothing else; a value that looks like a flag means the value
was forgotten (`--flag=-x` passes it on purpose); a flag given twice keeps the last value
unless the table says it repeats. A line that cannot be read raises UsageError (exit 2).

Why not argparse: the launch line hands every word it does not own to pi, interleaved with
anon-pi's own flags, and must refuse (not guess) where that is ambiguous; argparse's
`parse_known_args` reorders and abbreviates (`--mach` for `--machine`), knows nothing of pi's
flags that take values, exits the process itself on an error and formats its own usage and
help, while anon-pi needs one `anon-pi:` line with a never-guessing did-you-mean and help,
completions, tasks and a man page from one table. It would be a second description of the
same flags, plus the start-up cost of importing it on every verb. Reading a table is ~100
lines here.
"""

import types

from .command_table import (
    BOX,
    COMMANDS,
    DIR,
    GROUPS,
    HELP,
    IMAGE,
    LAUNCH,
    MACHINE,
    PROJECT,
    PROJECT_OR_ROOT,
    SESSION,
    SNAPSHOT,
    TEXT,
    VERB,
    WHERE,
    Command,
    Flag,
    subs,
)
from .errors import UsageError
from .verbs import SUB_SYNONYMS, did_you_mean, nearest, unknown_option

# what a value of each kind is called in messages (`-m needs a machine name.`)
DESCRIBED = {MACHINE: "a machine name", PROJECT: "a project name", BOX: "a box name",
             WHERE: "a project name, . or a folder's path",
             PROJECT_OR_ROOT: "a project name or .", IMAGE: "an image ref", DIR: "a host folder",
             SNAPSHOT: "an image name", SESSION: "a session id", TEXT: "a value", VERB: "a verb"}


def find(words: tuple[str, ...]) -> Command | None:
    """The command these words name (`("machine", "rm")`), or None."""
    return next((c for c in COMMANDS if c.words == words), None)


def first_words() -> tuple[str, ...]:
    """Every first word that names a verb (groups once): dispatched before the launch."""
    seen: dict[str, None] = {}
    for c in COMMANDS:
        if c.words:
            seen.setdefault(c.words[0])
    return tuple(seen)


def help_hint(cmd: Command | str) -> str:
    """What a usage error points at: the command's own hint, else its help page."""
    if not isinstance(cmd, str) and cmd.hint:
        return cmd.hint
    name = cmd if isinstance(cmd, str) else cmd.name
    return f"see `anon-pi {name} --help`" if name != "launch" else "see `anon-pi --help`"


def wants_help(tokens: list[str]) -> bool:
    """`-h`/`--help` before any `--`."""
    for tok in tokens:
        if tok == "--":
            return False
        if tok in HELP.names:
            return True
    return False


def looks_like_flag(tok: str) -> bool:
    return tok.startswith("-") and tok != "-"


def is_path(word: str) -> bool:
    """A word that names a host folder where a project could stand: no project name holds a
    `/`, and `..` is no name (`.` stays the projects root)."""
    return "/" in word or word == ".."


def split_flag(tok: str) -> tuple[str, str | None]:
    """`--machine=box` -> ("--machine", "box"); anything else -> (tok, None). Only long flags
    take `=`: a short flag's `=` would be part of a value."""
    if tok.startswith("--"):
        name, eq, value = tok.partition("=")
        if eq:
            return name, value
    return tok, None


def checked(kind, value: str, what: str, hint: str | None = None):
    """A flag's or argument's value, as its kind requires: names by the name rules (refusal,
    exit 1), a fixed choice or a non-blank text (else a usage error, exit 2, with `hint`). A
    folder's path where one may stand is checked where it is resolved (edges/here_folder.py)."""
    if kind == WHERE and is_path(value):
        return value
    if kind in (MACHINE, BOX, PROJECT) or (kind in (PROJECT_OR_ROOT, WHERE) and value != "."):
        from .names import check_name

        return check_name(value, PROJECT if kind in (PROJECT_OR_ROOT, WHERE) else kind)
    if kind == SNAPSHOT:
        from .names import check_snapshot_name

        return check_snapshot_name(value)
    if isinstance(kind, tuple):
        if value not in kind:
            from .names import quoted

            raise UsageError(f"{what} takes {' | '.join(kind)}, not {quoted(value)}"
                             f"{did_you_mean(nearest(value, kind))}", hint)
        return value
    if kind in (IMAGE, DIR, TEXT) and not value.strip():
        raise UsageError(f"{what} needs a non-blank {DESCRIBED[kind].split(' ', 1)[1]}.", hint)
    return value.strip() if kind in (IMAGE, DIR, TEXT) else value


def read_flag(cmd: Command, tokens: list[str], i: int, flags=None) -> tuple[Flag, object, int]:
    """The flag at tokens[i] among `flags` (default: the command's), its checked value (True
    for a switch) and the index after it. An unknown flag is a usage error with the nearest
    long flag as did-you-mean (one edit at most: never a guess)."""
    flags = cmd.flags if flags is None else flags
    tok = tokens[i]
    name, attached = split_flag(tok)
    found = next((f for f in flags if name in f.names), None)
    if found is None:
        known = [n for f in flags for n in f.names]
        where = "" if cmd is LAUNCH else cmd.name
        raise UsageError(unknown_option(name, known, where), help_hint(cmd))
    if found.kind is None:
        if attached is not None:
            raise UsageError(f"{name} takes no value, got {tok}.", help_hint(cmd))
        return found, True, i + 1
    if attached is None:
        wanted = DESCRIBED.get(found.kind, found.metavar)
        if i + 1 >= len(tokens):
            raise UsageError(f"{name} needs {wanted}.", help_hint(cmd))
        if looks_like_flag(tokens[i + 1]):
            raise UsageError(f"{name} needs {wanted}, got the option {tokens[i + 1]}.",
                             help_hint(cmd))
        attached, i = tokens[i + 1], i + 1
    return found, checked(found.kind, attached, name, help_hint(cmd)), i + 1


def defaults(cmd: Command) -> dict:
    """Every flag's and argument's value when it is not given: None, False for a switch, ()
    for a repeated flag."""
    values = {f.dest: (() if f.repeat else None if f.kind is not None else False)
              for f in cmd.flags if f is not HELP}
    values.update({a.dest: None for a in cmd.args})
    return values


def line(cmd: Command, **values) -> types.SimpleNamespace:
    """A parsed command line: `line.command` is the table's entry, every flag and argument
    an attribute (`line.machine`, `line.dry_run`); `line.sub` names a group's sub-verb."""
    return types.SimpleNamespace(command=cmd, sub=cmd.words[1] if len(cmd.words) == 2 else None,
                                 **{**defaults(cmd), **values})


def parse(cmd: Command, tokens: list[str]) -> types.SimpleNamespace:
    """A verb's flags and arguments in any order (`--` ends the flags), each checked as it
    comes, left to right, before anything is read or touched."""
    values = defaults(cmd)
    given = 0  # arguments so far
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "--" or not looks_like_flag(tok):
            words = tokens[i + 1:] if tok == "--" else [tok]
            for word in words:
                if given == len(cmd.args):
                    takes = " ".join(a.metavar if a.required else f"[{a.metavar}]"
                                     for a in cmd.args)
                    raise UsageError(f"{cmd.name} takes {takes or 'no arguments'}, got extra: "
                                     f"{word}", help_hint(cmd))
                spec = cmd.args[given]
                values[spec.dest] = checked(spec.kind, word, cmd.name, help_hint(cmd))
                given += 1
            i = len(tokens) if tok == "--" else i + 1
            continue
        found, value, i = read_flag(cmd, tokens, i)
        values[found.dest] = values[found.dest] + (value,) if found.repeat else value
    missing = [a.metavar for a in cmd.args[given:] if a.required]
    if missing:
        raise UsageError(f"{cmd.name} needs {' and '.join(missing)}.", help_hint(cmd))
    return line(cmd, **values)


def split_verb(argv: list[str]) -> tuple[str | None, list[str]]:
    """The verb word a line names and the rest of the line (the launch flags before the verb
    kept, in order); (None, argv) for a launch. Leading launch flags are skipped with their
    values, so `anon-pi -m box ports` is `ports -m box`."""
    verbs = first_words()
    i = 0
    while i < len(argv) and argv[i] not in verbs and looks_like_flag(argv[i]):
        name, attached = split_flag(argv[i])
        found = LAUNCH.flag(name)
        if found is None:
            break
        i += 1 if found.kind is None or attached is not None else 2
    if i < len(argv) and argv[i] in verbs:
        return argv[i], argv[:i] + argv[i + 1:]
    return None, argv


def sub_meant(group: str, word: str) -> str | None:
    """The sub-verb an unknown word most likely meant: another tool's word for it (`ls`,
    `remove`), else one a typo away."""
    names = [c.words[1] for c in subs(group)]
    synonym = SUB_SYNONYMS.get(word)
    return synonym if synonym in names else nearest(word, names)


def sub_verb(group: str, tokens: list[str]) -> tuple[Command | None, list[str]]:
    """The group's sub-verb (the first word that is not a flag or a flag's value) and the rest;
    (None, tokens) when none is named. An unknown one is a usage error."""
    takes_value = {n for c in (*subs(group), LAUNCH) for f in c.flags if f.kind is not None
                   for n in f.names}
    i = 0
    while i < len(tokens) and tokens[i] != "--":
        tok = tokens[i]
        if looks_like_flag(tok):
            i += 2 if tok in takes_value else 1
            continue
        found = find((group, tok))
        if found is None:
            raise UsageError(f"unknown {group} sub-verb: {tok}"
                             f"{did_you_mean(sub_meant(group, tok))}", help_hint(group))
        return found, tokens[:i] + tokens[i + 1:]
    return None, tokens


def verb_command(verb: str, tokens: list[str]) -> tuple[Command | str, list[str]]:
    """The command a verb word names with the rest of its line: a group's sub-verb, or the
    group's own word when only its help is asked (`anon-pi machine --help`)."""
    if verb not in GROUPS:
        return find((verb,)), tokens
    try:
        found, rest = sub_verb(verb, tokens)
    except UsageError:
        if wants_help(tokens):  # `machine bogus --help`: the group's page says what there is
            return verb, tokens
        raise
    if found is None:
        if wants_help(tokens):
            return verb, rest
        names = " | ".join(c.words[1] for c in subs(verb))
        raise UsageError(f"{verb} needs a sub-verb: {names}", help_hint(verb))
    return found, rest
