"""Durable boxes (`anon-pi container`): which containers are boxes, and how to re-enter one.

Pure. A box is a kept launch labelled `anon-pi.container=<name>`; the label is the record (no
registry file; real netcage names containers itself and refuses `--name`). Both the container
verb and the menu read `netcage ps` through here. netcage output is untrusted: odd entries
are skipped.
"""

from collections import namedtuple

from .names import is_valid_name
from .ps_listing import key_identity, read_listing
from .run_plan import BOX_LABEL

# real netcage always runs `podman ps -a --filter label=netcage.managed=true`, then these
LIST_ARGS = ["ps", "-a", "--filter", f"label={BOX_LABEL}", "--format", "json"]


class Box(namedtuple("Box", [
    "ref",
    "name",
    "ident",  # Identity, or None
    "image",  # None when the listing did not say
    "running",  # bool
])):
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
        return "running" if self.running else "stopped"


def box_name(labels) -> str | None:
    """The box name a container's labels carry, when it is a valid one."""
    value = labels.get(BOX_LABEL) if isinstance(labels, dict) else None
    return value if isinstance(value, str) and is_valid_name(value) else None


def _box(entry: dict) -> Box | None:
    ref, labels = entry.get("Id"), entry.get("Labels")
    name = box_name(labels)
    if not isinstance(ref, str) or not ref or name is None:
        return None
    image = entry.get("Image")
    return Box(ref=ref, name=name, ident=key_identity(labels),
               image=image if isinstance(image, str) and image.strip() else None,
               running=entry.get("State") == "running")


def parse_boxes(text: str) -> list[Box] | None:
    """Every box in the listing, sorted by name; None when it is not a JSON list."""
    found = read_listing(text, _box)
    return None if found is None else sorted(found, key=lambda b: (b.name.lower(), b.name, b.ref))


def named(boxes: list[Box], name: str) -> list[Box]:
    return [b for b in boxes if b.name == name]


def start_args(proxy: str, hole_flag: str, llm: str, ref: str) -> list[str]:
    """`netcage start` with the jail settings it was created with (netcage compares them)."""
    return ["start", "--proxy", proxy, hole_flag, llm, "-it", ref]


def config_changed(netcage_stderr: list[str]) -> bool:
    """netcage's own refusal when the proxy or the allow list differ from the box's."""
    return any("different proxy/allowlist" in line for line in netcage_stderr)
