"""After an interactive pi session: the anon-pi command that resumes the conversation.

pi ends with `To resume this session: pi --session <uuid>`, a command that does not exist on
the host (pi runs in the jail). So an interactive pi launch waits for netcage instead of
becoming it, then finds the conversation that session wrote (in the machine's store, the
folder of the cwd it ran in, changed since the launch) and prints the command that reopens it
with the id's shortest unique form. The store is the jail's writing: nothing is followed
through a link, and an id that is not in pi's id alphabet is not offered as a command.
"""

import os

from ..core.shown import shown
from ..core.slugs import session_slug
from ..edges import netcage_child
from .session_files import session_files
from .session_ids import short_forms, typeable


def run_then_offer_resume(io, args: list[str], tmpdir: str | None, *, home, cwd: str,
                          resumed: str | None, flags: list[str]) -> int:
    """netcage's status, after the resume line (when there is a conversation to resume).
    `resumed`: the full id a `--session` launch opened; `flags`: the launch flags the
    command needs again to find it (`-m <machine>`, `--mount <folder>`)."""
    started = io.now()
    code = netcage_child.run_foreground(io, args, tmpdir=tmpdir)
    line = resume_line(home, cwd, started, resumed, flags)
    if line:
        io.stderr.write(line)
        io.stderr.flush()
    return code


# The kernel stamps a file's mtime from its coarse clock, up to one tick (at most 10 ms)
# behind the clock `started` is read from: a file written just after the launch started can
# carry an mtime a few milliseconds before it.
MTIME_LAG = 0.010


def _changed_since(path, started: float) -> float | None:
    try:
        mtime = os.lstat(path).st_mtime
    except OSError:
        return None
    return mtime if mtime >= started - MTIME_LAG else None


def resume_line(home, cwd: str, started: float, resumed: str | None,
                flags: list[str]) -> str | None:
    """`anon-pi: resume this conversation: anon-pi [flags] --session <form>`, or None."""
    every = session_files(home)
    folder = session_slug(cwd)
    written = [(mtime, f.session_id) for f in every if f.path.parent.name == folder
               and (mtime := _changed_since(f.path, started)) is not None]
    chosen = max(written)[1] if written else resumed
    if chosen is None or not typeable(chosen):
        return None
    form = short_forms(f.session_id for f in every)(chosen) if any(
        f.session_id == chosen for f in every) else chosen
    command = " ".join(["anon-pi", *flags, "--session", form])
    return f"anon-pi: resume this conversation with `{shown(command)}`\n"
