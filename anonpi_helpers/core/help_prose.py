"""The words of the help pages and the man page that are not lists of flags: what each verb
does, in paragraphs. Usage lines, flag and argument lists come from the command table
(core/command_table.py) through core/help_pages.py, so a flag is never described here; a
test checks that every flag these words mention is one the table knows."""

LAUNCH_TITLE = """\
anon-pi - run the pi coding agent inside a netcage jail: every connection leaves through
your socks5h proxy (fail-closed); one direct hole reaches your local model."""

LAUNCH_FORMS = """\
Usage:
  anon-pi                               menu: pick a project, `.`, a new project or a shell
  anon-pi <project> [pi args...]        pi in /projects/<project> (a new project's folder is
                                        announced; a terminal asks first)
  anon-pi . [pi args...]                pi at the projects root (/projects)
  anon-pi --here [pi args...]           pi on the current folder: only that folder is mounted,
                                        at /work/<its name>, and pi starts there
  anon-pi <path> [pi args...]           the same for a folder given as a path: any word with
                                        a `/` (`./repo`, `~/code/repo`, `..`); `.` stays the
                                        projects root
  anon-pi --shell [<project>|.|<path>]  a jailed bash instead of pi (also with --here)
  anon-pi pi [pi args...]               pi with no project (e.g. `anon-pi pi --version`)
  anon-pi <pi flag> [...]               the same: a flag anon-pi does not own, where the
                                        project would stand, starts pi at the projects root
                                        with it (`anon-pi -p "hi"`, `--model qwen3`)
  anon-pi <project> [pi args...] -- [pi args...]
                                        everything after `--` is pi's, verbatim

anon-pi's launch flags are anon-pi's wherever they stand before `--`, also after the project
(`anon-pi recon --dry-run -p hi` is a dry run); every other word after the project is pi's.
An anon-pi flag right after a pi flag that takes a value (`--model --dry-run`) is refused:
put anon-pi's flags first, or pi's value after `--`."""

LAUNCH_HEADLESS = """\
Headless pi calls (-p/--print, --list-models, --version, --help, --export) need no terminal.
`-p ... --mode text-stream` shows the run live on stderr (text, tool calls, errors, retries)
and prints only the final answer on stdout; a failed last turn exits 1.
A first word that is a common command (`status`, `ls`, `rm`, `update`, ...) and no project
folder is refused with the verb that does it; so is a near-typo of a verb."""

LAUNCH_TAIL = """\
Settings (environment wins over ~/.anon-pi/config.json):
  ANON_PI_PROXY     socks5h://host:port (e.g. Tor socks5h://127.0.0.1:9050)
  ANON_PI_LLM       the model's private IP:port (e.g. 192.168.1.150:8080)
  ANON_PI_IMAGE     fallback image when a machine has none pinned
  ANON_PI_HOME      the workspace (default ~/.anon-pi)
  ANON_PI_PROJECTS  the projects root (default $ANON_PI_HOME/projects)

pi runs with PI_OFFLINE=1 PI_TELEMETRY=0 (no update check, no install report, no
downloads: it talks to your model only); `"piNetwork": true` in config.json turns that off.
The jail runs with TZ=UTC and LANG=C.UTF-8, and a machine home without a git identity gets
`anon <anon@localhost>` in its ~/.gitconfig (never over your own); machine.json's
"timezone", "locale" and "gitIdentity" choose others.

Every launch is throwaway: the container is removed on exit; the machine home
(~/.anon-pi/machines/<m>/home) and your project folders stay on the host. To keep
one, make it a box: `anon-pi container create <name> [<project>]`.

Exit status: 0 done; 1 a failure or refusal (or "no" at a question); 2 a usage error (an
unknown verb, sub-verb, flag or choice, a missing or extra argument); 130 cancelled
(Ctrl-C, q or Esc); 143 terminated (SIGTERM); a launch otherwise exits with netcage's own
status."""

# keyed by the command's name (`machine create`), a group's word (`machine`)
ABOUT = {
    "init": """\
Interactive onboarding, evidence-based and re-runnable. Four steps, each pre-filled with
the current value (Enter keeps it):
  1/4 proxy        probes the usual local SOCKS ports with a SOCKS5 handshake (evidence
                   only: no exit operator is ever claimed), lets you pick one (Enter takes
                   the only one) or type host:port, pulls netcage's own images through it,
                   then, if you agree to its one direct request (Enter: no), proves it with
                   `netcage verify` and shows the exit IP. With none, it names the usual
                   ways to start one.
                   When it looks like Tor: own circuits per machine or project?
                   (`isolation` in config.json). Then whether pi may reach its own
                   services (default no: pi stays silent; `piNetwork` in config.json).
  2/4 local model  the one direct hole: a private, link-local or loopback IP:port; with
                   none set, it looks on this host's loopback only (llama.cpp 8080, Ollama
                   11434, LM Studio 1234, vLLM 8000) and Enter takes what answers. Models
                   are merged from your own pi models.json ([configured], only the provider
                   at that address) and the server's /v1/models ([server]). Each
                   chosen model's context window, output limit and reasoning flag are
                   asked from the server (llama.cpp, vLLM, Ollama, LM Studio), shown,
                   and editable.
  3/4 image        builds the shipped Dockerfile.pi (Enter, when none is pinned) or the
                   webveil one into netcage's store, every download through the proxy, or
                   takes an existing image ref, or keeps the current one (Enter, when one
                   is pinned).
  4/4 projects     the projects root, mounted at /projects in the jail (shown as a launch
                   resolves it: ANON_PI_PROJECTS first; Enter keeps it). When the
                   workspace shows your login name, offers the neutral layout: one
                   `sudo install -d` you run yourself, then init moves the workspace
                   there and leaves ~/.anon-pi as a link.

It writes config.json, the default machine's machine.json and the model seeds in the
workspace ($ANON_PI_HOME, default ~/.anon-pi); machine homes and sessions are never
destroyed (already-seeded homes get the new model list in place). Nothing is written
until every answer is in: Ctrl-C or Ctrl-D at any prompt leaves everything as it was.
It ends with `ready: anon-pi <project>` only when a launch would pass its checks (the
environment's ANON_PI_* values included), else `not ready yet:` and each missing piece
with its fix. init runs automatically on the first launch when no config.json exists yet.
A real-looking apiKey of your pi provider for the local model is refused unless
--force-allow-local-llm-api-key says to copy it (written mode 0600).""",
    "machine": """\
A machine is an image plus a persistent host home, stored at
$ANON_PI_HOME/machines/<name>/{machine.json,home/}. The home is mounted at /root in the
jail and is seeded from the image on the first launch, not at create (its git identity
too: machine.json "gitIdentity", default `anon <anon@localhost>`). A machine created
from an `anon-pi image snapshot` gets a copy of its source machine's home
minus its conversations (offered per project on a terminal). Snapshots of a running
machine live under `anon-pi image snapshot`.""",
    "machine create": """\
Creates machine <name>: pins the image <ref> (asked on a terminal when --image is
omitted) and makes an empty home at $ANON_PI_HOME/machines/<name>/home, seeded from the
image on the first launch. A <ref> netcage's store does not hold is refused, with how to
build or load it; --force pins it anyway (when the store cannot be asked, a note says so
and the pin goes ahead). When netcage is on PATH and the image is an `anon-pi image
snapshot` (label anon-pi.source-machine) of a machine whose home still exists, that home
is COPIED into the new one minus its conversations, with or without a terminal (config,
extensions, dotfiles, the seed marker); conversations are then offered per project on a
terminal (default SKIP), none without one.
Then: anon-pi -m <name> --shell""",
    "machine list": """\
One row per machine: its name and its pinned image, "(no image)" or "(invalid
machine.json)". On a terminal: an aligned table with a header; piped: one
<name><TAB><image> line each, no header. --json prints one JSON list instead:
[{"name": ..., "image": <ref or null>, "valid": <false for an invalid machine.json>}].""",
    "machine set-image": """\
Re-pins machine <name> to the image <ref>; a <ref> netcage's store does not hold is
refused, with how to build or load it (--force re-pins anyway). Only the pin changes: an
already-seeded home is NOT reseeded (a warning says how to refresh it); the home and its
conversations are untouched.""",
    "machine rm": """\
Deletes the machine folder (pin, home, conversations, per-machine seeds) after a [y/N]
question on a terminal; --yes skips it; with no terminal and no --yes nothing is
deleted. --dry-run names what would go and deletes nothing. Project folders are never
touched. A symlinked machine folder loses only its link.""",
    "image": """\
Images anon-pi made from a running jail, with provenance labels: make one with
`snapshot`, see them with `list`; then `anon-pi machine create <m> --image
anon-pi/<name>:latest`.""",
    "image snapshot": """\
Commits the CURRENT filesystem of a RUNNING jailed container (tools you installed,
caches) into anon-pi/<name>:latest, with the provenance labels anon-pi.source-machine,
anon-pi.source-image and anon-pi.snapshot-at. The labels that say which run it was are
not handed on: anon-pi.key (it holds host paths), anon-pi.container and
anon-pi.container-token are blanked, netcage.role too, and netcage.run-id becomes `none`
(netcage.managed stays). Keep a session open and run this from another terminal.
The container is found automatically (a picker when several run); -m only narrows the
search to one machine. podman pauses the container briefly. A same-name snapshot
overwrites :latest; the old image becomes dangling but keeps its labels.
<name>: lowercase letters and digits joined by '.', '_', '__' or '-' (at most 128;
not 'pi' or 'pi-webveil').
--create-machine makes a new machine pinned to the image, its home carried over from the
source machine minus conversations (offered per project on a terminal); --update-machine
re-pins an existing one (its home untouched). stdout gets one result line (or, with
--json, one JSON document); netcage's and podman's own output stays off it. --dry-run
prints the netcage line it would run and what it would make, and commits nothing.
Then: anon-pi machine create <m> --image anon-pi/<name>:latest""",
    "image list": """\
Lists the images tagged anon-pi/... (also localhost/anon-pi/...) and the dangling ones
that carry anon-pi.source-machine, read straight off the labels in netcage's store (one
query): a table on a terminal; piped, one line each:
<tag>  from machine <m>  <snapshot time>  id:<12 chars>
--json prints one JSON array instead: tag, id, sourceMachine, sourceImage, snapshotAt.""",
    "config": """\
The settings a launch reads, with where each comes from: the environment (ANON_PI_PROXY,
ANON_PI_LLM, ANON_PI_PROJECTS, ANON_PI_ISOLATION, ANON_PI_IMAGE), config.json, the machine's
machine.json, or the default. Keys: proxy, llm, defaultMachine, projects, isolation,
piNetwork (config.json); image, gitIdentity, timezone, locale (machine.json; projects and
web too with -m: web is proxy, none or an allow-list like github.com,*.pypi.org).""",
    "config set": """\
Checks the value as init checks its answer (a socks5h:// proxy, a private or loopback
IP:port for llm, the name rules for defaultMachine, a mountable folder for projects,
machine|project|none, true|false, an image netcage's store holds) and writes the file
atomically; unknown keys of the file are kept. Says so when the environment still wins.""",
    "container": """\
A box is a launch that is KEPT when you exit, labelled anon-pi.container=<name>: tools you
install and files outside your home and projects stay. The bare `anon-pi` menu offers
the stopped boxes of the current machine too.""",
    "container create": """\
A launch like any other (same machine, image, proxy, llm, mounts and seeding; -i only on
a seeded home), but the container is KEPT when you exit and labelled
anon-pi.container=<name>. A box of that name must not exist yet. With --here (or a folder's
path where the project stands) the box works on that folder alone, at /work/<its name>.
Needs a terminal, except with --dry-run, which prints the netcage command line and creates
nothing.""",
    "container enter": """\
Starts a STOPPED box again (`netcage start`) with the proxy and llm it was created with;
netcage refuses a box whose jail settings changed since. Its image, home and cwd are
frozen: -i, -m, --mount, --shell and a project are refused (make a new box, or
`anon-pi image snapshot <image>` this one while it runs). A running box is reached with
`anon-pi forward` / `anon-pi ports` (its picker row says [box <name>]). --dry-run prints
the netcage command line and starts nothing.""",
    "container list": """\
One row per box: name, machine, cwd, image, running/stopped; aligned with a header on a
terminal, tab-separated when piped, or --json.""",
    "container rm": """\
Removes a stopped box; a running one only with --yes (a terminal asks y/N). The machine
home and the projects stay on the host. --dry-run names the container it would remove.""",
    "forward": """\
Finds the running anon-pi container like `anon-pi ports` does (of every machine, or only
<machine> with -m; of <project>, or `.` for the projects root, when given; a picker when
several match), then runs `netcage forward [--bind <addr>] <container> <port>` until
you press Ctrl-C. The port is 3001 (same port on both sides) or 8080:3001; without
--port, a terminal asks, offering the listeners found. It prints where to point a
browser, http://127.0.0.1:<host port>, and warns when the server inside listens on
loopback only (the forward may not reach it). An explicit port is not refused when
nothing listens yet, so a server that is still starting can be forwarded.""",
    "ports": """\
Finds the running anon-pi container (of every machine, or only <machine> with -m; of
<project>, or `.` for the projects root, when given; a picker when several match) and
prints what listens inside it under a `<machine> / <project>:` line, one
`  <address>:<port>\t<scope>` line each. --json prints one JSON document instead:
{"machine", "project", "container", "listeners": [{"address", "port", "loopback_only",
"netcage_dns"}]}. netcage's own DNS forwarder (port 53, loopback) is shown and labelled.
Needs netcage >= 0.10.0. To reach one of them: anon-pi forward.""",
    "--delete-home": """\
Deletes a machine's home (its conversations, pi config, extensions and tools) at
$ANON_PI_HOME/machines/<machine>/home. Kept: machine.json (the image pin), the
per-machine models.json/settings-seed.json, every project folder and every other machine.
The next launch recreates and re-seeds the home.
<machine> defaults to config.json's defaultMachine, else "default"; an unreadable
config.json is an error, never a silent fallback. A terminal asks [y/N] first; --yes
skips the question; with no terminal and no --yes nothing is deleted; --dry-run names
what would go and deletes nothing. A symlinked home loses only its link.""",
    "--delete-project": """\
Deletes a project's folder under the projects root (ANON_PI_PROJECTS, else config.json's
projects, else $ANON_PI_HOME/projects) and its conversations (the --projects-<project>--
session folder) in every machine home. Conversations of --mount launches
(--work-<project>--) and the rest of every home are kept.
A terminal asks [y/N] first; --yes skips the question; with no terminal and no --yes
nothing is deleted; --dry-run names what would go and deletes nothing. A symlinked
project folder loses only its link (the checkout it points at is kept); a symlinked
sessions folder is skipped with a warning.""",
    "doctor": """\
Checks what a real launch needs, one line each (`ok`, `FAIL` or `warn`, with a `fix:` line
once per problem): netcage on PATH and its version, netcage's own config.json (one it cannot
read stops every launch), podman 5 or newer running rootless, pasta, /dev/net/tun usable by
a normal user, your subordinate uid/gid ranges, the proxy (set, socks5h://, answers a
SOCKS5 greeting, the URL netcage gets with stream isolation, password masked), the llm (set,
allowed, reachable over TCP), netcage's sidecar and probe images in its store (else the
first launch pulls them directly: how to pre-pull through the proxy), each machine's image
(pinned and in netcage's store), the workspace (writable, its JSON files readable), and what
the jail will see: every mount source as the kernel resolves it and netcage's temp folder,
with a warning when one shows your login name or home path (--here: also the current folder,
as `anon-pi --here` would mount it, or why it is refused). Exit 0 unless something FAILed.
--json prints one JSON document instead: {"ok": <nothing failed>, "checks": [{"status",
"name", "detail", "fix"}]} (same exit code). README.md#troubleshooting explains each FAIL.""",
    "completions": """\
Prints the completion script for that shell (completes verbs, flags, machine and project
names read straight from your workspace; a TAB starts no Python).

  bash:  eval "$(anon-pi completions bash)"      (e.g. in ~/.bashrc)
  zsh:   eval "$(anon-pi completions zsh)"       (in ~/.zshrc, after compinit)
  fish:  anon-pi completions fish | source       (or save it in ~/.config/fish/completions/)

`make install` already puts them where the shells look
($PREFIX/share/bash-completion/completions/anon-pi, $PREFIX/share/zsh/site-functions/_anon-pi,
$PREFIX/share/fish/vendor_completions.d/anon-pi.fish).""",
    "help": """\
The same page as `anon-pi <verb> [<sub-verb>] --help`; alone, the launch's help.""",
    "version": """\
Prints `anon-pi <version>`, as `anon-pi --version` does.""",
}
