"""Never guess: is an unknown word a typo of a known one? Pure.

A first word that is not a verb is a project name, so a typo of a verb would silently create
a project and start pi. The rule is deliberately narrow so real project names pass: only words
of 4+ characters, only against verbs of 4+ letters (`api`, `web`, `cli` never meet `pi`), at
most one edit (two for words of 6+ characters), a swap of neighbours counting as one edit.
Sub-verbs and long flags have no project to be mistaken for, so any near word is suggested.
Other tools' words (`status`, `ls`, `rm`) are no typos: they are listed here with what anon-pi
calls the same thing, so the refusal can name it.
"""

from collections.abc import Iterable

MIN_TYPO_LEN = 4

# Words people type as commands that anon-pi spells another way. As a first word they launch
# nothing and create nothing (unless a project folder of that name exists): the refusal names
# what does it. A word that becomes a verb leaves this list.
_LISTS = ("`anon-pi machine list`, `anon-pi container list`, `anon-pi image list` or the menu "
          "(`anon-pi`)")
_UPGRADES = "`git pull && make install` in the anon-pi checkout, or `anon-pi init` (the image)"
_DELETES = "`anon-pi --delete-project`, `anon-pi --delete-home` or `anon-pi machine rm`"
_SESSIONS = "`anon-pi -r` (pi's list of conversations) or `anon-pi --session <id>`"
NOT_VERBS = {
    "status": "`anon-pi doctor`", "list": _LISTS, "ls": _LISTS,
    "ps": "`anon-pi container list` or `anon-pi ports`",
    "rm": "`anon-pi machine rm`, `anon-pi container rm` or `anon-pi --delete-project`",
    "run": "`anon-pi <project>`",
    "stop": "`anon-pi container rm` (a box), or exit pi in its own terminal",
    "logs": _SESSIONS, "sessions": _SESSIONS, "update": _UPGRADES, "upgrade": _UPGRADES,
    "shell": "`anon-pi --shell [<project>]`",
    "start": "`anon-pi <project>` or `anon-pi container enter <box>`",
    "delete": _DELETES, "remove": _DELETES, "new": "the menu's new project (`anon-pi`)",
    "show": "`anon-pi machine list`, `anon-pi image list` or `anon-pi doctor`",
    "exec": "`anon-pi --shell <project>`", "enter": "`anon-pi container enter <box>`",
    "create": "`anon-pi machine create` or `anon-pi container create`",
    "install": "`make install` in the anon-pi checkout",
    "uninstall": "`make uninstall` in the anon-pi checkout",
    "images": "`anon-pi image list`", "machines": "`anon-pi machine list`",
    "containers": "`anon-pi container list`",
}

# Other tools' words for a group's sub-verbs (docker's `container ls`, `machine remove`):
# offered as the sub-verb meant, never run in its place
SUB_SYNONYMS = {"ls": "list", "ps": "list", "remove": "rm", "delete": "rm", "del": "rm",
                "new": "create", "add": "create"}


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein, optimal string alignment: insert, delete, substitute, or swap
    two neighbours, each one edit; no substring is edited twice."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]


def allowed_edits(word: str) -> int:
    return 2 if len(word) >= 6 else 1


def nearest(word: str, known: Iterable[str], max_edits: int | None = None) -> str | None:
    """The closest known word within the allowed edits (ties: the first listed), or None for
    an exact match or nothing close."""
    limit = allowed_edits(word) if max_edits is None else max_edits
    best, best_distance = None, limit + 1
    for candidate in known:
        if candidate == word:
            return None
        if abs(len(candidate) - len(word)) >= best_distance:
            continue  # at least that many edits apart: it cannot be closer (every launch asks)
        distance = edit_distance(word, candidate)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def verb_typo(word: str, verbs: Iterable[str]) -> str | None:
    """The verb a first word looks like a typo of, or None (then it may be a project)."""
    if len(word) < MIN_TYPO_LEN or word.startswith("-"):
        return None
    return nearest(word, [v for v in verbs if len(v) >= MIN_TYPO_LEN and not v.startswith("-")])


def flag_typo(flag: str, flags: Iterable[str]) -> str | None:
    """The known `--long` flag an unknown one was meant as: the same in other letters' case
    (`--DRY-RUN`), its beginning (`--dry`, `--mach`: what argparse or getopt would accept), or
    one edit from it. On a launch line an unknown long flag is pi's, and pi ignores the ones it
    does not know, so `--mach box` would run on the default machine. Short flags are all one
    edit apart: never a typo."""
    longs = [f for f in flags if f.startswith("--")]
    if not flag.startswith("--") or flag in longs:
        return None
    lower = flag.lower()
    if lower != "--":
        begun = next((f for f in longs if f.startswith(lower)), None)
        if begun is not None:
            return begun
    return nearest(lower, longs, max_edits=1)


def did_you_mean(word: str | None) -> str:
    """The suffix an error message gets when a near word was found."""
    return f"; did you mean `{word}`?" if word else ""


def unknown_option(tok: str, known: Iterable[str], where: str = "") -> str:
    """`unknown option[ for <where>]: --imgae; did you mean `--image`?`"""
    scope = f" for {where}" if where else ""
    return f"unknown option{scope}: {tok}{did_you_mean(flag_typo(tok, known))}"
