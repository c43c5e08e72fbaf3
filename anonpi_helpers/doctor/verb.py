"""`anon-pi doctor`: gather the facts (PATH, netcage, sockets, files), let doctor_checks judge.

Read-only: it never creates the workspace or changes a file in it.
"""

import os
import socket
import sys
import time
from pathlib import Path

from ..core.addresses import host_port_key, split_host_port
from ..core.errors import AnonPiError
from ..core.host_identity import netcage_temp_dir
from ..core.isolation import resolve_isolation
from ..core.jsonfmt import loads_object
from ..core.netcage_version import hole_flag
from ..core.resolve import (
    resolve_image,
    resolve_llm,
    resolve_machine,
    resolve_projects_root,
    resolve_proxy,
)
from ..core.socks_reply import GREETING
from ..core.verbs import unknown_option
from ..edges import image_store, jail_paths, netcage
from ..edges.terminal import colour_on
from ..edges.workspace import Workspace, mount_problem, user_home
from .checks import (
    Check,
    as_json,
    exit_code,
    greeting_check,
    image_check,
    llm_check,
    mount_check,
    netcage_check,
    podman_check,
    proxy_check,
    reach_check,
    render,
    workspace_check,
)
from .jail_view import Mount, mount_rows, proxy_row, temp_row

DOCTOR_HELP = """\
Usage: anon-pi doctor [--json]

Check what a launch needs, one line each (`ok`, `FAIL` + a `fix:` line, or `warn`):
netcage on PATH and its version, podman on PATH, the proxy (set, socks5h://, answers a
SOCKS5 greeting, the URL netcage gets with stream isolation, password masked), the llm (set,
allowed, reachable over TCP), the default machine's image (pinned and in netcage's
image store), the workspace (writable, its JSON files readable), and what the jail will see:
every mount source as the kernel resolves it and netcage's temp folder, with a warning and
the fix for each that shows your login name or home path. Exit 0 unless something FAILed.
--json prints one JSON document instead: {"ok": <nothing failed>, "checks": [{"status",
"name", "detail", "fix"}]} (same exit code).
"""
CONNECT_TIMEOUT = 2.0
QUIET_GAP = 0.6  # stop reading after this much silence (init's probe uses the same)
READ_CAP = 2.1
JSON_FILES = ("config.json", "models.json", "settings-seed.json")
MACHINE_JSON_FILES = ("machine.json", "models.json", "settings-seed.json")


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        sys.stdout.write(DOCTOR_HELP)
        return 0
    extra = [a for a in argv if a != "--json"]
    if extra:
        raise AnonPiError(unknown_option(extra[0], ("--json",)) if extra[0].startswith("-")
                          else f"doctor takes no arguments, got: {' '.join(extra)}",
                          "see `anon-pi doctor --help`")
    checks = run_checks(os.environ)
    if argv:
        sys.stdout.write(as_json(checks))
        return exit_code(checks)
    colour = colour_on(sys.stdout)
    for check in checks:
        sys.stdout.write(render(check, colour))
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


def _images() -> tuple[list | None, str | None]:
    """netcage's store (one query): (images, None) or (None, the error line's text)."""
    try:
        return image_store.images(), None
    except AnonPiError as exc:
        return None, exc.message


def _read(reader, *args) -> dict | None:
    """A corrupt file is the workspace check's finding; other checks go on without it."""
    try:
        return reader(*args)
    except AnonPiError:
        return None


def run_checks(env) -> list[Check]:
    ws = Workspace.from_env(env)
    config = _read(ws.read_config)
    found = netcage.path()
    version = netcage.ask_version()  # never the launch's cache: doctor checks the binary now
    flag = hole_flag(version)
    checks = [netcage_check(found, version), podman_check(netcage.on_path("podman"))]

    proxy = resolve_proxy(env, config)
    checks.append(proxy_check(proxy))
    good_proxy = proxy if checks[-1].status == "ok" else None
    if good_proxy:
        checks.append(greeting_check(good_proxy, *socks_greeting(good_proxy)))
        checks.append(_effective_proxy(good_proxy, env, config))

    llm = resolve_llm(env, config)
    verdict, normal = llm_check(llm, flag, good_proxy)
    checks.append(verdict)
    if normal:
        checks.append(reach_check(normal, tcp_reach(normal)))

    try:
        machine = resolve_machine(None, config)
    except AnonPiError as exc:
        checks.append(Check("FAIL", "image", exc.message, "fix `defaultMachine` in config.json"))
        machine = None
    if machine:
        machine_cfg = _read(ws.read_machine, machine)
        ref = resolve_image(None, machine_cfg, env)
        out, err = None, None
        if ref and found and version is not None:
            out, err = _images()
        if not ref or (found and version is not None):
            checks.append(image_check(machine, ref, out, err))

    checks.append(workspace_check(str(ws.root), _write_error(ws.root), _bad_json(ws)))
    if machine:
        login, home = jail_paths.login_name(env), user_home(env)
        checks.append(mount_check(mount_problem(
            ws.root, projects=_projects_root(ws, machine_cfg, config, env),
            home=str(ws.home(machine)))))
        checks += mount_rows(jail_mounts(ws, machine, machine_cfg, config, env), login, home)
        checks.append(_temp_row(env))
    return checks


def _effective_proxy(proxy: str, env, config) -> Check:
    try:
        level = resolve_isolation(env, config)
        machine = resolve_machine(None, config)
    except AnonPiError as exc:
        return Check("FAIL", "proxy (effective)", exc.message, exc.hint)
    return proxy_row(proxy.strip(), level, machine)


def _temp_row(env) -> Check:
    return temp_row(netcage_temp_dir(env), jail_paths.planned_tmp(env))


def _projects_root(ws: Workspace, machine_cfg, config, env) -> str | None:
    try:
        return resolve_projects_root(mount=None, env=env, machine_cfg=machine_cfg,
                                     config=config, workspace=str(ws.root),
                                     home=user_home(env), cwd=os.getcwd())
    except AnonPiError:
        return None


def jail_mounts(ws: Workspace, machine: str, machine_cfg, config, env) -> list[Mount]:
    """The default launch's -v sources, each as the kernel will resolve it."""
    root = _projects_root(ws, machine_cfg, config, env)
    pairs = [("/root", str(ws.home(machine)))] + ([("/projects", root)] if root else [])
    for target, seed in (("/anon-pi-seed/models.json", ws.models_seed(machine)),
                         ("/anon-pi-seed/settings.json", ws.settings_seed(machine))):
        if seed:
            pairs.append((target, str(seed)))
    inside = str(ws.root).rstrip("/") + "/"
    return [Mount(t, jail_paths.kernel_source(src), src.startswith(inside)) for t, src in pairs]
