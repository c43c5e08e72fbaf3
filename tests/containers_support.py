"""Builders for `netcage ps` / `ports` / `images` answers used by the forward, ports and image
tests (real podman field shapes, see tests/fixtures/podman-4.3.1)."""

import hashlib
import json

from harness_paths import FIXTURES

from anonpi_helpers.core.identity import Identity, encode

PS = ["ps", "--filter", "label=netcage.managed", "--format", "json"]


def key(machine="default", cwd="/projects/alpha", root="/ws/projects", mount=""):
    return encode(Identity(machine, root, mount, cwd))


def ps_entry(ref, machine="default", cwd="/projects/alpha", name=None, state="running",
             labels=None):
    return {
        "Id": ref,
        "Names": [name or f"name_{ref[:4]}"],
        "State": state,
        "Labels": labels if labels is not None else {
            "anon-pi.key": key(machine, cwd), "netcage.managed": "true"},
    }


def ps_json(*entries) -> str:
    return json.dumps(list(entries), indent=2)


def forwarding(ref: str, token: str, bind: str = "127.0.0.1") -> str:
    """What real netcage's `forward` prints on stdout once it listens (every generation)."""
    host, _, jail = token.rpartition(":")
    return (f"forwarding http://{bind}:{host or jail} -> {ref}:{jail} (Ctrl-C to stop)\n")


def listeners_json(*items) -> str:
    """items: (address, port, loopbackOnly) tuples."""
    return json.dumps([{"address": a, "port": p, "loopbackOnly": lo} for a, p, lo in items])


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


BOX_REF = "a" * 64


def box_token(name: str) -> str:
    """The token a test's box carries and its record holds (any 32 hex digits will do)."""
    return hashlib.md5(name.encode()).hexdigest()


def box_entry(ref, name, state="exited", machine="default", cwd="/projects/recon",
              image="localhost/anon-pi/pi:latest", token=None, run_id=None):
    """A `ps -a` entry of a durable box's tool container: its name and token labels, and the
    labels netcage gives a pair's tool; image None: not listed. Only a box whose record the
    test wrote (record_boxes) is one."""
    entry = ps_entry(ref, machine=machine, cwd=cwd, state=state)
    entry["Labels"].update({"anon-pi.container": name,
                            "anon-pi.container-token": token or box_token(name),
                            "netcage.role": "tool", "netcage.run-id": run_id or ref[:8]})
    if image is not None:
        entry["Image"] = image
    return entry


def sidecar_entry(ref, run_id, state="running"):
    """The sidecar of the pair whose run id is `run_id` (netcage's labels only)."""
    return {"Id": ref, "Names": [f"netcage-run-{run_id}-sidecar"], "State": state,
            "Labels": {"netcage.managed": "true", "netcage.role": "sidecar",
                       "netcage.run-id": run_id}}


def record_boxes(ws, *names, **tokens) -> None:
    """What `container create` records for each box, in workspace `ws` (a Path)."""
    folder = ws / "boxes"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        token = tokens.get(name) or box_token(name)
        (folder / f"{name}.json").write_text(json.dumps({"token": token}) + "\n")


def at_terminal(monkeypatch) -> None:
    """`program()` runs with a person at the terminal: the real context's `tty`, which is
    what every prompt and picker decision keys off (the prompts themselves the test fakes)."""
    from anonpi_helpers.edges import real_io

    monkeypatch.setattr(real_io, "_stdin_is_terminal", lambda: True)
