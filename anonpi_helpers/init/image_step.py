"""Step 3/4: the machine's image, built into netcage's own store (ruling 21), or a ref."""

import os
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import Cancelled
from ..edges import netcage
from .prompt import ask, say, warn

IMAGES = Path(__file__).resolve().parent.parent / "images"
SHIPPED = {
    "1": ("localhost/anon-pi/pi:latest", IMAGES / "pi" / "Dockerfile.pi"),
    "2": ("localhost/anon-pi/pi-webveil:latest", IMAGES / "pi-webveil" / "Dockerfile.pi-webveil"),
}


def graphroot() -> str:
    return (os.environ.get("NETCAGE_GRAPHROOT") or "").strip() or "/var/tmp/netcage-storage"


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
    with tempfile.TemporaryDirectory(prefix="anon-pi-image-") as tmp:
        tar = os.path.join(tmp, "image.tar")
        if _podman(["save", "-o", tar, tag]) != 0:
            warn(f"anon-pi: `podman save -o {tar} {tag}` failed.")
            return False
        if netcage.supports(["load", "--help"]):
            ok = _netcage(["load", "-i", tar]) == 0
        else:
            ok = _podman(["--root", graphroot(), "load", "-i", tar]) == 0
    if not ok:
        warn(f"anon-pi: {tag} was built but could not be loaded into netcage's store; it sits "
             "in podman's default store.\n  load it by hand: podman save -o /tmp/i.tar "
             f"{tag} && podman --root {graphroot()} load -i /tmp/i.tar")
    return ok


def build(tag: str, dockerfile: Path) -> bool:
    """Build context = the Dockerfile's own folder, which holds nothing else."""
    context = str(dockerfile.parent)
    if netcage.supports(["build", "--help"]):
        say(f"Building {tag} with netcage build (this takes a while)...")
        if _netcage(["build", "-t", tag, "-f", str(dockerfile), context]) != 0:
            warn("Build failed; pick another option.")
            return False
        return True
    say(f"Building {tag} with podman, then loading it into netcage's store...")
    if _podman(["build", "-t", tag, "-f", str(dockerfile), context]) != 0:
        warn("Build failed; pick another option.")
        return False
    if not load_into_netcage(tag):
        warn("Load failed; pick another option.")
        return False
    return True


def menu(current: str | None) -> None:
    say(f"current image: {current}" if current else "current image: none (imageless)")
    say("  [1] basic pi: build the shipped Dockerfile.pi")
    say("  [2] pi + webveil web search (SearXNG): build the shipped Dockerfile.pi-webveil")
    say("  [3] an existing image ref")
    say(f"  [4] keep the current image ({current})" if current else
        "  [4] skip: the machine stays imageless (pin later: `anon-pi machine set-image`)")


def step(machine: str, current: str | None) -> str | None:
    """The new image ref, or None to keep the current pin (or stay imageless)."""
    say(f'Step 3/4 - image for machine "{machine}"')
    while True:
        menu(current)
        answer = ask("Choose [1-4] (Enter = 4)")
        if answer in ("", "4"):
            say("Image kept." if current else
                f"Image skipped; pin one later with `anon-pi machine set-image {machine} <ref>`.")
            return None
        if answer == "3":
            ref = ask("Image ref (e.g. localhost/anon-pi/pi:latest)")
            if ref:
                return ref
            warn("no ref given; pick again.")
        elif answer in SHIPPED:
            tag, dockerfile = SHIPPED[answer]
            if not dockerfile.is_file():
                warn(f"anon-pi: could not locate the shipped {dockerfile.name}; "
                     "pick an existing ref.")
            elif build(tag, dockerfile):
                return tag
        else:
            warn("answer 1, 2, 3 or 4")
