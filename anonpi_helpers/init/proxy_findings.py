"""Proxy evidence as rows: map netcage's detect-proxy JSON (or the local probe), render lines."""

from dataclasses import dataclass

from ..core.shown import shown
from ..core.socks_reply import PORT_HINTS
from .provider_labels import scrub


@dataclass(frozen=True)
class Finding:
    """What probing the proxy found."""

    host: str
    port: int
    open: bool
    ok: bool = False
    reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.host}:{self.port}"


CLOSING = (
    "These are evidence only: a SOCKS proxy does not reveal who runs its exit, so none is\n"
    "claimed here. The verify step below shows the real exit IP."
)


def from_detect_proxy(doc) -> tuple[list[Finding], str | None, str | None]:
    """(findings, process note, exit IP) from `netcage detect-proxy --json` (schema 1 only)."""
    if not isinstance(doc, dict) or doc.get("schemaVersion") != 1:
        return [], None, None
    rows = doc.get("candidates")
    findings, note = [], None
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        port = row.get("port")
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            continue
        is_open = row.get("open") is True
        ok = is_open and row.get("socks5") is True
        reason = "" if ok or not is_open else "not SOCKS5"
        findings.append(Finding("127.0.0.1", port, is_open, ok, reason))
        hint = row.get("processHint")
        if note is None and isinstance(hint, str) and hint.strip():
            note = scrub(hint.strip())
    return findings, note, _ip_or_none(doc.get("exitIP"))


def _ip_or_none(value) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value.strip())) if isinstance(value, str) else None
    except ValueError:
        return None


def finding_line(f: Finding) -> str:
    if not f.open:
        status = "closed (no TCP connection)"
    elif f.ok:
        status = "open, SOCKS5 handshake OK"
    else:
        status = f"open, but NOT SOCKS5 ({f.reason})"
    hint = PORT_HINTS.get(f.port)
    return f"{f.key}: {status}" + (f" [{hint}]" if hint else "")


def render(findings: list[Finding], note: str | None) -> str:
    lines = [finding_line(f) for f in findings]
    if note:
        lines.append(f"Note: {shown(scrub(note))}")  # detect-proxy's text, not anon-pi's
    lines.append(CLOSING)
    return "\n".join(lines) + "\n"
