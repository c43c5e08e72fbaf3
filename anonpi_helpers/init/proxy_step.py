"""Step 1/4: find the user's SOCKS proxy from evidence, prove it with `netcage verify`."""

import os
import socket
import time

from ..core.addresses import host_port_key, split_host_port
from ..core.errors import AnonPiError
from ..core.jsonfmt import loads_any
from ..core.setup_traffic import LAUNCH_IMAGES, VERIFY_IMAGES, direct_pull_warning, verify_warning
from ..core.shown import shown
from ..core.socks_reply import GREETING, judge_reply, probe_targets
from ..edges import netcage, netcage_live
from ..edges.proxy_owner import SQUATTER_FIX, squatter_problem
from . import setup_pulls
from .exit_ip import parse_exit_ip
from .grammar import (
    CHOICE_HINT,
    parse_choice,
    parse_confirm,
    proxy_url,
    socks5_offer,
    socks5_refusal,
)
from .prompt import ask, confirm, say, warn
from .provider_labels import process_note
from .proxy_findings import Finding, from_detect_proxy, render

CONNECT_TIMEOUT = 0.6
IDLE_TIMEOUT = 0.6
REPLY_CAP = 2.1
USUAL_WAYS = """\
No SOCKS5 proxy answered on this host. The usual ways to start one:
  Tor        install tor and start it (`tor`, or `sudo systemctl start tor`): 127.0.0.1:9050
  ssh -D     `ssh -N -D 1080 <host>`: a SOCKS5 proxy on 127.0.0.1:1080 that leaves from <host>
  wireproxy  a WireGuard VPN as a SOCKS5 proxy (its config's [Socks5] BindAddress)
Start one, then press Enter to look again, or enter its host:port."""


def probe(host: str, port: int) -> Finding:
    """Connect (its own timeout), send `05 01 00`, judge what comes back."""
    try:
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    except OSError:
        return Finding(host, port, False)
    data = b""
    with sock:
        deadline = time.monotonic() + REPLY_CAP
        try:
            sock.sendall(GREETING)
            while len(data) < 2 and (left := deadline - time.monotonic()) > 0:
                sock.settimeout(min(IDLE_TIMEOUT, left))
                chunk = sock.recv(64)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    ok, reason = judge_reply(data)
    return Finding(host, port, True, ok, "" if ok else reason)


def running_process_names() -> list[str]:
    """Process names from /proc in pid order (no `ps` needed)."""
    names = []
    try:
        pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    except OSError:
        pids = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as fh:
                names.append(fh.read().strip())
        except OSError:
            continue
    return names


def gather_evidence(io) -> tuple[list[Finding], str | None, str | None]:
    """netcage's own detect-proxy when it answers, else a local probe of the usual ports.

    detect-proxy stands up a jail of its own for a SOCKS5 port it confirms, and a store
    without netcage's sidecar and alpine would have them pulled over the host's own network
    before any proxy is chosen: then anon-pi probes the ports itself (a handshake only)."""
    doc = None
    if setup_pulls.missing(io, LAUNCH_IMAGES) == []:
        try:
            res = netcage.query(io, ["detect-proxy", "--json"])
            doc = loads_any(res.out) if res.code == 0 and res.out.strip() else None
        except AnonPiError:  # netcage hung or could not start: probe ourselves
            pass
    findings, note, exit_ip = from_detect_proxy(doc)
    if findings:
        return findings, note, exit_ip
    targets = probe_targets(io.env.get("ANON_PI_SOCKS_PROBE"))
    return [probe(h, p) for h, p in targets], process_note(running_process_names()), None


def verify(io, url: str) -> bool:
    """True when netcage proved the proxy (or the user takes it unverified on purpose).

    First netcage's own images come through the proxy (the first launch, and verify's jail,
    then pull nothing directly). verify itself also asks a public service for this host's
    own address, directly: that is said first, and it runs only when the user agrees."""
    say(io, verify_warning())
    wanted = confirm(io, "Run netcage verify? [y/N]", False)
    refs = VERIFY_IMAGES if wanted else LAUNCH_IMAGES
    left = setup_pulls.missing(io, refs)
    left = setup_pulls.pull(io, list(refs) if left is None else left, url)
    if wanted and left:
        say(io, direct_pull_warning(left, "netcage verify"))
        wanted = confirm(io, "Run netcage verify anyway? [y/N]", False)
    if not wanted:
        say(io, f"Not verified: {shown(url)} answered the SOCKS5 handshake, but its exit is not "
                "proven.")
        return True
    say(io, f"Verifying via netcage: netcage verify --proxy {url}")
    code, text = netcage_live.run_echoed(io, ["verify", "--proxy", url])
    if code != 0:
        say(io, f"netcage verify FAILED for {url} (exit {'n/a' if code is None else code})")
        say(io, "Check that the proxy is running and reaches the internet, then pick again.")
        again = ask(io, f"Use {url} anyway, without a verified exit? [y/N]").lower()
        return again in ("y", "yes")
    ip = parse_exit_ip(text, split_host_port(host_port_key(url))[0])
    if ip:
        say(io, f"Exit IP (via the proxy, NOT your host): {ip}")
    else:
        say(io, "netcage verify passed, but no exit IP could be read from its output above.")
    return True


def choose(io, confirmed: list[str], current: str | None, offer: str | None = None) -> str | None:
    """The chosen proxy, or None when Enter asks to look again (nothing answered). Enter
    takes what there is to take: a socks5h:// offer for a refused socks5:// answer, the
    current proxy, or the one confirmed port."""
    keep = host_port_key(current) if current else None
    single = confirmed[0] if len(confirmed) == 1 else None
    while True:
        if confirmed:
            say(io, "SOCKS5-confirmed ports:")
            for i, key in enumerate(confirmed, 1):
                say(io, f"  [{i}] {key}")
        anchor = "Choose a number, or enter host:port"
        if offer:
            anchor += f" (or Enter for {offer})"
        elif keep:
            anchor += f" (or Enter to keep {keep})"
        elif single:
            anchor += f" (or Enter for {single})"
        elif not confirmed:
            anchor += " (or Enter to look again)"
        answer = ask(io, anchor)
        if offer and not answer:
            return offer
        if not answer and not keep and (single or not confirmed):
            return proxy_url(single) if single else None
        url = parse_choice(answer, confirmed, current)
        if url:
            return url
        offer = socks5_offer(answer)
        warn(io, socks5_refusal(answer, offer) if offer else CHOICE_HINT)


def look(io, quiet_if_none: bool) -> tuple[list[str], str | None]:
    """Probe, show the findings; the confirmed `host:port`s and the process note. With
    nothing confirmed (and nothing to keep) it names the usual ways to start a proxy."""
    say(io, "probing common SOCKS ports (evidence only)...")
    findings, note, exit_ip = gather_evidence(io)
    say(io, render(findings, note).rstrip("\n"))
    if exit_ip:
        say(io, f"netcage detect-proxy reports exit IP {exit_ip}; verify will check it.")
    confirmed = [f.key for f in findings if f.open and f.ok]
    if not confirmed and not quiet_if_none:
        say(io, USUAL_WAYS)
    return confirmed, note


def step(io, current: str | None) -> tuple[str, str | None]:
    """The proxy URL and detect-proxy's process note (the isolation step reads it)."""
    say(io, "Step 1/4 - proxy (all jail traffic leaves through it)")
    if current:
        say(io, f"current: {shown(current)}")
    offer = None
    if current and not proxy_url(current):
        offer = socks5_offer(current)
        warn(io, socks5_refusal(current, offer) if offer else
                 f"the stored proxy {shown(current)} is not a usable SOCKS5 host:port; enter "
                 "another.")
        current = None
    confirmed, note = look(io, quiet_if_none=bool(current or offer))
    while True:
        url = choose(io, confirmed, current, offer)
        offer = None
        if url is None:
            confirmed, note = look(io, quiet_if_none=False)
            continue
        squatted = squatter_problem(url)  # before anything (a pull, verify) goes through it
        if squatted:
            warn(io, f"anon-pi: {squatted}\n  hint: {SQUATTER_FIX}")
            continue
        if not verify(io, url):
            continue
        while (yes := parse_confirm(ask(io, f"Use {url} as your proxy? [Y/n]"))) is None:
            warn(io, "answer y (or Enter) to use it, n to pick another")
        if yes:
            return url, note
        say(io, "Pick another proxy.")
