"""Help of the verbs that act on a running jail (kept apart so `-h` imports nothing else)."""

IMAGE_HELP = """\
anon-pi image - snapshot a running jail into an image, and list those images

Usage:
  anon-pi image snapshot <name> [-m <machine>] [--create-machine <m> | --update-machine <m>]
  anon-pi image list [--json]

snapshot  commits the CURRENT filesystem of a RUNNING jailed container (tools you
          installed, caches) into anon-pi/<name>:latest, with provenance labels:
          anon-pi.source-machine, anon-pi.source-image and anon-pi.snapshot-at.
          The container's own anon-pi.key label (it holds host paths) is blanked.
          Start a session, keep it open, and run this from another terminal.
          The container is found automatically (a picker when several run);
          -m only narrows the search to one machine. podman pauses the container
          briefly. A same-name snapshot overwrites :latest; the old image becomes
          dangling but keeps its labels.
          <name>: lowercase letters and digits joined by '.', '_', '__' or '-'
          (at most 128; not 'pi' or 'pi-webveil').
  --create-machine <m>
          also create machine <m> pinned to the new image. The source machine's home
          (config, extensions, dotfiles) is copied into it minus conversations, with
          or without a terminal; conversations are offered per project on a terminal
          (default skip) and not copied without one.
  --update-machine <m>
          also re-pin the EXISTING machine <m> to the new image (its home untouched;
          the set-image warning unless <m> is the machine the snapshot came from).
list      lists images tagged anon-pi/... (also localhost/anon-pi/...) and dangling
          ones that carry anon-pi.source-machine, read straight off the labels in
          netcage's store (one query): a table on a terminal; piped, one line each:
          <tag>  from machine <m>  <snapshot time>  id:<12 chars>
  --json  one JSON array: tag, id, sourceMachine, sourceImage, snapshotAt

Then: anon-pi machine create <m> --image anon-pi/<name>:latest
Each subcommand has its own help: `anon-pi image snapshot --help`, `anon-pi image list --help`.
"""

IMAGE_SUB_HELP = {
    "snapshot": """\
Usage: anon-pi image snapshot <name> [-m <machine>] [--create-machine <m>]

Commits the CURRENT filesystem of a RUNNING jailed container (tools you installed,
caches) into anon-pi/<name>:latest, with the provenance labels anon-pi.source-machine,
anon-pi.source-image and anon-pi.snapshot-at; the container's anon-pi.key label (it
holds host paths) is blanked. Keep a session open and run this from another terminal.
The container is found automatically (a picker when several run).
  -m, --machine <m>      only consider containers of this machine
  --create-machine <m>   also create machine <m> pinned to the new image, its home
                         carried over from the source machine minus conversations
<name>: lowercase letters and digits joined by '.', '_', '__' or '-' (at most 128;
not 'pi' or 'pi-webveil'). A same-name snapshot overwrites :latest.
Then: anon-pi machine create <m> --image anon-pi/<name>:latest
""",
    "list": """\
Usage: anon-pi image list [--json]

Lists the images tagged anon-pi/... (also localhost/anon-pi/...) and the dangling ones
that carry anon-pi.source-machine, with their provenance read off the image labels:
tag, source machine, snapshot time and the short image id. --json prints one JSON
document instead.
""",
}

PORTS_HELP = """\
anon-pi ports - list the TCP listeners inside a running jail

Usage:
  anon-pi ports [<project>|.] [-m <machine>] [--json]

Finds the running anon-pi container (of every machine, or only <machine> with -m;
of <project>, or `.` for the projects root, when given; a picker when several match)
and prints what listens inside it under a `<machine> / <project>:` line, one
`  <address>:<port>\t<scope>` line each. --json prints one JSON document instead:
{"machine", "project", "container", "listeners": [{"address", "port", "loopback_only",
"netcage_dns"}]}.
netcage's own DNS forwarder (port 53, loopback) is shown and labelled.
Needs netcage >= 0.10.0. To reach one of them: anon-pi forward.
"""

FORWARD_HELP = """\
anon-pi forward - reach a server inside a running jail from this host

Usage:
  anon-pi forward [<project>|.] [--port|-p [host:]jail] [--bind <addr>] [-m <machine>]

Finds the running anon-pi container like `anon-pi ports` does, then runs
`netcage forward [--bind <addr>] <container> <token>` until you press Ctrl-C.
  -p, --port [host:]jail  e.g. 3001 (same port on both sides) or 8080:3001;
                          without it, a terminal asks, offering the listeners found
  --bind <addr>           127.0.0.1 (this host only, netcage's default) or 0.0.0.0
  -m, --machine <name>    only containers of this machine (default: every machine)
It prints where to point a browser, http://127.0.0.1:<host port>, and warns when the
server inside listens on loopback only (the forward may not reach it). An explicit port
is not refused when nothing listens yet, so a server that is still starting can be
forwarded.
"""

CONTAINER_HELP = """\
anon-pi container - durable named boxes: a jail that survives exit

Usage:
  anon-pi container create <name> [-i <image>] [-m <machine>] [--mount <dir>]
                           [<project>|.|--shell]
  anon-pi container enter <name>
  anon-pi container list [--json]
  anon-pi container rm <name> [-y|--yes]

create  a launch like any other (same machine, image, proxy, llm, mounts and seeding;
        -i only on a seeded home), but the container is KEPT when you exit and labelled
        anon-pi.container=<name>: tools you install and files outside your home and
        projects stay. A box of that name must not exist yet. Needs a terminal.
enter   starts a STOPPED box again (`netcage start`) with the proxy and llm it was
        created with; netcage refuses a box whose jail settings changed since. Its
        image, home and cwd are frozen: -i, -m, --shell and a project are refused
        (make a new box, or `anon-pi image snapshot <image>` this one while it runs).
        A running box is reached with `anon-pi forward` / `anon-pi ports` (its picker
        row says [box <name>]).
list    one row per box: name, machine, cwd, image, running/stopped; aligned with a
        header on a terminal, tab-separated when piped, or --json.
rm      removes a stopped box; a running one only with --yes (a terminal asks y/N).
        The machine home and the projects stay on the host.
The bare `anon-pi` menu offers the stopped boxes of the current machine too.
"""
