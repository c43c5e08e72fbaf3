"""What pinning an image netcage's store does not hold says (`machine create --image`,
`machine set-image`, init's "an existing image ref", init's last word). Pure: the callers ask
the store through edges/image_store.py.

A pin is only read at the next launch, so a mistyped or never-built ref used to be accepted
without a word and failed there, far from the command that caused it (or podman went to pull
it from a registry on the host's own network, outside the proxy). The pin is refused instead,
with the ways to get the image into the store; `--force` pins a ref that will be there later
(an image still to be built or loaded).
"""

from .errors import AnonPiError


def absent(ref: str, store: str) -> str:
    return f"image {ref} is not in netcage's store ({store})"


def ways_in(ref: str) -> str:
    """How an image gets into netcage's store: built or loaded, never pulled by a launch."""
    return ("build it (`anon-pi init` builds the shipped images; your own: `netcage build -t "
            f"{ref} -f <Containerfile> <folder>`) or load a saved one (`netcage load -i "
            "<file.tar>`); `netcage images` lists the store")


def not_in_store(ref: str, store: str, nothing: str, forced: str) -> AnonPiError:
    """The refusal: `nothing` says what stayed as it was, `forced` is the same command with
    --force."""
    return AnonPiError(f"{absent(ref, store)}; {nothing}.",
                       f"{ways_in(ref)}; to pin it anyway: `{forced}`")


def unchecked(ref: str, why: str) -> str:
    """The note when the store could not be asked: the pin goes ahead, and says so."""
    return (f"could not check that image {ref} is in netcage's store ({why}); "
            "pinning it anyway.")
