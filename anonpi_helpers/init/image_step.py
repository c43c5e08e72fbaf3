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
from ..edges import completion_cache, image_store, netcage, netcage_live, proxied_setup
from .build_report import STEP, report
from .prompt import ask, confirm, say, warn

IMAGES = Path(__file__).resolve().parent.parent / "images"
BASIC = "1"
SHIPPED = {
    BASIC: ("localhost/anon-pi/pi:latest", IMAGES / "pi" / "Dockerfile.pi"),
    "2": ("localhost/anon-pi/pi-webveil:latest", IMAGES / "pi-webveil" / "Dockerfile.pi-webveil"),
}


def _podman(args: list[str]) -> int | None:
    """podman with the user's stdio; None when podman cannot be started."""
    try:
        return subprocess.run(["podman", *args], stdin=subprocess.DEVNULL, check=False).returncode
    except OSError:
        warn("anon-pi: failed to run podman; is podman installed?")
        return None


def _netcage(args: list[str]) -> int:
    code = netcage.run_foreground(args, interrupted_code=130)
    if code == 130:
        raise Cancelled("written")
    return code


def load_into_netcage(tag: str) -> bool:
    """podman's default store -> netcage's: `netcage load` when it has one, else podman --root."""
    store = image_store.root()
    with tempfile.TemporaryDirectory(prefix="anon-pi-image-") as tmp:
        tar = os.path.join(tmp, "image.tar")
        if _podman(["save", "-o", tar, tag]) != 0:
            warn(f"anon-pi: `podman save -o {tar} {tag}` failed.")
            return False
        if netcage.supports(["load", "--help"]):
            ok = _netcage(["load", "-i", tar]) == 0
        else:
            ok = _podman(["--root", store, "load", "-i", tar]) == 0
    if not ok:
        warn(f"anon-pi: {tag} was built but could not be loaded into netcage's store; it sits "
             "in podman's default store.\n  load it by hand: podman save -o /tmp/i.tar "
             f"{tag} && podman --root {store} load -i /tmp/i.tar")
    return ok


def _built(tag: str, exe: str | None, args: list[str], call: str, env: dict) -> bool:
    """One build, its output echoed live; a failure is one report (step, last lines)."""
    try:
        code, output = netcage_live.run_echoed(args, exe, env, mark=STEP)
    except KeyboardInterrupt:
        raise Cancelled("written") from None
    if code != 0:
        warn(report(tag, call, code, output))
    return code == 0


BUILD_FAILED, LOAD_FAILED, NOT_BUILT = "Build failed", "Load failed", "Build not started"


def _proxied_build(tag: str, dockerfile: Path, proxy: str, exe: str | None,
                   call: str) -> str | None:
    """The build itself, through the proxy: podman's pulls and every RUN step's downloads go
    through the set-up bridge, the steps in a network where the bridge is all there is. When
    that network cannot be made, the user hears what would leave directly and may refuse."""
    with proxied_setup.through_proxy(proxy, for_build=True) as route:
        if route.netns_path is None:
            warn(host_network_warning(shown(route.no_netns)))
            if not confirm("Build on this host's network anyway? [y/N]", False):
                return NOT_BUILT
        args = build_args(tag, str(dockerfile), str(dockerfile.parent), route.netns_path)
        say(f"Building {tag} with {call} through your proxy (this takes a while)...")
        ok = _built(tag, exe, args, call, route.env)
    bridge = route.bridge
    say(f"Set-up traffic through your proxy: {shown(carried_summary(bridge.carried))}")
    for asked, why in bridge.refused:
        warn(f"  not carried: {shown(asked)}: {shown(why)}")
    return None if ok else BUILD_FAILED


def build(tag: str, dockerfile: Path, proxy: str) -> str | None:
    """Build `tag` into netcage's store; None when done, else what failed. Build context =
    the Dockerfile's own folder, which holds nothing else."""
    if netcage.supports(["build", "--help"]):
        return _proxied_build(tag, dockerfile, proxy, None, "netcage build")
    podman = netcage.on_path("podman")
    if podman is None:
        warn("anon-pi: neither `netcage build` nor podman is available to build the image.")
        return BUILD_FAILED
    say("netcage cannot build here: podman builds it, then it is loaded into netcage's store.")
    failure = _proxied_build(tag, dockerfile, proxy, podman, "podman build")
    if failure is not None:
        return failure
    return None if load_into_netcage(tag) else LOAD_FAILED


def _confirm(question: str) -> bool:
    return confirm(f"{question} [Y/n]", True)


def shipped(answer: str, proxy: str) -> str | None:
    """The shipped image's tag once it is in netcage's store (reused or built), else None.
    A failed webveil build offers the basic image instead."""
    tag, dockerfile = SHIPPED[answer]
    if not dockerfile.is_file():
        warn(f"anon-pi: could not locate the shipped {dockerfile.name}; pick an existing ref.")
        return None
    if image_store.probe(tag) and _confirm(f"{tag} is already in netcage's store. "
                                           "Reuse it (skip the rebuild)?"):
        return tag
    images = completion_cache.IMAGES
    known = completion_cache.recalled(images) or []  # before the build makes the store newer
    failure = build(tag, dockerfile, proxy)
    if failure is None:
        completion_cache.remember(images, [*known, tag.removeprefix("localhost/")])  # a TAB
        return tag
    if (failure == BUILD_FAILED and answer != BASIC
            and _confirm("Use the basic pi image (no web search) instead?")):
        return shipped(BASIC, proxy)
    warn(f"{failure}; pick another option.")
    return None


def existing(ref: str) -> str | None:
    """A typed ref, once netcage's store holds it (asked as `machine create --image` asks),
    else None: pick again. A ref the store lacks is pinned only when the user says so; init
    then ends "not ready" until it is built or loaded (a launch would make podman pull it on
    this host's own network, outside the proxy)."""
    try:
        check_image_ref(ref)
    except AnonPiError as exc:
        warn(f"anon-pi: {shown(exc.message)}")
        return None
    held, why = image_store.lookup(ref)
    if held is None:
        warn(f"anon-pi: {shown(unchecked(ref, why))}")
    elif not held:
        warn(f"anon-pi: {shown(absent(ref, image_store.root()))}.\n  hint: {shown(ways_in(ref))}")
        if not confirm("Pin it anyway (init then ends not ready)? [y/N]", False):
            return None
    return ref


def menu(current: str | None) -> None:
    """`current` is machine.json's pin, which anon-pi did not necessarily write: shown on
    one line (say keeps a newline, which would let a pin forge lines of the menu)."""
    current = shown(current) if current else current
    say(f"current image: {current}" if current else "current image: none (imageless)")
    say("  [1] basic pi: build the shipped Dockerfile.pi")
    say("  [2] pi + webveil web search (SearXNG): build the shipped Dockerfile.pi-webveil")
    say("  [3] an existing image ref")
    say(f"  [4] keep the current image ({current})" if current else
        "  [4] skip: the machine stays imageless (pin later: `anon-pi machine set-image`)")


def step(machine: str, current: str | None, proxy: str) -> str | None:
    """The new image ref, or None to keep the current pin (or stay imageless). A build goes
    through `proxy`, the one step 1 chose.

    Enter keeps a pinned image; without one it builds the basic image, so pressing Enter
    through init ends with a machine that launches. Staying imageless is typed (4)."""
    say(f'Step 3/4 - image for machine "{machine}"')
    enter = "4" if current else BASIC
    hint = "keep it" if current else "build the basic pi image"
    while True:
        menu(current)
        answer = ask(f"Choose [1-4] (Enter = {enter}: {hint})") or enter
        if answer == "4":
            say("Image kept." if current else
                f"Image skipped; pin one later with `anon-pi machine set-image {machine} <ref>`.")
            return None
        if answer == "3":
            ref = ask("Image ref (e.g. localhost/anon-pi/pi:latest)")
            if not ref:
                warn("no ref given; pick again.")
            elif existing(ref) is not None:
                return ref
        elif answer in SHIPPED:
            if (tag := shipped(answer, proxy)) is not None:
                return tag
        else:
            warn("answer 1, 2, 3 or 4")
