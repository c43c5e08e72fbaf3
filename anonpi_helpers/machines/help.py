"""Help for `machine`, `--delete-home` and `--delete-project` (ruling 1), kept apart so the
verbs import nothing else to print it."""

MACHINE_HELP = """\
anon-pi machine - machines: an image pin plus a persistent home.

Usage:
  anon-pi machine create <name> [--image <ref>] [--force]
  anon-pi machine list
  anon-pi machine set-image <name> <ref> [--force]
  anon-pi machine rm <name> [--yes|-y]

A machine is an image plus a persistent host home, stored at
$ANON_PI_HOME/machines/<name>/{machine.json,home/}. The home is mounted at /root in the
jail and is seeded from the image on the first launch, not at create.

create     pins <ref> (asked on a terminal when --image is omitted) and makes an empty
           home; a ref netcage's store does not hold is refused (--force pins it
           anyway). When netcage is on PATH and the image carries the label
           anon-pi.source-machine (an `anon-pi image snapshot`), and that machine's home
           still exists, its home is COPIED into the new one minus its conversations,
           with or without a terminal (config, extensions, dotfiles, the seed marker).
           Conversations are then offered per project, default SKIP; with no terminal
           none are copied. Afterwards you may delete the copied groups from the source.
list       one line per machine: <name><TAB><image>, "(no image)" or "(invalid
           machine.json)".
set-image  re-pins the image only (a ref netcage's store does not hold is refused unless
           --force); an already-seeded home is NOT reseeded (a warning says how to
           refresh it). The home and its conversations are untouched.
rm         deletes the machine folder (pin, home, conversations, per-machine seeds)
           after a [y/N] question on a terminal; --yes skips it; with no terminal and
           no --yes nothing is deleted. Project folders are never touched.

Snapshots of a running machine live under `anon-pi image snapshot`.
Each subcommand has its own help: `anon-pi machine <subcommand> --help`.
"""

SUB_HELP = {
    "create": """\
Usage: anon-pi machine create <name> [--image <ref>] [--force]

Creates machine <name>: pins the image <ref> (asked on a terminal when --image is
omitted) and makes an empty home at $ANON_PI_HOME/machines/<name>/home, seeded from the
image on the first launch. A <ref> netcage's store does not hold is refused, with how to
build or load it; --force pins it anyway (when the store cannot be asked, a note says so
and the pin goes ahead). When netcage is on PATH and the image is an `anon-pi image
snapshot` (label anon-pi.source-machine) of a machine whose home still exists, that home
is COPIED into the new one minus its conversations; conversations are then offered per
project on a terminal (default SKIP), none without one.
Then: anon-pi -m <name> --shell
""",
    "list": """\
Usage: anon-pi machine list [--json]

One row per machine: its name and its pinned image, "(no image)" or "(invalid
machine.json)". On a terminal: an aligned table with a header; piped: one
<name><TAB><image> line each, no header. --json prints one JSON list instead:
[{"name": ..., "image": <ref or null>, "valid": <false for an invalid machine.json>}].
""",
    "set-image": """\
Usage: anon-pi machine set-image <name> <ref> [--force]

Re-pins machine <name> to the image <ref>; a <ref> netcage's store does not hold is
refused, with how to build or load it (--force re-pins anyway). Only the pin changes: an already-seeded home
is NOT reseeded (a warning says how to refresh it); the home and its conversations are
untouched.
""",
    "rm": """\
Usage: anon-pi machine rm <name> [--yes|-y]

Deletes the machine folder (pin, home, conversations, per-machine seeds) after a [y/N]
question on a terminal; --yes skips it; with no terminal and no --yes nothing is
deleted. Project folders are never touched. A symlinked machine folder loses only its
link.
""",
}

DELETE_HOME_HELP = """\
anon-pi --delete-home [<machine>] [--yes|-y]

Deletes a machine's home (its conversations, pi config, extensions and tools) at
$ANON_PI_HOME/machines/<machine>/home. Kept: machine.json (the image pin), the
per-machine models.json/settings-seed.json, every project folder and every other machine.
The next launch recreates and re-seeds the home.

<machine> defaults to config.json's defaultMachine, else "default"; an unreadable
config.json is an error, never a silent fallback. A terminal asks [y/N] first; --yes
skips the question; with no terminal and no --yes nothing is deleted. A symlinked home
loses only its link.
"""

DELETE_PROJECT_HELP = """\
anon-pi --delete-project <project> [--yes|-y]

Deletes a project's folder under the projects root (ANON_PI_PROJECTS, else config.json's
projects, else $ANON_PI_HOME/projects) and its conversations (the --projects-<project>--
session folder) in every machine home. Conversations of --mount launches
(--work-<project>--) and the rest of every home are kept.

A terminal asks [y/N] first; --yes skips the question; with no terminal and no --yes
nothing is deleted. A symlinked project folder loses only its link (the checkout it
points at is kept); a symlinked sessions folder is skipped with a warning.
"""
