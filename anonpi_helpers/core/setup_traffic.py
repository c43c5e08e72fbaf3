"""Set-up traffic (image builds, image pulls) and how it is sent through the user's proxy. Pure.

Three kinds of traffic happen before any jail runs, and each would otherwise leave from this
host's own address: podman's pulls (a build's base image; netcage's sidecar and alpine, which
a first launch needs; the small Debian image `netcage verify` probes DNS with), and the
downloads of a build's RUN steps (apt, npm, git, pip). podman reads `HTTPS_PROXY` for its
pulls and passes the proxy variables of its own environment into every RUN step, so one
value — the set-up bridge on 127.0.0.1 — carries all of them to the proxy.

What cannot go through it is said before it happens (the texts below), and the user may
refuse: netcage verify's one direct request for this host's own address, a RUN step on the
host's network when no namespace of its own can be made, a pull that failed through the proxy.
"""

from .image_store import PROBE_IMAGE, SIDECAR_IMAGE

# `netcage verify` (0.11.1 and later) checks DNS over TCP in this pinned glibc image, pulled
# on the host's own network when missing (netcage's devimage.DNSProbeImageReference).
VERIFY_DNS_IMAGE = ("docker.io/library/debian@sha256:"
                    "60eac759739651111db372c07be67863818726f754804b8707c90979bda511df")
LAUNCH_IMAGES = (SIDECAR_IMAGE, PROBE_IMAGE)  # what every launch runs besides the user's image
VERIFY_IMAGES = (*LAUNCH_IMAGES, VERIFY_DNS_IMAGE)
# netcage verify's baseline: this host's own address, asked directly, to compare the exit with.
VERIFY_DIRECT_URL = "http://api.ipify.org/"

# podman and every RUN step read these; all point at the bridge.
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
# A user's own values would route around the bridge (NO_PROXY exempts hosts, ALL_PROXY and
# FTP_PROXY name other proxies) or leak a host name of theirs into the image's build steps.
CLEARED_VARIABLES = ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "FTP_PROXY", "ftp_proxy")


def proxy_env(bridge_url: str) -> dict[str, str]:
    """The environment podman (and through it every RUN step) gets; an empty value is unset
    for podman, curl, apt and npm alike."""
    env = dict.fromkeys(CLEARED_VARIABLES, "")
    env.update(dict.fromkeys(PROXY_VARIABLES, bridge_url))
    return env


def build_network(netns_path: str | None) -> list[str]:
    """`podman build`'s RUN-step network: the bridge's own namespace, else (only after the
    user agreed) the host's."""
    return [f"--network=ns:{netns_path}" if netns_path else "--network=host"]


def build_args(tag: str, dockerfile: str, context: str, netns_path: str | None) -> list[str]:
    """`build` and its arguments, the same for `netcage build` and `podman build`."""
    return ["build", "-t", tag, "-f", dockerfile, *build_network(netns_path), context]


def carried_summary(carried: dict[str, int]) -> str:
    """Where set-up traffic went, in first-use order (names as the client asked them: the
    caller shows them escaped)."""
    if not carried:
        return "no connections"
    return ", ".join(f"{label} ({n}x)" if n > 1 else label for label, n in carried.items())


def host_network_warning(reason: str) -> str:
    """Before a build whose RUN steps would share the host's network."""
    return (f"The build's RUN steps cannot get a network of their own here ({reason}).\n"
            "They would run on this host's network: apt, npm, git and pip honour the proxy\n"
            "variables and go through your proxy, but a step that ignores them would connect\n"
            "directly, from this host's own address. (The base image comes through your proxy\n"
            "either way.)")


def verify_warning() -> str:
    """Before `netcage verify`: its baseline request leaves directly."""
    return ("netcage verify proves the proxy: it runs a jail through it and compares the exit\n"
            f"IP with this host's own address, which it asks {VERIFY_DIRECT_URL} for\n"
            "directly: that one request leaves from this host's own address, not through the\n"
            "proxy.")


def direct_pull_warning(refs: list[str], needed_by: str) -> str:
    """Before something that would pull images netcage has not got over the host's network."""
    names = ", ".join(ref.split("@")[0] for ref in refs)
    return (f"{needed_by} would pull {names} from docker.io\ndirectly, over this host's own "
            "network, not through the proxy (the pull through your proxy\ndid not succeed).")
