"""`anon-pi egress` in words: a session's names looked up and connections made. Pure.

Every name, address and reason here was recorded from what the jail asked: each is shown
escaped, never raw."""

from .egress_log import Session, size_text
from .shown import shown
from .socks5 import target_label


def _times(count: int) -> str:
    return f" ({count}x)" if count > 1 else ""


def header(session: Session) -> str:
    start, end = session.start, session.end
    place = shown(start.get("machine") or "?")
    project = start.get("project")
    if project:
        place += f", project {shown(project)}"
    if end:
        ended = f"exit {end['code']}" if end.get("code") is not None else "ended"
    else:
        ended = "no end recorded (still running, or anon-pi was killed)"
    return (f"session {shown(session.id)}  {shown(start.get('time') or '?')}  machine {place}"
            f"  {shown(start.get('web') or '?')}  ({ended})")


def session_lines(session: Session) -> list[str]:
    lines = [header(session)]
    if not session.lookups and not session.connections:
        return [*lines, "  nothing asked"]
    if session.lookups:
        lines.append("  names looked up:")
        for row in session.lookups:
            verdict = "" if row["allowed"] else f"  REFUSED: {shown(row.get('reason', ''))}"
            lines.append(f"    {shown(row['name'])} {shown(row['type'])}"
                         f"{_times(row['count'])}{verdict}")
    if session.connections:
        lines.append("  connections:")
        for row in session.connections:
            where = shown(target_label(row["target"], row["port"]))
            if row["allowed"]:
                lines.append(f"    {where}{_times(row['count'])}  {size_text(row['up'])} out, "
                             f"{size_text(row['down'])} in")
            else:
                lines.append(f"    {where}{_times(row['count'])}  REFUSED: "
                             f"{shown(row.get('reason', ''))}")
    return lines
