"""`run`, `start` and `verify`: the verbs that stand up a jail, after their argv was accepted.

netcage's order is fixed and the transcripts record where each call stopped:
1. the preflight: one TCP connect to the proxy, else exit 1 "unreachable at startup";
2. (`start`) the name must be a netcage tool container (see managed.py);
3. the `netcage-dns` helper the sidecar mounts: NETCAGE_DNS_BIN, else beside the netcage binary
   (symlinks resolved), else on PATH;
4. (`start`) reconcile: the sidecar's baked PROXY / TUN_EXCLUDED_ROUTES / EXTRA_COMMANDS must be
   what these flags would bake (sidecar.py), else the jail would silently change;
5. the sidecar: `podman run -d ...` (`run`) or `podman start <sidecar>` then netcage's check of
   the sidecar's firewall (`start`);
6. the tool itself. An ephemeral jail (`--rm`) is torn down (`podman rm -f -i` tool, then
   sidecar) whatever happened after step 4; a kept one is left as it is.

Podman 4.3.1 (the tests' podman) cannot start the sidecar (it has no pasta options), so with
real podman a `run` ends at step 5 with podman's own error, exactly as recorded, and a `start`
ends at the firewall check (the test sidecars are busybox, without iptables). The stand-in goes
no further: with a podman that can start the sidecar it removes it and says so. In the
podman-free mode steps 2, 4 and 5 are skipped and the harness's script plays the tool
(canned.py). `verify` dials public addresses by design; the stand-in only ever plays its
scripted answer.
"""
import json
import os
import shutil
import sys
import time

from . import canned, sidecar
from .gostr import quote as _q
from .jail_argv import parse_jail_argv
from .managed import require_managed, sidecar_name, tool_name
from .outcome import failed, refused
from .podman import podman
from .proxy import dial_error

HELPER_MISSING = ("netcage-dns helper not found (set NETCAGE_DNS_BIN, place it next to the "
                  "netcage binary, or install it on PATH)")
BEYOND = ("the stand-in netcage stops here: podman started the tun2socks sidecar, and what a "
          "real jail does next is not modelled (removed it again)")


def preflight(proxy) -> None:
    err = dial_error(proxy)
    if err:
        raise failed(f"proxy {proxy.address} is unreachable at startup: {err} (refusing to run: "
                      "netcage fails closed, it never leaks to the host network)")


def dns_helper() -> str | None:
    if os.environ.get("NETCAGE_DNS_BIN"):
        return os.environ["NETCAGE_DNS_BIN"]
    beside = os.path.join(os.path.dirname(os.path.realpath(sys.argv[0])), "netcage-dns")
    if os.path.isfile(beside):
        return beside
    return shutil.which("netcage-dns")


def run_verb(args, gen, real: bool) -> int:
    req = parse_jail_argv("run", args, os.environ, gen)
    preflight(req.proxy)
    helper = dns_helper()
    if helper is None:
        raise refused("run", HELPER_MISSING)
    if not real:
        status = canned.answer(*canned.stems("run", args))
        if status is None:
            status = canned.streamed_run()
        return canned.linger() if status is None else status
    run_id = str(time.time_ns())
    try:
        res = podman(*sidecar.run_args(run_id, req.proxy, req.holes, helper))
        if res.code != 0:
            raise refused("run", f"start tun2socks sidecar: {res.failure}")
        req.rm = True  # never leave a live tun2socks sidecar behind
        raise refused("run", BEYOND)
    finally:
        if req.rm:
            _teardown(run_id)


def start_verb(args, gen, real: bool) -> int:
    req = parse_jail_argv("start", args, os.environ, gen)
    preflight(req.proxy)
    name = req.positionals[0]
    if not real:
        if dns_helper() is None:
            raise refused("start", HELPER_MISSING)
        status = canned.answer(*canned.stems("start", args))
        return canned.linger() if status is None else status
    run_id = _resolve_tool(name)
    if dns_helper() is None:
        raise refused("start", HELPER_MISSING)
    _reconcile(run_id, req)
    try:
        res = podman("start", sidecar_name(run_id))
        if res.code != 0:
            raise refused("start", f"revive tun2socks sidecar: {res.failure}")
        res = podman("exec", sidecar_name(run_id), "iptables", "-S", "OUTPUT")
        if res.code != 0:
            raise refused("start", "verify firewall after reviving sidecar: probe iptables "
                          f"OUTPUT chain: {res.failure}")
        raise refused("start", BEYOND.replace("started the tun2socks sidecar", "revived the "
                                              "sidecar and its firewall answered"))
    finally:
        if req.rm:
            _teardown(run_id)


def verify_verb(args, gen) -> int:
    req = parse_jail_argv("verify", args, os.environ, gen)
    preflight(req.proxy)
    status = canned.answer(*canned.stems("verify", args))
    return canned.linger() if status is None else status


def _resolve_tool(name: str) -> str:
    """`start` takes the TOOL of a netcage pair (it revives the sidecar with it)."""
    labels = require_managed("start", name, refusing="start", podman_error=True)
    if labels.role != "tool":
        raise refused("start", f"{_q(name)} is a netcage {labels.role}, not a tool container; "
                      "`netcage start` takes the TOOL container name (it revives the tool + its "
                      "sidecar)")
    if not labels.run_id:
        raise refused("start", f"{_q(name)} is netcage-managed but carries no run id label "
                      "(netcage.run-id); cannot resolve its sidecar")
    return labels.run_id


def _reconcile(run_id: str, req) -> None:
    name = sidecar_name(run_id)
    res = podman("inspect", "--format", "{{json .Config.Env}}", name)
    if res.code != 0:
        raise refused("start", "inspect the container's baked jail config (sidecar "
                      f"{name}): {res.failure}")
    try:
        env = json.loads(res.out)
    except ValueError as exc:
        raise refused("start", f"parse the sidecar {name} env (inspect json): {exc}") from None
    baked = {}
    for item in env or []:
        key, _, value = item.partition("=")
        if key in ("PROXY", "TUN_EXCLUDED_ROUTES", "EXTRA_COMMANDS"):
            baked[key] = value
    want = sidecar.baked_env(req.proxy, req.holes)
    diffs = []
    if want["PROXY"] != baked.get("PROXY", ""):
        diffs.append("proxy")
    if any(want[k] != baked.get(k, "") for k in ("TUN_EXCLUDED_ROUTES", "EXTRA_COMMANDS")):
        diffs.append("allowlist/firewall")
    if diffs:
        raise refused("start", "this container was jailed with a different proxy/allowlist "
                      f"({' + '.join(diffs)} differs); remove it and run again, or start it with "
                      "the same jail config")


def _teardown(run_id: str) -> None:
    """An ephemeral jail leaves nothing behind: the tool, then the sidecar, removed."""
    problems = []
    for name in (tool_name(run_id), sidecar_name(run_id)):
        res = podman("rm", "-f", "-i", name)
        if res.code != 0:
            problems.append(f"removing {name}: {res.failure}")
    if problems:
        sys.stderr.write(f"netcage: teardown: jail teardown left residue: {'; '.join(problems)}\n")

