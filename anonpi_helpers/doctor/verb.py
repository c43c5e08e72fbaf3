"""`anon-pi doctor`: gather the facts (PATH, netcage, podman, the host, sockets, files), let
the pure check modules judge. Read-only: it never creates the workspace or changes a file.
"""

import os
import socket
import time
from pathlib import Path

from ..core.addresses import host_port_key, split_host_port
from ..core.errors import AnonPiError
from ..core.image_store import OWN_STORE_HINT
from ..core.isolation import resolve_isolation
from ..core.jsonfmt import loads_object
from ..core.netcage_version import hole_flag
from ..core.resolve import (
    resolve_image,
    resolve_llm,
    resolve_machine,
    resolve_proxy,
)
from ..core.socks_reply import GREETING
from ..edges import image_store, netcage
from ..edges.proxy_owner import SQUATTER_FIX, squatter_problem
from ..edges.terminal import colour_on
from ..edges.workspace import Workspace
from .checks import (
    Check,
    as_json,
    exit_code,
    greeting_check,
    image_check,
    llm_check,
    netcage_check,
    proxy_check,
    reach_check,
    render_all,
    workspace_check,
)
from .host_rows import config_row, podman_rows
from .jail_rows import jail_rows
from .jail_view import proxy_row
from .store_checks import OWN_IMAGES, netcage_images_check

CONNECT_TIMEOUT = 2.0
QUIET_GAP = 0.6  # stop reading after this much silence (init's probe uses the same)
READ_CAP = 2.1
JSON_FILES = ("config.json", "models.json", "settings-seed.json")
MACHINE_JSON_FILES = ("machine.json", "models.json", "settings-seed.json")


def main(line, io) -> int:
    """`line`: the parsed `doctor [--here] [--json]` command line; `io`: the run's context
    (core/io_context.py), whose environment and folder are what doctor checks."""
    checks = run_checks(io, here=line.here)
    if line.json:
        io.stdout.write(as_json(checks))
        return exit_code(checks)
    io.stdout.write(render_all(checks, colour_on(io, io.stdout)))
    return exit_code(checks)


def _address(value: str) -> tuple[str, int | None]:
    host, port = split_host_port(host_port_key(value))
    return host.strip("[]"), port


def socks_greeting(value: str) -> tuple[bytes | None, str | None]:
    """Send `05 01 00`; read until 2 bytes, close, 600 ms of silence or 2.1 s in all."""
    host, port = _address(value)
    try:
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        return None, exc.strerror or str(exc) or type(exc).__name__
    data = b""
    with sock:
        try:
            sock.sendall(GREETING)
            deadline = time.monotonic() + READ_CAP
            while len(data) < 2 and time.monotonic() < deadline:
                sock.settimeout(min(QUIET_GAP, max(deadline - time.monotonic(), 0.01)))
                chunk = sock.recv(64)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass  # silence or a reset: judge what arrived
    return data, None


def tcp_reach(llm: str) -> str | None:
    host, port = _address(llm)
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__
    return None


def _write_error(root: Path) -> str | None:
    """Probe with a temp file that is removed at once; a missing root needs a writable parent."""
    if not root.exists():
        parent = next(p for p in root.parents if p.exists())
        return None if os.access(parent, os.W_OK | os.X_OK) else f"cannot create it in {parent}"
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=".doctor.", dir=root)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _bad_json(ws: Workspace) -> list[str]:
    files = [ws.root / n for n in JSON_FILES]
    if ws.machines_dir.is_dir():
        for machine in sorted(ws.machines_dir.iterdir()):
            files += [machine / n for n in MACHINE_JSON_FILES]
    bad = []
    for f in files:
        try:
            loads_object(f.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            continue
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            bad.append(str(f))
    return bad


def _read(reader, *args) -> dict | None:
    """A corrupt file is the workspace check's finding; other checks go on without it."""
    try:
        return reader(*args)
    except AnonPiError:
        return None


def run_checks(io, here: bool = False) -> list[Check]:
    """Every check of `io.env`'s setup; `here`: also what a launch on `io.cwd` (`--here`)
    mounts."""
    env = io.env
    ws = Workspace.from_env(env)
    config = _read(ws.read_config)
    found = netcage.path(io)
    version = netcage.ask_version(io)  # never the launch's cache: doctor checks the binary now
    netcage.remember_version(io, version)  # ... and the launches may then trust this answer
    flag = hole_flag(version)
    podman = netcage.on_path("podman", env)
    checks = [netcage_check(found, version), config_row(env, flag), *podman_rows(io, podman)]

    web, web_row = _web(ws, config)
    proxy = resolve_proxy(env, config)
    if proxy is None and web is not None and not web.needs_upstream:
        checks.append(Check("ok", "proxy", "none, and none needed: no web (web: none)"))
    else:
        checks.append(proxy_check(proxy))
    good_proxy = proxy if checks[-1].status == "ok" and proxy is not None else None
    if good_proxy:
        checks.append(greeting_check(good_proxy, *socks_greeting(good_proxy)))
        squatted = squatter_problem(good_proxy)
        if squatted:
            checks.append(Check("FAIL", "proxy owner", squatted, SQUATTER_FIX))
        checks.append(_effective_proxy(good_proxy, env, config))

    checks.append(web_row)
    llm = resolve_llm(env, config)
    verdict, normal = llm_check(llm, flag, good_proxy)
    checks.append(verdict)
    if normal:
        checks.append(reach_check(normal, tcp_reach(normal)))

    netcage_works = bool(found and version is not None)
    machine_error = None
    try:
        machine = resolve_machine(None, config)
    except AnonPiError as exc:
        machine_error = Check("FAIL", "image", exc.message, "fix `defaultMachine` in config.json")
        machine = None
    machine_cfg = _read(ws.read_machine, machine) if machine else None
    pins = [(name, resolve_image(None, machine_cfg if name == machine
                                 else _read(ws.read_machine, name), env))
            for name in _machines(ws, machine)]
    # one podman lookup per ref, all at once: the store finds a ref exactly as a launch will
    store = image_store.lookups(io, [*OWN_IMAGES, *(ref for _, ref in pins if ref)]
                                ) if netcage_works else {}
    if netcage_works:
        unusable = image_store.access_problem(io)
        if unusable:
            checks.append(Check("FAIL", "netcage store", unusable, OWN_STORE_HINT))
        checks.append(netcage_images_check(store, image_store.root(env), good_proxy))
    if machine_error:
        checks.append(machine_error)
    for name, ref in pins:
        if not ref or netcage_works:
            checks.append(image_check(name, ref, store.get(ref), default=name == machine))

    checks.append(workspace_check(str(ws.root), _write_error(ws.root), _bad_json(ws)))
    if machine:
        checks += jail_rows(io, ws, machine, machine_cfg, config, here=here)
    return checks


def _machines(ws: Workspace, default: str | None) -> list[str]:
    """The default machine first, then every other machine folder with a valid name."""
    from ..core.names import check_name

    others = []
    if ws.machines_dir.is_dir():
        for entry in sorted(ws.machines_dir.iterdir()):
            try:
                name = check_name(entry.name, "machine")
            except AnonPiError:
                continue
            if name != default and entry.is_dir():
                others.append(name)
    return ([default] if default else []) + others


def _web(ws: Workspace, config: dict | None):
    """(the default machine's web policy or None, its row): what a launch lets out."""
    from ..core.web_policy import resolve_web

    try:
        machine = resolve_machine(None, config)
        web = resolve_web(None, _read(ws.read_machine, machine), config)
    except AnonPiError as exc:
        return None, Check("FAIL", "web", exc.message, exc.hint)
    if not web.needs_upstream:
        detail = "no web: each launch's relay refuses everything the jail asks for"
    else:
        detail = f"{web.describe()} (each launch's relay carries and logs it: `anon-pi egress`)"
    return web, Check("ok", "web", detail)


def _effective_proxy(proxy: str, env, config) -> Check:
    try:
        level = resolve_isolation(env, config)
        machine = resolve_machine(None, config)
    except AnonPiError as exc:
        return Check("FAIL", "proxy (effective)", exc.message, exc.hint)
    return proxy_row(proxy.strip(), level, machine)
