"""Builders for `netcage ps` / `ports` / `images` answers used by the forward, ports and image
tests (real podman field shapes, see tests/fixtures/podman-4.3.1)."""

import json

from conftest import FIXTURES

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


def listeners_json(*items) -> str:
    """items: (address, port, loopbackOnly) tuples."""
    return json.dumps([{"address": a, "port": p, "loopbackOnly": lo} for a, p, lo in items])


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


BOX_REF = "a" * 64


def box_entry(ref, name, state="exited", machine="default", cwd="/projects/recon",
              image="localhost/anon-pi/pi:latest"):
    """A `ps -a` entry of a durable box (`anon-pi.container=<name>`); image None: not listed."""
    entry = ps_entry(ref, machine=machine, cwd=cwd, state=state)
    entry["Labels"]["anon-pi.container"] = name
    if image is not None:
        entry["Image"] = image
    return entry
