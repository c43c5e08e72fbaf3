"""netcage's own images pulled into its store through the user's proxy, before anything
needs them.

Every launch runs netcage's tun2socks sidecar and alpine (its probes), and `netcage verify`
also a small Debian image; whichever is missing, podman pulls from docker.io straight over
the host's own network the first time — and so would `netcage detect-proxy`, which stands up
a jail of its own. init pulls them first, through the set-up bridge (edges/proxied_setup.py),
so that the registry sees the proxy's exit, not this host.
"""

from ..core.errors import AnonPiError
from ..core.image_store import holds
from ..core.setup_traffic import carried_summary
from ..core.shown import shown
from ..edges import image_store, netcage, netcage_live
from ..edges.proxied_setup import through_proxy
from .prompt import say, warn


def missing(io, refs: tuple[str, ...]) -> list[str] | None:
    """The refs netcage's store lacks; None when the store could not be read."""
    try:
        images = image_store.images(io)
    except AnonPiError:
        return None
    return [ref for ref in refs if not holds(images, ref)]


def _puller(io) -> tuple[list[str], str | None] | None:
    """(argv before the ref, exe) for one pull into netcage's store: `netcage pull` when this
    netcage has it, else podman in netcage's store; None when neither is there."""
    if netcage.supports(io, ["pull", "--help"]):
        return ["pull"], None
    podman = netcage.on_path("podman", io.env)
    return (["--root", image_store.root(io.env), "pull"], podman) if podman else None


def pull(io, refs: list[str], proxy: str) -> list[str]:
    """Pull each of `refs` through `proxy`; returns those that did not arrive."""
    if not refs:
        return []
    puller = _puller(io)
    if puller is None:
        warn(io, "anon-pi: neither `netcage pull` nor podman is available to pull netcage's "
                 "images.")
        return list(refs)
    head, exe = puller
    names = ", ".join(ref.split("@")[0] for ref in refs)
    say(io, f"Pulling {names} into netcage's store through your proxy...")
    failed = []
    with through_proxy(io, proxy, for_build=False) as route:
        for ref in refs:
            code, _ = netcage_live.run_echoed(io, [*head, ref], exe, route.env)
            if code != 0:
                failed.append(ref)
    say(io, f"  through your proxy: {shown(carried_summary(route.bridge.carried))}")
    if failed:
        warn(io, f"anon-pi: could not pull {', '.join(r.split('@')[0] for r in failed)} through "
                 "your proxy (is it running and does it reach the internet?).")
    return failed
