"""What the launch line refuses, word by word, rather than guess (launch/grammar.py reads
the line and asks these as it goes).

Where position-independence would guess, the line is refused: an anon-pi flag right after one
of pi's flags that takes the next word whatever it is (`--model --dry-run`: pi's model or
anon-pi's dry run?), a near-typo of an anon-pi flag (`--dryrun` would reach pi, which ignores
flags it does not know), a verb given as a flag after the target (`--delete-home`), `-m=box` or
`-mbox` (only long flags take `=`), a flag typed with typographic dashes (`\u2014dry-run`), a
retired flag, and `--fork`/`--continue` without a project. Kept apart from the reading so the
rules of refusal and their messages can be read in one place.
"""

import re

from ..core.command_line import help_hint, split_flag
from ..core.command_table import ANYWHERE, LAUNCH, LAUNCH_OWN, PI_AFTER, PI_TARGETS
from ..core.errors import UsageError
from ..core.names import quoted
from ..core.verbs import flag_typo, unknown_option

# pi's flags that take the next word as their value whatever it is (pi 1.6.0's parser): an
# anon-pi flag right after one of them is ambiguous, so the launch refuses it
PI_VALUE_FLAGS = frozenset({
    "--provider", "--model", "--api-key", "--system-prompt", "--append-system-prompt",
    "--name", "-n", "--session", "--session-id", "--fork", "--session-dir", "--models",
    "--tools", "-t", "--exclude-tools", "-xt", "--thinking", "--export", "--extension", "-e",
    "--skill", "--prompt-template", "--theme",
})
# anon-pi's retired launch flags: refused wherever they stand
RETIRED = ("--keep", "--rm")

_VERB_FLAGS = ("--delete-home", "--delete-project")
# what a flag one edit away is refused as a typo of: before the target anon-pi's own and the
# pi flags it reads; after the target only anon-pi's own (there every other flag is pi's)
_BEFORE = tuple(n for f in (*LAUNCH.flags, *PI_TARGETS, *PI_AFTER) for n in f.names)
_AFTER = tuple(n for f in ANYWHERE for n in f.names)
_KNOWN_PI = PI_VALUE_FLAGS | {n for f in (*PI_TARGETS, *PI_AFTER) for n in f.names}
# the short flags that take a value (`-m box`): `-mbox` and `-m=box` are refused, not guessed
_OWN_SHORT = tuple(n for f in LAUNCH_OWN if f.kind is not None for n in f.names
                   if not n.startswith("--"))

# What an editor, a chat app or a phone keyboard puts where `--`/`-` was typed: an em or en
# dash usually stands for `--` (autocorrect joins two hyphens), the others for one hyphen
_DOUBLE_DASHES = "\u2013\u2014\u2015"
_DASHES = "\u2010\u2011\u2012\u2212\ufe63\uff0d"
_FLAG_SHAPE = r"--?[A-Za-z][A-Za-z0-9_-]*(=.*)?"


def needs_project(flags: list[str], rest: list[str]) -> UsageError:
    """`--fork`/`--continue` act on one folder's conversations: show the corrected command."""
    import shlex

    def fixed(target: str) -> str:
        return " ".join(["anon-pi", *map(shlex.quote, flags), target, shlex.join(rest)])

    return UsageError(f"{rest[0]} needs a project: pi resumes conversations per folder.",
                      f"name one, e.g. `{fixed('<project>')}` or `{fixed('.')}`")


def refuse_oddity(tok: str, name: str, before_target: bool) -> None:
    """Flags anon-pi will not pass to pi silently (see the module's docstring)."""
    if name in RETIRED:
        raise UsageError(
            f"{name} is retired: every launch is throwaway (the container is removed on exit; "
            "your home and projects stay on the host).",
            "to keep installed tools: `anon-pi image snapshot <name>` from another terminal, "
            "then `anon-pi machine create <m> --image anon-pi/<name>:latest`")
    if tok[:2] in _OWN_SHORT and len(tok) > 2:
        long = LAUNCH.flag(tok[:2]).long
        raise UsageError(f"{tok}: anon-pi reads {tok[:2]} with its value as the next word.",
                         f"write `{tok[:2]} <value>` or `{long}=<value>`")
    if not before_target and name in _VERB_FLAGS:
        raise UsageError(f"{name} is a verb of its own, not a launch flag.",
                         f"run it alone: `anon-pi {name} ...` (see `anon-pi {name} --help`)")
    known = _BEFORE if before_target else _AFTER
    if name not in _KNOWN_PI and flag_typo(name, known):
        raise UsageError(unknown_option(name, known), help_hint(LAUNCH))


def refuse_lookalike(tok: str) -> None:
    """`\u2014dry-run` is no flag to the shell: pi would get it as words of the prompt, and
    the launch would go ahead where a dry run was asked. A word shaped like a flag but begun
    with typographic dashes is refused; one that merely holds a dash passes."""
    if not tok or tok[0] not in _DOUBLE_DASHES + _DASHES:
        return
    import unicodedata

    word = unicodedata.normalize("NFKC", tok)  # full-width letters and hyphens
    body = word.lstrip(_DOUBLE_DASHES + _DASHES + "-")
    head = "".join("--" if c in _DOUBLE_DASHES else "-" for c in word[:len(word) - len(body)])
    spelled = head[:2] + body
    if not re.fullmatch(_FLAG_SHAPE, spelled, flags=re.DOTALL):
        return
    name = split_flag(spelled)[0]
    meant = flag_typo(name, _BEFORE) if name not in _BEFORE else None
    shown_as = meant or name
    raise UsageError(f"{quoted(tok)} begins with a typographic dash, not \"-\": anon-pi will "
                     f"not guess whether it is the flag {shown_as} or words for pi.",
                     f"type the flag with plain hyphens (`{shown_as}`); words for pi that begin "
                     "so go after `--`")


def ambiguous(own: str, pi_flag: str) -> UsageError:
    """An anon-pi flag right after one of pi's flags that takes the next word whatever it is:
    the refusal shows both ways of saying what was meant."""
    found = LAUNCH.flag(own)
    spelled = f"{own} {found.metavar}" if found.kind is not None else own
    return UsageError(
        f"{own} follows pi's {pi_flag}, which takes the next word as its value: anon-pi will "
        f"not guess whether {own} is that value or anon-pi's own flag.",
        f"put anon-pi's flags before the project (`anon-pi {spelled} <project> ...`), or pass "
        f"pi's value after `--` (`anon-pi <project> {pi_flag} -- {own}` hands it to pi)")
