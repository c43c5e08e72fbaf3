"""Conversation ids people can type: which ids a typed part names, and the shortest part that
names one id alone.

Pure. pi 1.6.0's ids are UUIDv7: they begin with a millisecond timestamp, so the first eight
characters are shared by every conversation started within about a minute, and pi's own rule
(the id starts with what was typed) makes `--session 019ae5b1` ambiguous on any busy machine.
anon-pi therefore also accepts a part from the middle or the end of an id, from MIN_PART
characters on (shorter parts would match too much by chance), and prints each id as the
shortest such part that is unique among the conversations of that machine, preferring the
random end of the id over its clock.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .grammar import SESSION_PREFIX

MIN_PART = 6


def fits(session_id: str, typed: str) -> bool:
    """pi's rule (the id starts with it) for any length; any part from MIN_PART characters."""
    return session_id.startswith(typed) or (len(typed) >= MIN_PART and typed in session_id)


def typeable(text: str) -> bool:
    """In pi's id alphabet, as `--session` accepts it (a letter or digit first)."""
    return re.fullmatch(SESSION_PREFIX, text) is not None


def _windows(session_id: str, size: int) -> list[str]:
    """Every part of `size` characters, the ones without `-` first, each group from the end."""
    parts = [session_id[i:i + size] for i in range(len(session_id) - size, -1, -1)]
    return [p for p in parts if "-" not in p] + [p for p in parts if "-" in p]


def short_forms(ids: Iterable[str]) -> Callable[[str], str]:
    """`form(id)`: the shortest part of `id` that no other conversation's id contains (so it
    names that id alone, and `--session` takes it); the whole id when it is short, not in
    pi's id alphabet, or no part is unique (the same id in two folders). `ids`: every
    conversation id on the machine, one per file; `id` one of them."""
    every = list(ids)
    copies = Counter(every)
    seen: Counter = Counter()
    for sid in every:
        seen.update(set(_windows(sid, MIN_PART)))

    def unique(part: str) -> bool:
        if len(part) == MIN_PART:
            return seen[part] == 1
        return sum(part in sid for sid in every) == 1

    def form(session_id: str) -> str:
        if copies[session_id] > 1 or not typeable(session_id):  # a twin contains every part
            return session_id
        for size in range(MIN_PART, len(session_id)):
            for part in _windows(session_id, size):
                if typeable(part) and unique(part):
                    return part
        return session_id

    return form
