"""`anon-pi egress [<project>] [-m <machine>] [--session <id>] [--json]`: what left the jails.

Reads the egress logs each launch's relay wrote (edges/egress_files.py), newest session
first, and shows per session the names looked up and the connections made, refusals
included (core/egress_view.py)."""

from ..core.egress_log import as_json, session_from
from ..core.egress_view import session_lines
from ..core.errors import AnonPiError
from ..core.jsonfmt import document
from ..core.names import quoted
from ..core.shown import shown_json
from ..edges import terminal
from ..edges.egress_files import machines_logged, read_records, session_files
from ..edges.workspace import Workspace


def main(args, io) -> int:
    ws = Workspace.from_env(io.env)
    machines = [args.machine] if args.machine else machines_logged(ws.root)
    found = []
    for machine in machines:
        for path in session_files(ws.root, machine):
            ident = path.name[:-len(".jsonl")]
            if args.session and not ident.startswith(args.session):
                continue
            session = session_from(ident, read_records(path))
            if args.project and session.start.get("project") != args.project:
                continue
            found.append(session)
    found.sort(key=lambda s: s.id, reverse=True)
    if args.session and not found:
        raise AnonPiError(f"no egress session {quoted(args.session)}.",
                          "`anon-pi egress` lists them, newest first")
    if args.json:
        io.stdout.write(shown_json(document({"sessions": [as_json(s) for s in found]})))
        return 0
    if not found:  # an empty listing: nothing on stdout (a script reads no rows), a note
        terminal.note(io, "no egress recorded yet: each launch records what its jail asks for "
                      f"under {ws.root}/egress")
        return 0
    out = []
    for session in found:
        out += [*session_lines(session), ""]
    io.stdout.write("\n".join(out[:-1]) + "\n")
    return 0
