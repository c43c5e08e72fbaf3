"""netcage's image store as `image list` and init read it; the images netcage runs. Pure.

Real `netcage images` drops every argument and prints podman's human table, so the one
labelled query is `podman --root <store> images --format json`, with `<store>` exactly what
netcage passes to podman (netcage README, "Store"). Without podman on PATH the table is read
and each anon-pi row inspected. Both paths yield the same `StoreImage` records.
"""

from collections import namedtuple

from .jsonfmt import loads_list
from .names import is_container_ref

STORE_BASE = "/var/tmp/netcage-storage"
# What netcage itself runs besides the user's image (the same in 0.11.1, 0.12.0 and 0.13.0):
# its tun2socks sidecar, pinned by digest, and alpine for its reachability probes. A store
# without them makes the first launch pull them straight from docker.io.
SIDECAR_IMAGE = ("docker.io/xjasonlyu/tun2socks@sha256:"
                 "aa931665f4a3ad9be7bc1ea5117c41471c20a770a62490e38090c839c1fef107")
PROBE_IMAGE = "docker.io/library/alpine:latest"
OUR_PREFIXES = ("anon-pi/", "localhost/anon-pi/")
TABLE_HEADER = ("REPOSITORY", "TAG", "IMAGE")


class StoreImage(namedtuple("StoreImage", [
    "id",
    "names",  # tuple: full refs as the store spells them (`localhost/a/b:t`)
    "labels",  # dict, or None: not known yet (a table row before its inspect)
    "digests",  # tuple: `repo@sha256:...` refs (podman's RepoDigests); () from the table
], defaults=((),))):
    """One image of the store: its id, every name it goes by, its labels if known."""

    __slots__ = ()


def store_root(env, uid: int) -> str:
    """`$NETCAGE_GRAPHROOT` as is when non-empty, else the uid-scoped default (0.11.0+)."""
    return env.get("NETCAGE_GRAPHROOT") or f"{STORE_BASE}-{uid}"


OWN_STORE_HINT = ("set NETCAGE_GRAPHROOT to a folder of your own (e.g. "
                  "`export NETCAGE_GRAPHROOT=~/.local/share/netcage-storage`)")


def store_problem(store: str, owner: int | None, owner_name: str, me: int, writable: bool,
                  blocked_at: str | None = None) -> str | None:
    """Why this user cannot use netcage's store, or None. `owner`: the store folder's uid
    (None: it does not exist yet); `writable`: the user may write it (or, when missing, its
    nearest existing parent `blocked_at`). The default store sits in a folder every user may
    write (/var/tmp): a store another user made first would hand this user's launches their
    images, and podman's own refusal of it is a wall of storage errors."""
    if owner is None:
        if writable:
            return None
        return (f"netcage's store {store} does not exist and cannot be created: {blocked_at} "
                "is not writable by you")
    if owner != me:
        return (f"netcage's store {store} belongs to {owner_name}, not to you: its images are "
                "not yours to run, and podman refuses a store it cannot write")
    if not writable:
        return f"netcage's store {store} is not writable by you"
    return None


def _valid_id(value) -> str | None:
    """An image id as podman prints it (hex, maybe `sha256:`): anything else (an option such
    as `--privileged`) is never passed on to `inspect` as a positional."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if is_container_ref(value.removeprefix("sha256:")) else None


def _first_id(entry: dict) -> str | None:
    for key in ("Id", "ID", "id"):
        if (value := _valid_id(entry.get(key))) is not None:
            return value
    return None


def _names(entry: dict) -> tuple[str, ...]:
    names: list[str] = []
    for key in ("Names", "RepoTags", "Tags"):
        values = entry.get(key)
        if isinstance(values, list):
            names += [n for n in values if isinstance(n, str) and n and not n.startswith("<none>")
                      and n not in names]
    repo, tag = entry.get("Repository"), entry.get("Tag")
    if (isinstance(repo, str) and repo.strip() and repo != "<none>"
            and isinstance(tag, str) and tag.strip() and tag != "<none>"):
        names.append(f"{repo}:{tag}")
    return tuple(names)


def parse_podman_images(text: str) -> list[StoreImage] | None:
    """`podman images --format json`; None when it is not a JSON list (blank means none).
    Odd field shapes are tolerated, junk entries skipped; labels are always known here."""
    entries = loads_list(text)
    if entries is None:
        return None
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or (image_id := _first_id(entry)) is None:
            continue
        labels = entry.get("Labels")
        digests = entry.get("RepoDigests")
        found.append(StoreImage(image_id, _names(entry), labels if isinstance(labels, dict) else {},
                                tuple(d for d in digests if isinstance(d, str))
                                if isinstance(digests, list) else ()))
    return found


def parse_images_table(text: str) -> list[StoreImage] | None:
    """`netcage images` (podman's table: REPOSITORY TAG IMAGE ID CREATED SIZE); one record per
    image id, labels unknown. None when the first line is not that header."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or tuple(lines[0].split()[:3]) != TABLE_HEADER:
        return None if lines else []
    by_id: dict[str, list[str]] = {}
    for line in lines[1:]:
        cells = line.split()
        if len(cells) < 3:
            continue
        repo, tag, image_id = cells[:3]
        if _valid_id(image_id) is None:
            continue
        names = by_id.setdefault(image_id, [])
        if repo != "<none>" and tag != "<none>":
            names.append(f"{repo}:{tag}")
    return [StoreImage(i, tuple(n), None) for i, n in by_id.items()]


def is_ours(ref: str) -> bool:
    return ref.startswith(OUR_PREFIXES)


def needs_labels(image: StoreImage) -> bool:
    """A table row worth one `netcage inspect`: our tag, or no tag (a re-snapshotted one)."""
    return image.labels is None and (not image.names or any(is_ours(n) for n in image.names))


def shown_ref(ref: str | None) -> str | None:
    """An image ref as every verb shows it (tables, lines and JSON): without podman's
    `localhost/`, which only says the image was built or loaded here. `localhost/a/b:t` and
    `a/b:t` name the same image in netcage's store, and the shorter one is what `image
    list` has always shown; the files keep what was written."""
    return ref.removeprefix("localhost/") if ref else ref


def short_ref(ref: str) -> str:
    """`localhost/a/b` and `a/b` name the same local image; no tag means `:latest`."""
    ref = ref.strip().removeprefix("localhost/")
    return ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest"


def holds(images: list[StoreImage], ref: str) -> bool:
    """Whether the listing names `ref` under any of its spellings; a `repo@sha256:...` ref only
    as exactly that digest. For refs init itself chose (its tags, netcage's own images, each
    fully qualified); a ref the user named is asked of podman itself (edges/image_store.lookup),
    which resolves short names as a launch does."""
    if "@" in ref:
        return any(ref in image.names or ref in image.digests for image in images)
    wanted = short_ref(ref)
    return any(short_ref(n) == wanted for image in images for n in image.names)
