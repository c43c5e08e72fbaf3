"""`image list`: which store images are anon-pi snapshots and how each is shown
(docs/design.md, rule 39).

Pure. The store's records (core.image_store) are untrusted: odd label values are shown
quoted or as <unknown>, never trusted as names.
"""

from collections import namedtuple

from ..core.image_store import StoreImage, is_ours
from ..core.names import is_valid_name, quoted
from ..core.shown import shown

SOURCE_MACHINE = "anon-pi.source-machine"
SOURCE_IMAGE = "anon-pi.source-image"
SNAPSHOT_AT = "anon-pi.snapshot-at"
UNKNOWN = "<unknown>"
HEADER = ("IMAGE", "SOURCE MACHINE", "SNAPSHOT AT", "ID")
# `image list --json`: one object per image, always these keys in this order (README).
JSON_KEYS = ("tag", "id", "sourceMachine", "sourceImage", "snapshotAt")


class ImageEntry(namedtuple("ImageEntry", [
    "id",
    "tag",  # our tag as shown (no `localhost/`); None when untagged
    "labels",  # dict
])):
    """One image from `images --format json`, with its anon-pi labels."""

    __slots__ = ()


def _our_tag(names: tuple[str, ...]) -> str | None:
    return next((n.removeprefix("localhost/") for n in names if is_ours(n)), None)


def _label(labels: dict | None, key: str) -> str | None:
    value = (labels or {}).get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def listed(images: list[StoreImage]) -> list[ImageEntry]:
    """Our tagged images, and untagged ones with a non-blank source-machine label, in store
    order (first record of an id wins). Someone else's tagged image is never shown."""
    seen: set[str] = set()
    out = []
    for image in images:
        if image.id in seen:
            continue
        seen.add(image.id)
        tag = _our_tag(image.names)
        if tag is None and (image.names or not _label(image.labels, SOURCE_MACHINE)):
            continue
        out.append(ImageEntry(image.id, tag, image.labels or {}))
    return out


def _cell(value: str | None, ok: bool) -> str:
    if value is None:
        return UNKNOWN
    return value if ok and shown(value) == value else quoted(value)


def cells(e: ImageEntry) -> tuple[str, str, str, str]:
    """(tag or <none>, machine, snapshot time, 12-character id), each safe to print."""
    machine = _label(e.labels, SOURCE_MACHINE)
    at = _label(e.labels, SNAPSHOT_AT)
    return (_cell(e.tag, True) if e.tag else "<none>",
            _cell(machine, is_valid_name(machine or "")), _cell(at, True),
            shown(e.id.removeprefix("sha256:")[:12]))


def image_line(e: ImageEntry) -> str:
    """`<tag|<none>>\t<machine|<unknown>>\t<at|<unknown>>\t<12-character id>`: the piped
    form scripts read, tab-separated like every piped listing."""
    return "\t".join(cells(e))


def table(entries: list[ImageEntry]) -> list[str]:
    """The terminal form: a header and columns padded to their widest cell."""
    rows = [HEADER, *(cells(e) for e in entries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(r, widths)), r[-1]]) for r in rows]


def as_json(entries: list[ImageEntry]) -> list[dict]:
    """Raw label values (null when absent or blank) and the full id, for scripts."""
    return [{"tag": e.tag, "id": e.id, "sourceMachine": _label(e.labels, SOURCE_MACHINE),
             "sourceImage": _label(e.labels, SOURCE_IMAGE),
             "snapshotAt": _label(e.labels, SNAPSHOT_AT)} for e in entries]
