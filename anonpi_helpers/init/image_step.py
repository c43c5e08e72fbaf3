"""Step 3/4: the machine's image, built into netcage's own store (an image only podman's
default store holds is one netcage cannot run), or a ref."""

import os
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import AnonPiError, Cancelled
from ..core.pin_check import absent, unchecked, ways_in
from ..core.resolve import check_image_ref
from ..core.setup_traffic import build_args, carried_summary, host_network_warning
from ..core.shown import shown
from ..edges import (
    completion_cache,
    image_store,
    netcage,
    netcage_child,
    netcage_live,
    proxied_setup,
)
from .build_report import STEP, report
from .prompt import ask, confirm, say, warn

IMAGES = Path(__file__).resolve().parent.parent / "images"
BASIC = "1"
SHIPPED = {
    BASIC: ("localhost/anon-pi/pi:latest", IMAGES / "pi" / "Dockerfile.pi"),
    "2": ("localhost/anon-pi/pi-webveil:latest", IMAGES / "pi-webveil" / "Dockerfile.pi-webveil"),
}


def _podman(io, args: list[str]) -> int | None:
    """podman (found on the run's PATH, with its environment) writing to the run's streams;
    None when podman cannot be started."""
    for stream in (io.stdout, io.stderr):
        stream.flush()  # what init said so far comes before podman's own lines
    try:
        return subprocess.run(["podman", *args], stdin=subprocess.DEVNULL, stdout=io.stdout,
                              stderr=io.stderr, env=dict(io.env), check=False).returncode
    except OSError:
        warn(io, "anon-pi: failed to run podman; is podman installed?")
        return None


def _netcage(io, args: list[str]) -> int:
    code = netcage_child.run_foreground(io, args, interrupted_code=130)
    if code == 130:
        raise Cancelled("written")
    return code


def load_into_netcage(io, tag: str) -> bool:
    """podman's default store -> netcage's: `netcage load` when it has one, else podman --root."""
    store = image_store.root(io.env)
    with tempfile.TemporaryDirectory(prefix="anon-pi-image-") as tmp:
        tar = os.path.join(tmp, "image.tar")
        if _podman(io, ["save", "-o", tar, tag]) != 0:
            warn(io, f"anon-pi: `podman save -o {tar} {tag}` failed.")
            return False
        if netcage.supports(io, ["load", "--help"]):
            ok = _netcage(io, ["load", "-i", tar]) == 0
        else:
            ok = _podman(io, ["--root", store, "load", "-i", tar]) == 0
    if not ok:
        warn(io, f"anon-pi: {tag} was built but could not be loaded into netcage's store; it sits "
                 "in podman's default store.\n  load it by hand: podman save -o /tmp/i.tar "
                 f"{tag} && podman --root {store} load -i /tmp/i.tar")
    return ok


def _built(io, tag: str, exe: str | None, args: list[str], call: str, env: dict) -> bool:
    """One build, its output echoed live; a failure is one report (step, last lines)."""
    try:
        code, output = netcage_live.run_echoed(io, args, exe, env, mark=STEP)
    except KeyboardInterrupt:
        raise Cancelled("written") from None
    if code != 0:
        warn(io, report(tag, call, code, output))
    return code == 0


BUILD_FAILED, LOAD_FAILED, NOT_BUILT = "Build failed", "Load failed", "Build not started"


def _proxied_build(io, tag: str, dockerfile: Path, proxy: str, exe: str | None,
                   call: str) -> str | None:
    """The build itself, through the proxy: podman's pulls and every RUN step's downloads go
    through the set-up bridge, the steps in a network where the bridge is all there is. When
    that network cannot be made, the user hears what would leave directly and may refuse."""
    with proxied_setup.through_proxy(io, proxy, for_build=True) as route:
        if route.netns_path is None:
            warn(io, host_network_warning(shown(route.no_netns)))
            if not confirm(io, "Build on this host's network anyway? [y/N]", False):
                return NOT_BUILT
        args = build_args(tag, str(dockerfile), str(dockerfile.parent), route.netns_path)
        say(io, f"Building {tag} with {call} through your proxy (this takes a while)...")
        ok = _built(io, tag, exe, args, call, route.env)
    bridge = route.bridge
    say(io, f"Set-up traffic through your proxy: {shown(carried_summary(bridge.carried))}")
    for asked, why in bridge.refused:
        warn(io, f"  not carried: {shown(asked)}: {shown(why)}")
    return None if ok else BUILD_FAILED


def build(io, tag: str, dockerfile: Path, proxy: str) -> str | None:
    """Build `tag` into netcage's store; None when done, else what failed. Build context =
    the Dockerfile's own folder, which holds nothing else."""
    if netcage.supports(io, ["build", "--help"]):
        return _proxied_build(io, tag, dockerfile, proxy, None, "netcage build")
    podman = netcage.on_path("podman", io.env)
    if podman is None:
        warn(io, "anon-pi: neither `netcage build` nor podman is available to build the image.")
        return BUILD_FAILED
    say(io, "netcage cannot build here: podman builds it, then it is loaded into netcage's store.")
    failure = _proxied_build(io, tag, dockerfile, proxy, podman, "podman build")
    if failure is not None:
        return failure
    return None if load_into_netcage(io, tag) else LOAD_FAILED


def _confirm(io, question: str) -> bool:
    return confirm(io, f"{question} [Y/n]", True)


def shipped(io, answer: str, proxy: str) -> str | None:
    """The shipped image's tag once it is in netcage's store (reused or built), else None.
    A failed webveil build offers the basic image instead."""
    tag, dockerfile = SHIPPED[answer]
    if not dockerfile.is_file():
        warn(io, f"anon-pi: could not locate the shipped {dockerfile.name}; pick an existing ref.")
        return None
    if image_store.probe(io, tag) and _confirm(io, f"{tag} is already in netcage's store. "
                                                   "Reuse it (skip the rebuild)?"):
        return tag
    images = completion_cache.IMAGES
    known = completion_cache.recalled(io, images) or []  # before the build makes the store newer
    failure = build(io, tag, dockerfile, proxy)
    if failure is None:
        completion_cache.remember(io, images, [*known, tag.removeprefix("localhost/")])  # a TAB
        return tag
    if (failure == BUILD_FAILED and answer != BASIC
            and _confirm(io, "Use the basic pi image (no web search) instead?")):
        return shipped(io, BASIC, proxy)
    warn(io, f"{failure}; pick another option.")
    return None


def existing(io, ref: str) -> str | None:
    """A typed ref, once netcage's store holds it (asked as `machine create --image` asks),
    else None: pick again. A ref the store lacks is pinned only when the user says so; init
    then ends "not ready" until it is built or loaded (a launch would make podman pull it on
    this host's own network, outside the proxy)."""
    try:
        check_image_ref(ref)
    except AnonPiError as exc:
        warn(io, f"anon-pi: {shown(exc.message)}")
        return None
    held, why = image_store.lookup(io, ref)
    if held is None:
        warn(io, f"anon-pi: {shown(unchecked(ref, why))}")
    elif not held:
        warn(io, f"anon-pi: {shown(absent(ref, image_store.root(io.env)))}.\n"
                 f"  hint: {shown(ways_in(ref))}")
        if not confirm(io, "Pin it anyway (init then ends not ready)? [y/N]", False):
            return None
    return ref


def menu(io, current: str | None) -> None:
    """`current` is machine.json's pin, which anon-pi did not necessarily write: shown on
    one line (say keeps a newline, which would let a pin forge lines of the menu)."""
    current = shown(current) if current else current
    say(io, f"current image: {current}" if current else "current image: none (imageless)")
    say(io, "  [1] basic pi: build the shipped Dockerfile.pi")
    say(io, "  [2] pi + webveil web search (SearXNG): build the shipped Dockerfile.pi-webveil")
    say(io, "  [3] an existing image ref")
    say(io, f"  [4] keep the current image ({current})" if current else
            "  [4] skip: the machine stays imageless (pin later: `anon-pi machine set-image`)")


def step(io, machine: str, current: str | None, proxy: str) -> str | None:
    """The new image ref, or None to keep the current pin (or stay imageless). A build goes
    through `proxy`, the one step 1 chose.

    Enter keeps a pinned image; without one it builds the basic image, so pressing Enter
    through init ends with a machine that launches. Staying imageless is typed (4)."""
    say(io, f'Step 3/4 - image for machine "{machine}"')
    enter = "4" if current else BASIC
    hint = "keep it" if current else "build the basic pi image"
    while True:
        menu(io, current)
        answer = ask(io, f"Choose [1-4] (Enter = {enter}: {hint})") or enter
        if answer == "4":
            say(io, "Image kept." if current else "Image skipped; pin one later with "
                    f"`anon-pi machine set-image {machine} <ref>`.")
            return None
        if answer == "3":
            ref = ask(io, "Image ref (e.g. localhost/anon-pi/pi:latest)")
            if not ref:
                warn(io, "no ref given; pick again.")
            elif existing(io, ref) is not None:
                return ref
        elif answer in SHIPPED:
            if (tag := shipped(io, answer, proxy)) is not None:
                return tag
        else:
            warn(io, "answer 1, 2, 3 or 4")
