"""netcage's own images in its store, as one doctor row. Pure.

Besides the user's image, every launch runs netcage's tun2socks sidecar and, for netcage's
reachability probes, alpine. When the store lacks them the first launch pulls them from
docker.io straight over the host's own network, not through the proxy; and without alpine
the probe's failure reads like a proxy problem (`the proxy on the host's loopback is not
reachable from inside the jail`). Pre-pulled through the proxy, nothing leaves directly:
`anon-pi init` does that as soon as the proxy is chosen (through its set-up bridge), and the
fix line also gives the one podman command that does the same by hand.
"""

from ..core.addresses import host_port_key, split_host_port
from ..core.image_store import PROBE_IMAGE, SIDECAR_IMAGE
from .checks import Check

NAME = "netcage images"
OWN_IMAGES = {SIDECAR_IMAGE: "its tun2socks sidecar, pinned by digest",
              PROBE_IMAGE: "alpine, for its reachability probes"}
TOR = "127.0.0.1:9050"


def pull_proxy(proxy: str | None) -> str:
    """The proxy for podman's pull: Go reads `socks5://` (it sends the registry's name to the
    proxy unresolved); the user's credentials are left for them to add."""
    host, port = split_host_port(host_port_key(proxy)) if proxy else ("", None)
    return f"socks5://{host}:{port}" if host and port else f"socks5://{TOR}"


def netcage_images_check(found: dict[str, tuple[bool | None, str]], store: str,
                         proxy: str | None) -> Check:
    """`found`: what netcage's store answered for each of OWN_IMAGES
    (edges/image_store.lookups: held, or None and why it could not be asked)."""
    answers = [found.get(ref, (None, "not asked")) for ref in OWN_IMAGES]
    unknown = next((why for held, why in answers if held is None), None)
    if unknown is not None:
        return Check("warn", NAME, f"cannot tell whether netcage's sidecar and alpine are in "
                     f"its store: {unknown or '?'}",
                     f"check that podman can read netcage's store: `podman --root {store} "
                     "images`")
    missing = [ref for ref, (held, _) in zip(OWN_IMAGES, answers) if not held]
    if not missing:
        return Check("ok", NAME, "netcage's tun2socks sidecar and alpine (its probes) are in "
                     "its store")
    names = " and ".join(f"{ref.split('@')[0]} ({OWN_IMAGES[ref]})" for ref in missing)
    verb = "is" if len(missing) == 1 else "are"
    return Check("warn", NAME, f"{names} {verb} not in netcage's store {store}: the first "
                 "launch pulls from docker.io directly, over this host's own network, not "
                 "through the proxy",
                 "pre-pull through your proxy: re-run `anon-pi init` (Enter keeps each "
                 "answer; it pulls them as soon as the proxy is chosen), or by hand: "
                 f"HTTPS_PROXY={pull_proxy(proxy)} podman --root {store} pull "
                 f"{' '.join(missing)}")
