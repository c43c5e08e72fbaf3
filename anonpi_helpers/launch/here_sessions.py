"""A launch on a folder worked on alone (`anon-pi --here`, `anon-pi ./repo`): where pi starts,
which conversation it resumes, and what the user is told the jail sees.

pi groups conversations by its cwd, `/work/<the folder's name>`, so they come back as for a
project: `-c` continues the folder's last one, `--session <id>` (as the target, or after the
folder) is looked up in the machine's store like any and handed to pi as its full id, and the
resume line after a session names the folder (`anon-pi /src/repo --session 3b4c5d`), which
works from any directory. The same cwd is what `--mount <its parent> <its name>` gives, so
those launches and the menu under that `--mount` share the group.
"""

from ..core.slugs import session_slug
from ..edges.here_folder import say_seen
from ..edges.session_groups import listings
from .menu_entries import annotation

_SESSION_FLAGS = ("--session",)  # pi's "open this one" (`--session-id` names a new one)


def here_cwd(args, ctx) -> tuple[str, tuple[str, ...]]:
    """(-w, pi's args): always the folder's `/work/<name>`; a conversation id anon-pi resolves
    (the target `--session <id>`, or pi's `--session <id>` after the folder) becomes its full
    id, so pi opens exactly that file."""
    from .session_files import find_one

    pi_args = list(args.pi_args)
    at = 1 if args.session_id else next(
        (i + 1 for i, a in enumerate(pi_args[:-1]) if a in _SESSION_FLAGS), None)
    if at is not None:
        typed = args.session_id or pi_args[at]
        found = find_one(ctx.ws.home(ctx.machine), typed, ctx.machine, True)
        pi_args[at] = found.session_id
    return ctx.here.target, tuple(pi_args)


def say_what_jail_sees(io, ctx, plan, always: bool) -> None:
    """For a dry run and for the first launch on the folder on this machine (no conversation
    of its cwd yet): what the jail sees, and which machines hold its conversations."""
    slug = session_slug(plan.cwd)
    groups = listings(io, ctx.ws, ctx.machine)
    if always or slug not in groups.get(ctx.machine, ()):
        say_seen(io, ctx.here, annotation(slug, groups, ctx.machine).strip())
