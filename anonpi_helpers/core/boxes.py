"""Durable boxes (`anon-pi container`): which containers are boxes, and how to re-enter one.

Pure. A box is a kept launch that anon-pi made: `container create` records a random token for
the name in the workspace (edges/box_records.py) and labels the container with both,
`anon-pi.container=<name>` and `anon-pi.container-token=<token>`. Real netcage names containers
itself and refuses `--name`, so the labels are how the container is found again; the record
is how it is believed. A label alone proves nothing: a container inherits every label of its
image, so each plain launch of an image snapshotted from a box (or of a base image someone
labelled) would otherwise be listed as that box, and `container rm <box> --yes` would end it.

A box is a pair, like every netcage run: the tool container (the one labelled) and its sidecar
(same `netcage.run-id`, role `sidecar`), which holds the jail's network. Both come from the
same `netcage ps -a`, so a listing can say when one runs without the other. netcage output is
untrusted: odd entries are skipped.

Boxes made before records existed carry the name label and no record. They are never taken
for boxes (a jail can forge labels; records are the proof), but they are named ("strays"), so
the user learns they exist, how to remove them, and why `create` will not reuse their name.
"""

import re
from collections import namedtuple
from collections.abc import Mapping

from .names import is_valid_name, quoted
from .ps_listing import key_identity, read_listing
from .run_plan import BOX_LABEL, BOX_TOKEN_LABEL

# every netcage container, sidecars included (real netcage adds its own
# `--filter label=netcage.managed=true`); one listing serves the boxes and their sidecars
LIST_ARGS = ["ps", "-a", "--format", "json"]
RUN_ID_LABEL = "netcage.run-id"
ROLE_LABEL = "netcage.role"
_TOKEN = re.compile(r"[0-9a-f]{32}")


class Box(namedtuple("Box", [
    "ref",
    "name",
    "ident",  # Identity, or None
    "image",  # None when the listing did not say
    "running",  # bool: the tool container
    "sidecar_running",  # bool, or None when the listing shows no sidecar for it
    "sidecar_ref",  # the sidecar's id, or None
], defaults=(None, None))):
    """One box: `ref` is what netcage gets (the tool container's id)."""

    __slots__ = ()

    @property
    def machine(self) -> str:
        return self.ident.machine if self.ident else ""

    @property
    def cwd(self) -> str:
        return self.ident.cwd if self.ident else ""

    @property
    def state(self) -> str:
        """The tool's state, and the sidecar's when it differs (a kept netcage run leaves
        its sidecar running after the tool exits; the jail is then not at rest)."""
        tool = "running" if self.running else "stopped"
        if self.sidecar_running is None or self.sidecar_running == self.running:
            return tool
        return f"{tool} (sidecar {'still running' if self.sidecar_running else 'stopped'})"

    @property
    def sidecar_state(self) -> str | None:
        if self.sidecar_running is None:
            return None
        return "running" if self.sidecar_running else "stopped"

    @property
    def jail_left_up(self) -> bool:
        """The tool exited but its sidecar still runs: what stopping the pair finishes."""
        return not self.running and bool(self.sidecar_running) and bool(self.sidecar_ref)


class Stray(namedtuple("Stray", ["name", "ref"])):
    """A kept container labelled as box `name` that no record vouches for (made by an anon-pi
    older than the records, or labelled by its image or by a jail): only ever named."""

    __slots__ = ()


class Listing(namedtuple("Listing", ["boxes", "strays"])):
    """One `netcage ps -a` read: the recorded boxes (sorted by name) and the strays."""

    __slots__ = ()


def is_token(value) -> bool:
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def box_name(labels, records: Mapping[str, str]) -> str | None:
    """The box a container is, when its labels name a valid box AND carry the token anon-pi
    recorded for that name; None for every other container, whatever its labels say."""
    if not isinstance(labels, dict):
        return None
    name, token = labels.get(BOX_LABEL), labels.get(BOX_TOKEN_LABEL)
    if not isinstance(name, str) or not is_valid_name(name) or not is_token(token):
        return None
    return name if records.get(name) == token else None


def _role(entry: dict) -> tuple[str | None, str | None]:
    labels = entry.get("Labels")
    if not isinstance(labels, dict):
        return None, None
    role, run_id = labels.get(ROLE_LABEL), labels.get(RUN_ID_LABEL)
    return (role if isinstance(role, str) else None,
            run_id if isinstance(run_id, str) and run_id else None)


def _sidecars(entries: list[dict]) -> dict[str, dict]:
    """Each run's sidecar entry by run id (netcage names one per run)."""
    found = {}
    for entry in entries:
        role, run_id = _role(entry)
        if role == "sidecar" and run_id is not None and isinstance(entry.get("Id"), str):
            found.setdefault(run_id, entry)
    return found


def _box(entry: dict, records: Mapping[str, str], sidecars: dict[str, dict]) -> Box | None:
    ref, labels = entry.get("Id"), entry.get("Labels")
    name = box_name(labels, records)
    role, run_id = _role(entry)
    if not isinstance(ref, str) or not ref or name is None or role == "sidecar":
        return None
    image = entry.get("Image")
    sidecar = sidecars.get(run_id) if run_id else None
    return Box(ref=ref, name=name, ident=key_identity(labels),
               image=image if isinstance(image, str) and image.strip() else None,
               running=entry.get("State") == "running",
               sidecar_running=None if sidecar is None else sidecar.get("State") == "running",
               sidecar_ref=None if sidecar is None else sidecar["Id"])


def _stray(entry: dict, records: Mapping[str, str]) -> Stray | None:
    """A container that looks like a box and is none: a valid box name label, not a sidecar,
    not one that removes itself on exit (a plain launch of an image carrying the label), and
    no record for its name and token."""
    ref, labels = entry.get("Id"), entry.get("Labels")
    if not isinstance(ref, str) or not ref or not isinstance(labels, dict):
        return None
    name = labels.get(BOX_LABEL)
    if (not isinstance(name, str) or not is_valid_name(name) or _role(entry)[0] == "sidecar"
            or entry.get("AutoRemove") is True or box_name(labels, records) is not None):
        return None
    return Stray(name, ref)


def parse_listing(text: str, records: Mapping[str, str]) -> Listing | None:
    """Every recorded box in the listing and every stray; None when it is not a JSON list."""
    entries = read_listing(text, lambda entry: entry)
    if entries is None:
        return None
    sidecars = _sidecars(entries)
    found = [b for b in (_box(e, records, sidecars) for e in entries) if b is not None]
    strays = [s for s in (_stray(e, records) for e in entries) if s is not None]
    return Listing(sorted(found, key=lambda b: (b.name.lower(), b.name, b.ref)), strays)


def strays_note(strays: list[Stray]) -> str:
    """One line for `container list`: which containers look like boxes and are not."""
    which = ", ".join(f"{quoted(s.name)} ({s.ref[:12]})" for s in strays)
    some = "a container is" if len(strays) == 1 else f"{len(strays)} containers are"
    return (f"{some} labelled as a box but not recorded in this workspace (made by an older "
            f"anon-pi, or labelled by its image): {which}; anon-pi never lists, enters or "
            "removes them as boxes; remove one with `netcage rm <id>`")


def stray_said(stray: Stray) -> tuple[str, str]:
    """What a verb naming a stray's name says of it, and the way to remove it."""
    said = (f"a container labelled as box {quoted(stray.name)} ({stray.ref[:12]}) exists "
            "without a record in this workspace (made by an older anon-pi?)")
    return said, f"remove it with `netcage rm {stray.ref[:12]}`"


def named(boxes: list[Box], name: str) -> list[Box]:
    return [b for b in boxes if b.name == name]


def start_args(proxy: str, hole_flag: str, llm: str, ref: str) -> list[str]:
    """`netcage start` with the jail settings it was created with (netcage compares them)."""
    return ["start", "--proxy", proxy, hole_flag, llm, "-it", ref]


def stop_args(box: Box) -> list[str]:
    """`netcage stop <sidecar>`: netcage leaves a kept run's sidecar running when the tool
    exits (it removes neither container); stopping it brings the pair to rest.

    What real netcage does with it (its source, the same in 0.11.1, 0.12.0 and 0.13.0): `stop`
    accepts any container labelled `netcage.managed=true`, the sidecar included (only `commit`
    refuses a sidecar), and runs `podman stop <the name given>`, which stops that one container
    and no other: `netcage stop <tool>` would leave the sidecar running, so the sidecar is the
    one to name. podman prints the name as given on stdout (the id here); exit 0, also when it
    was already stopped. A container netcage does not manage, or none of that name, is refused
    with exit 1 (`netcage: stop: "<ref>" is not a netcage-managed container ...`)."""
    return ["stop", box.sidecar_ref]


def config_changed(netcage_stderr: list[str]) -> bool:
    """netcage's own refusal when the proxy or the allow list differ from the box's."""
    return any("different proxy/allowlist" in line for line in netcage_stderr)
