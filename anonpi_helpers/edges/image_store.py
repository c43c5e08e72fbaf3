"""Reading netcage's image store: ONE `podman --root <store> images --format json` (labels
inline, so one call at any N images); without podman on PATH, `netcage images` (its table)
plus one `netcage inspect` per anon-pi row. Any failed call is an error, never "none".
Whether the store holds a ref the user named is podman's own `image exists` (lookup), not a
match of the listing's names.

The podman calls run through `subprocess`, not plumbum: they are podman's own command line,
not netcage's, and plumbum's import alone took longer than the original's whole `image list`.
The netcage fallback goes through the netcage edge as every netcage call does.
"""

import os

from ..core.errors import AnonPiError
from ..core.image_store import (
    OWN_STORE_HINT,
    StoreImage,
    holds,
    needs_labels,
    parse_images_table,
    parse_podman_images,
    store_problem,
    store_root,
)
from ..core.jsonfmt import loads_any
from ..core.pin_check import not_in_store, unchecked
from . import netcage

LABELS_FORMAT = "{{json .Config.Labels}}"
# netcage refuses to inspect an image without `netcage.managed=true` (not a snapshot of ours);
# "(inspect failed)" in the same sentence means podman itself failed.
UNMANAGED = "not a netcage-managed container"


def root(env) -> str:
    return store_root(env, os.getuid())


def access_problem(io) -> str | None:
    """Why this user cannot use netcage's store (another user's, unwritable, or impossible
    to create), or None: read from the folder itself, nothing created."""
    store = root(io.env)
    me = os.geteuid()
    try:
        owner = os.stat(store).st_uid
    except FileNotFoundError:
        parent = os.path.dirname(os.path.abspath(store))
        while parent != "/" and not os.path.isdir(parent):
            parent = os.path.dirname(parent)
        return store_problem(store, None, "", me, os.access(parent, os.W_OK | os.X_OK), parent)
    except OSError as exc:
        return f"netcage's store {store} cannot be read: {exc.strerror or exc}"
    try:
        import pwd

        name = f"{pwd.getpwuid(owner).pw_name} (uid {owner})"
    except (KeyError, ImportError):
        name = f"uid {owner}"
    return store_problem(store, owner, name, me, os.access(store, os.W_OK | os.X_OK))


def require_own_store(io) -> None:
    """A launch's refusal, before podman says it in its own words."""
    problem = access_problem(io)
    if problem is not None:
        raise AnonPiError(problem + ".", OWN_STORE_HINT)


def images(io) -> list[StoreImage]:
    """Every image in netcage's store, labels included. A store folder that does not exist
    holds none, and podman is not asked: it creates the store any `--root` call names, and
    listing must leave the host as it was."""
    podman = netcage.on_path("podman", io.env)
    if podman is None:
        return _from_netcage(io)
    store = root(io.env)
    if not os.path.isdir(store):
        return []
    args = ["--root", store, "images", "--format", "json"]
    call = "podman " + " ".join(args)
    res = podman_query(io, podman, args, call)
    if res.code != 0:
        raise netcage.failed(call, res, f"check that podman can read netcage's store: `{call}`")
    found = parse_podman_images(res.out)
    if found is None:
        raise AnonPiError(f"`{call}` printed something that is not a JSON list.",
                          "check that podman works: `podman --version`")
    return found


def podman_query(io, podman: str, args: list[str], call: str,
                 timeout: float = netcage.QUERY_TIMEOUT) -> netcage.Result:
    """`podman args` in the run's environment, output captured; a hang is one error naming
    `call`, as for every netcage query (a busy or wedged podman must not hold anon-pi
    forever)."""
    import subprocess  # only a store read needs it: `image --help` stays lean

    try:
        done = subprocess.run([podman, *args], stdin=subprocess.DEVNULL, capture_output=True,
                              encoding="utf-8", errors="replace", timeout=timeout, check=False,
                              env=dict(io.env))
    except subprocess.TimeoutExpired:
        raise netcage.no_answer(call, timeout) from None
    except OSError as exc:
        raise netcage.cannot_run(call, exc) from None
    return netcage.Result(done.returncode, done.stdout, done.stderr)


def _from_netcage(io) -> list[StoreImage]:
    res = netcage.query(io, ["images"])
    if res.code != 0:
        raise netcage.failed("netcage images", res, "check that netcage and podman work: "
                             "`netcage images`")
    table = parse_images_table(res.out)
    if table is None:
        raise AnonPiError("`netcage images` printed no image table (REPOSITORY TAG IMAGE ID ...).",
                          "check that netcage and podman work: `netcage images`")
    return [StoreImage(i.id, i.names, _labels(io, i.id)) if needs_labels(i) else i for i in table]


def _labels(io, image_id: str) -> dict:
    """One `netcage inspect` for one row; an unmanaged image has no anon-pi labels."""
    args = ["inspect", image_id, "--format", LABELS_FORMAT]
    res = netcage.query(io, args)
    if res.code != 0:
        if UNMANAGED in res.err and "(inspect failed)" not in res.err:
            return {}
        raise netcage.failed(f"netcage inspect {image_id}", res)
    value = loads_any(res.out.strip() or "null")
    return value if isinstance(value, dict) else {}


def lookup(io, ref: str) -> tuple[bool | None, str]:
    """Whether netcage's store holds `ref` the way `netcage run` will look it up: (True or
    False, ""), or (None, why) when the store could not be asked.

    podman answers itself (`image exists`: exit 0 or 1), so a short name, a tag left out, an
    image id or a digest resolve exactly as they will at launch; matching the listing's names
    instead would miss `busybox` for `localhost/test/busybox`, which podman finds. The pin
    check and doctor both ask this way, so neither disagrees with a launch.

    A store folder that does not exist holds nothing, and podman is not asked: any podman
    call with `--root` creates the store it names, and doctor (read-only) or a refused pin
    must not leave netcage's store behind as a side effect.
    """
    store = root(io.env)
    if not os.path.isdir(store):  # podman would make it: asking must leave the host as it was
        return False, ""
    podman = netcage.on_path("podman", io.env)
    if podman is None:
        return None, "podman is not on PATH"
    args = ["--root", store, "image", "exists", "--", ref]  # `--help` is a ref, not a flag
    call = "podman " + " ".join(args)
    try:
        res = podman_query(io, podman, args, call)
    except AnonPiError as exc:
        return None, exc.message.rstrip(".")
    except ValueError:  # a NUL or a lone surrogate (UnicodeEncodeError) cannot be an argv
        return None, "not an image ref podman can be given"
    if res.code in (0, 1):
        return res.code == 0, ""
    return None, netcage.failed(call, res).message.rstrip(".")


def lookups(io, refs: list[str]) -> dict[str, tuple[bool | None, str]]:
    """`lookup` for each ref, asked at once (doctor's several images cost one podman start's
    wall time, not one per image)."""
    wanted = list(dict.fromkeys(refs))
    if len(wanted) <= 1:
        return {ref: lookup(io, ref) for ref in wanted}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(wanted), 8)) as pool:
        return dict(zip(wanted, pool.map(lambda ref: lookup(io, ref), wanted), strict=True))


def probe(io, ref: str) -> bool | None:
    """Whether the listing names anon-pi's own tag `ref`; None when the store could not be
    read (then: build)."""
    try:
        return holds(images(io), ref)
    except AnonPiError:
        return None


def in_store(io, image: str, force: bool, nothing: str, forced: str) -> None:
    """Refuse a pin of a ref netcage's store does not hold (core/pin_check.py says why),
    unless `force`; a store that cannot be asked is said, not taken for a missing image.
    `nothing` says what stayed as it was, `forced` is the same command with --force."""
    if force:
        return
    held, why = lookup(io, image)
    if held is None:
        from .terminal import note

        note(io, unchecked(image, why))
    elif not held:
        raise not_in_store(image, root(io.env), nothing, forced)
