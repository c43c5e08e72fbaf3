"""Help for `machine`, `--delete-home` and `--delete-project` (ruling 1), kept apart so the
verbs import nothing else to print it."""

MACHINE_HELP = """\
anon-pi machine - machines: an image pin plus a persistent home.

Usage:
  anon-pi machine create <name> [--image <ref>]
  anon-pi machine list
  anon-pi machine set-image <name> <ref>
  anon-pi machine rm <name> [--yes|-y]

A machine is an image plus a persistent host home, stored at
$ANON_PI_HOME/machines/<name>/{machine.json,home/}. The home is mounted at /root in the
jail and is seeded from the image on the first launch, not at create.

create     pins <ref> (asked on a terminal when --image is omitted) and makes an empty
           home. When netcage is on PATH and the image carries the label
           anon-pi.source-machine (an `anon-pi image snapshot`), and that machine's home
           still exists, its home is COPIED into the new one minus its conversations,
           with or without a terminal (config, extensions, dotfiles, the seed marker).
           Conversations are then offered per project, default SKIP; with no terminal
           none are copied. Afterwards you may delete the copied groups from the source.
list       one line per machine: <name><TAB><image>, "(no image)" or "(invalid
           machine.json)".
set-image  re-pins the image only; an already-seeded home is NOT reseeded (a warning
           says how to refresh it). The home and its conversations are untouched.
rm         deletes the machine folder (pin, home, conversations, per-machine seeds)
           after a [y/N] question on a terminal; --yes skips it; with no terminal and
           no --yes nothing is deleted. Project folders are never touched.

Snapshots of a running machine live under `anon-pi image snapshot`.
"""

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
