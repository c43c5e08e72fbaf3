"""The egress log's records and the sessions `anon-pi egress` shows from them. Pure.

One JSON object a line, one file per machine and launch (`egress/<machine>/<session>.jsonl`
in the workspace, which no jail mounts). Every name and address in it is what the jail
asked: whoever prints it shows it escaped.

  {"event": "start", "time", "machine", "project", "web", "upstream"}
  {"event": "dns", "time", "name", "type", "allowed", "reason"?}
  {"event": "connect", "time" (when it began), "target", "port", "allowed", "reason"?,
   "up", "down"} (written when it ends)
  {"event": "end", "time", "code"}
"""

import time as _time
from collections import namedtuple

MAX_LINE = 1 << 16  # a longer line in a log is not a record the relay wrote


def stamp(now: float) -> str:
    """UTC, to the millisecond: `2026-12-07T16:20:01.123Z`."""
    whole = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(now))
    return f"{whole}.{int(now * 1000) % 1000:03d}Z"


def session_id(now: float, suffix: str) -> str:
    """A launch's log name: sortable by time to the microsecond (two launches in one second
    still list newest first), unique by `suffix` (a few random hex digits)."""
    micro = min(int((now % 1) * 1_000_000), 999_999)
    return _time.strftime("%Y%m%dT%H%M%S", _time.gmtime(now)) + f".{micro:06d}Z-" + suffix


def start_record(now, machine, project, web_text, upstream) -> dict:
    return {"event": "start", "time": stamp(now), "machine": machine, "project": project,
            "web": web_text, "upstream": upstream}


def dns_record(now, name: str, qtype: str, refused: str | None) -> dict:
    out = {"event": "dns", "time": stamp(now), "name": name, "type": qtype,
           "allowed": refused is None}
    if refused is not None:
        out["reason"] = refused
    return out


def connect_record(now, host: str, port: int, refused: str | None, up: int, down: int) -> dict:
    out = {"event": "connect", "time": stamp(now), "target": host, "port": port,
           "allowed": refused is None, "up": up, "down": down}
    if refused is not None:
        out["reason"] = refused
    return out


def end_record(now, code: int | None) -> dict:
    return {"event": "end", "time": stamp(now), "code": code}


Session = namedtuple("Session", ["id", "start", "end", "lookups", "connections"])


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def session_from(ident: str, records: list) -> Session:
    """A session's records as `anon-pi egress` shows them: names looked up (each once, with
    how often and whether refused) and connections (per target and verdict, bytes summed).
    A record of a shape the relay never writes is skipped."""
    start, end = {}, {}
    lookups: dict[tuple, dict] = {}
    connections: dict[tuple, dict] = {}
    for rec in records:
        if not isinstance(rec, dict):
            continue
        event = rec.get("event")
        if event == "start":
            start = {k: _text(rec.get(k)) for k in ("time", "machine", "project", "web")}
            upstream = rec.get("upstream")
            start["upstream"] = upstream if isinstance(upstream, str) else None
        elif event == "end":
            end = {"time": _text(rec.get("time")),
                   "code": rec.get("code") if isinstance(rec.get("code"), int) else None}
        elif event == "dns":
            key = (_text(rec.get("name")), _text(rec.get("type")), rec.get("allowed") is True)
            row = lookups.setdefault(key, {"name": key[0], "type": key[1], "allowed": key[2],
                                           "count": 0, "first": _text(rec.get("time"))})
            row["count"] += 1
            if not key[2]:
                row["reason"] = _text(rec.get("reason"))
        elif event == "connect":
            port = _count(rec.get("port"))
            key = (_text(rec.get("target")), port, rec.get("allowed") is True)
            row = connections.setdefault(key, {"target": key[0], "port": port,
                                               "allowed": key[2], "count": 0, "up": 0,
                                               "down": 0, "first": _text(rec.get("time"))})
            row["count"] += 1
            row["up"] += _count(rec.get("up"))
            row["down"] += _count(rec.get("down"))
            if not key[2]:
                row["reason"] = _text(rec.get("reason"))
    def in_order(rows):  # by when each was first asked (a connection is logged at its end)
        return sorted(rows, key=lambda row: row["first"])

    return Session(ident, start, end, in_order(lookups.values()),
                   in_order(connections.values()))


def as_json(session: Session) -> dict:
    return {"session": session.id, **session.start, "ended": session.end or None,
            "lookups": session.lookups, "connections": session.connections}


def size_text(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024:
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"
