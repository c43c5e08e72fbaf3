"""Reading netcage's image store: ONE `podman --root <store> images --format json` (labels
inline, so one call at any N images); without podman on PATH, `netcage images` (its table)
plus one `netcage inspect` per anon-pi row. Any failed call is an error, never "none"."""

import os
import shutil

from ..core.errors import AnonPiError
from ..core.image_store import (
    StoreImage,
    holds,
    needs_labels,
    parse_images_table,
    parse_podman_images,
    store_root,
)
from ..core.jsonfmt import loads_any
from . import netcage

LABELS_FORMAT = "{{json .Config.Labels}}"
# netcage refuses to inspect an image without `netcage.managed=true` (not a snapshot of ours);
# "(inspect failed)" in the same sentence means podman itself failed.
UNMANAGED = "not a netcage-managed container"


def root() -> str:
    return store_root(os.environ, os.getuid())


def images() -> list[StoreImage]:
    """Every image in netcage's store, labels included."""
    podman = shutil.which("podman")
    if podman is None:
        return _from_netcage()
    args = ["--root", root(), "images", "--format", "json"]
    call = "podman " + " ".join(args)
    res = netcage.captured(podman, args, call)
    if res.code != 0:
        raise netcage.failed(call, res, f"check that podman can read netcage's store: `{call}`")
    found = parse_podman_images(res.out)
    if found is None:
        raise AnonPiError(f"`{call}` printed something that is not a JSON list.",
                          "check that podman works: `podman --version`")
    return found


def _from_netcage() -> list[StoreImage]:
    res = netcage.query(["images"])
    if res.code != 0:
        raise netcage.failed("netcage images", res, "check that netcage and podman work: "
                             "`netcage images`")
    table = parse_images_table(res.out)
    if table is None:
        raise AnonPiError("`netcage images` printed no image table (REPOSITORY TAG IMAGE ID ...).",
                          "check that netcage and podman work: `netcage images`")
    return [StoreImage(i.id, i.names, _labels(i.id)) if needs_labels(i) else i for i in table]


def _labels(image_id: str) -> dict:
    """One `netcage inspect` for one row; an unmanaged image has no anon-pi labels."""
    args = ["inspect", image_id, "--format", LABELS_FORMAT]
    res = netcage.query(args)
    if res.code != 0:
        if UNMANAGED in res.err and "(inspect failed)" not in res.err:
            return {}
        raise netcage.failed(f"netcage inspect {image_id}", res)
    value = loads_any(res.out.strip() or "null")
    return value if isinstance(value, dict) else {}


def probe(ref: str) -> bool | None:
    """Whether the store holds `ref`; None when the store could not be read (then: build)."""
    try:
        return holds(images(), ref)
    except AnonPiError:
        return None
