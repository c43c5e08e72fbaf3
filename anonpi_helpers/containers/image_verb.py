"""`anon-pi image snapshot|list`: the dispatcher and the listing (snapshot_verb commits)."""

from ..core import jsonfmt
from ..core.shown import shown_json
from ..edges import image_store, netcage
from ..edges.completion_cache import IMAGES, remember
from ..edges.terminal import is_terminal
from .image_records import as_json as records_json
from .image_records import image_line, listed, table


def main(line, io) -> int:
    """`line`: the parsed `image snapshot|list` command line (core/command_line.py)."""
    if line.sub == "snapshot":
        from .snapshot_verb import snapshot

        return snapshot(io, line)
    return list_images(io, as_json=line.json)


def list_images(io, as_json: bool = False) -> int:
    """One store query at any N (edges.image_store); a terminal gets an aligned table with a
    header, a pipe one line per image, `--json` one JSON document. Without netcage there is
    no store to read (and podman would create an empty one)."""
    netcage.require(io)
    found = listed(image_store.images(io))
    remember(io, IMAGES, (e.tag for e in found if e.tag))  # what a TAB after --image offers
    if as_json:
        io.stdout.write(shown_json(jsonfmt.document(records_json(found))))
        return 0
    if not found:
        from ..edges.terminal import note

        note(io, "no anon-pi images yet; make one from a running session with "
             "`anon-pi image snapshot <name>`.")
        return 0
    lines = table(found) if is_terminal(io.stdout) else [image_line(e) for e in found]
    io.stdout.write("\n".join(lines) + "\n")
    return 0
