"""What re-pinning a machine's image means for its home, said the same way
by `machine set-image` and `image snapshot --update-machine`. Pure."""


def repin_warning(name: str, image: str, seeded: bool) -> str:
    """A seeded home keeps what the old image built; a fresh one is seeded from the new one."""
    if seeded:
        return ("  WARNING: the home was NOT reseeded: its extensions and tools were built "
                "for the\n"
                "  old image. Either run `pi install` inside the machine "
                f"(anon-pi -m {name} --shell),\n"
                f"  or delete the home and relaunch to reseed: anon-pi --delete-home {name}\n")
    return f"  its home is not seeded yet; the first launch seeds it from {image}.\n"
