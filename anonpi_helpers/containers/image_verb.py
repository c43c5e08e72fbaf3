"""`anon-pi image snapshot|list`: the dispatcher and the listing (snapshot_verb commits)."""

import sys

from ..core import jsonfmt
from ..core.errors import AnonPiError
from ..core.shown import shown_json
from ..core.verbs import did_you_mean, nearest
from ..edges import image_store, netcage
from ..edges.completion_cache import IMAGES, remember
from .grammar import IMAGE_HINT, parse_snapshot_args, wants_help
from .image_records import as_json as records_json
from .image_records import image_line, listed, table

IMAGE_SUBCOMMANDS = ("snapshot", "list")


def main(argv: list[str]) -> int:
    if wants_help(argv):
        from .help import IMAGE_HELP, IMAGE_SUB_HELP

        sys.stdout.write(IMAGE_SUB_HELP.get(argv[0], IMAGE_HELP))
        return 0
    if not argv:
        raise AnonPiError("image needs a subcommand: snapshot | list", IMAGE_HINT)
    sub, rest = argv[0], argv[1:]
    if sub == "snapshot":
        from .snapshot_verb import snapshot

        return snapshot(parse_snapshot_args(rest))
    if sub == "list":
        if rest not in ([], ["--json"]):
            raise AnonPiError(f"image list takes only --json, got: {' '.join(rest)}", IMAGE_HINT)
        return list_images(as_json=bool(rest))
    raise AnonPiError(f"unknown image subcommand: {sub}"
                      f"{did_you_mean(nearest(sub, IMAGE_SUBCOMMANDS))}", IMAGE_HINT)


def list_images(as_json: bool = False) -> int:
    """One store query at any N (edges.image_store); a terminal gets an aligned table with a
    header, a pipe the ruling-22 lines, `--json` one JSON document. Without netcage there is
    no store to read (and podman would create an empty one)."""
    netcage.require()
    found = listed(image_store.images())
    remember(IMAGES, (e.tag for e in found if e.tag))  # what a TAB after --image offers
    if as_json:
        sys.stdout.write(shown_json(jsonfmt.dumps(records_json(found))))
        return 0
    if not found:
        print("anon-pi: no anon-pi images yet; make one from a running session with "
              "`anon-pi image snapshot <name>`.")
        return 0
    lines = table(found) if sys.stdout.isatty() else [image_line(e) for e in found]
    print("\n".join(lines))
    return 0
