"""Never guess: is an unknown word a typo of a known one? Pure.

A first word that is not a verb is a project name, so a typo of a verb would silently create
a project and start pi. The rule is deliberately narrow so real project names pass: only words
of 4+ characters, only against verbs of 4+ letters (`api`, `web`, `cli` never meet `pi`), at
most one edit (two for words of 6+ characters), a swap of neighbours counting as one edit.
Sub-verbs and long flags have no project to be mistaken for, so any near word is suggested.
"""

from collections.abc import Iterable

MIN_TYPO_LEN = 4


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
