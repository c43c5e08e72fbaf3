"""Invoke tasks: every anon-pi verb with named flags, for scripts and Makefiles.

Each task only turns its flags into the anon-pi command line it stands for and runs the very
same code `bin/anon-pi` runs, so both surfaces give the same netcage argv, files and exit code.
@verb declares, for the completion generator (ruling 23), the `anon-pi` words a task implements,
how each parameter is spelled on the command line (`<machine>` a positional, `-m|--machine
<machine>` a flag taking one, `--dry-run` a switch, `(bash|zsh)` choices), `says`: the verb in
a user's words (completion descriptions; the docstring is for `inv --help`), `after`: launch
flags that go after the project (pi's `-c`), `instead`: flags naming the target (`--session`).
"""

from invoke import Collection, Exit, task

from anonpi_helpers.cli import main as anon_pi


def verb(words: str, says: str, help: dict[str, str] | None = None,
         spell: dict[str, str] | None = None, launch_mode: bool = False,
         after: tuple[str, ...] = (), instead: tuple[str, ...] = ()):
    """Declare a task, the `anon-pi` words it implements, what it does in a user's words, and
    its parameters' anon-pi spelling."""

    def wrap(fn):
        t = task(help=help or {})(fn)
        t.anon_pi_words = words
        t.anon_pi_says = says
        t.anon_pi_args = spell or {}
        t.anon_pi_help = dict(help or {})  # Invoke pops task.help while building its parser
        t.anon_pi_launch_mode = launch_mode
        t.anon_pi_after = after
        t.anon_pi_instead = instead
        return t

    return wrap


def _run(argv: list[str]) -> None:
    code = anon_pi(argv)
    if code:
        raise Exit(code=code)


def _flag(name: str, value) -> list[str]:
    return [name, value] if value else []


def _launch_flags(machine, image, mount, dry_run) -> list[str]:
    return (_flag("-m", machine) + _flag("-i", image) + _flag("--mount", mount)
            + (["--dry-run"] if dry_run else []))


_LAUNCH_HELP = {
    "machine": "machine to use (default: config defaultMachine, else 'default')",
    "image": "run this image once (only on an already-seeded home)",
    "mount": "host folder mounted at /work; the project is one of its subfolders",
    "dry_run": "print the netcage command line and exit; creates nothing",
}
_LAUNCH_SPELL = {"project": "<project|.>", "machine": "-m|--machine <machine>",
                 "image": "-i|--image <image>", "mount": "--mount <dir>", "dry_run": "--dry-run"}
_M = "-m|--machine <machine>"
_YES = "-y|--yes"
_JSON = {"json": "print one JSON document instead (keys in the README)"}
_FORCE = "pin it even when netcage's store does not hold the image"
_JSON_SPELL = {"json": "--json"}


def _json(json: bool) -> list[str]:
    return ["--json"] if json else []


@verb("", "run pi in the jail", help={
    "project": "project folder name, or '.' for the projects root; pi arguments go after `--`",
    "session": "resume this conversation (its id or first characters) in its own folder; no "
               "project with it",
    "resume": "pi's own conversation picker (at the root, or in --project)",
    "list_models": "ask pi which models it sees, then exit (instead of a project)",
    "continue_": "continue the project's last conversation",
    "fork": "fork this conversation into a new one in the project", **_LAUNCH_HELP},
      spell={**_LAUNCH_SPELL, "session": "--session|--session-id <id>", "resume": "-r|--resume",
             "list_models": "--list-models|--models", "continue_": "-c|--continue",
             "fork": "--fork <session>"},
      after=("continue_", "fork"), instead=("session", "resume", "list_models"))
def launch(c, project=None, session=None, resume=False, machine=None, image=None, mount=None,
           dry_run=False, list_models=False, continue_=False, fork=None):
    """Launch pi in the jail (`anon-pi <project> [pi args...]`); no project opens the menu."""
    if session and project:
        raise Exit("--session runs in the conversation's own folder: drop --project", code=1)
    target = (["--session", session] if session else []) + ([project] if project else [])
    if list_models:
        target = ["--list-models"]
    after = ((["-r"] if resume else []) + (["--continue"] if continue_ else [])
             + _flag("--fork", fork))
    _run(_launch_flags(machine, image, mount, dry_run) + target + after + _pi_args(c))


def _pi_args(c) -> list[str]:
    """pi's arguments after `--`, verbatim (Invoke's own remainder joins them with spaces)."""
    import shlex
    import sys

    if "--" in sys.argv:
        return sys.argv[sys.argv.index("--") + 1:]
    return shlex.split(getattr(c, "remainder", "") or "")


@verb("--shell", "a jailed bash instead of pi", help={"project": "project folder (or '.'); default: the projects root",
                       **_LAUNCH_HELP}, spell=_LAUNCH_SPELL, launch_mode=True)
def shell(c, project=None, machine=None, image=None, mount=None, dry_run=False):
    """Open a jailed bash (`anon-pi --shell [<project>]`)."""
    _run(_launch_flags(machine, image, mount, dry_run) + ["--shell"]
         + ([project] if project else []))


@verb("image snapshot", "save a running jail as an image", help={
    "name": "snapshot name: the image becomes anon-pi/<name>:latest",
    "machine": "only consider containers of this machine",
    "create_machine": "also create this machine pinned to the snapshot (home carried over)",
    "update_machine": "also re-pin this existing machine to the snapshot (home untouched)"},
      spell={"name": "<name>", "machine": _M, "create_machine": "--create-machine <name>",
             "update_machine": "--update-machine <machine>"})
def snapshot(c, name, machine=None, create_machine=None, update_machine=None):
    """Commit a RUNNING jailed container into anon-pi/<name>:latest with provenance labels."""
    _run(["image", "snapshot", name] + _flag("-m", machine)
         + _flag("--create-machine", create_machine)
         + _flag("--update-machine", update_machine))


@verb("container create", "make a durable box that survives exit", help={
    "name": "the box's name (its label anon-pi.container=<name>)",
    "project": "project folder the box starts in, or '.' for the projects root",
    "image": "run this image (only on an already-seeded home)",
    "machine": "machine whose home the box mounts",
    "mount": "host folder mounted at /work; the project is one of its subfolders",
    "shell": "the box runs bash instead of pi"},
      spell={"name": "<name>", "project": "<project|.>", "image": "-i|--image <image>",
             "machine": _M, "mount": "--mount <dir>", "shell": "--shell"})
def container_create(c, name, project=None, image=None, machine=None, mount=None, shell=False):
    """Create a durable box: a launch that is kept when you exit (re-enter it later)."""
    _run(["container", "create", name] + _flag("-i", image) + _flag("-m", machine)
         + _flag("--mount", mount) + (["--shell"] if shell else [])
         + ([project] if project else []))


@verb("container enter", "start a stopped box again", help={"name": "the stopped box to start again"},
      spell={"name": "<box>"})
def container_enter(c, name):
    """Re-enter a stopped box with the proxy and llm it was created with."""
    _run(["container", "enter", name])


@verb("container list", "list the durable boxes", help=_JSON, spell=_JSON_SPELL)
def container_list(c, json=False):
    """List the boxes: name, machine, cwd, image, running/stopped."""
    _run(["container", "list"] + _json(json))


@verb("container rm", "remove a durable box", help={"name": "the box to remove",
                            "yes": "remove it even when it is running, without asking"},
      spell={"name": "<box>", "yes": _YES})
def container_rm(c, name, yes=False):
    """Remove a box (its machine home and projects stay on the host)."""
    _run(["container", "rm", name] + (["--yes"] if yes else []))


@verb("image list", "list the snapshot images", help=_JSON, spell=_JSON_SPELL)
def images(c, json=False):
    """List anon-pi snapshot images (tagged and dangling) with their provenance."""
    _run(["image", "list"] + _json(json))


@verb("machine create", "make a machine: an image and a home",
      help={"name": "the new machine's name",
            "image": "image ref to pin (prompted on a terminal when omitted)",
            "force": _FORCE},
      spell={"name": "<name>", "image": "--image <image>", "force": "--force"})
def machine_create(c, name, image=None, force=False):
    """Create a machine: an image pin plus an empty home, seeded on first launch."""
    _run(["machine", "create", name] + _flag("--image", image) + (["--force"] if force else []))


@verb("machine list", "list machines and their images", help=_JSON, spell=_JSON_SPELL)
def machine_list(c, json=False):
    """List machines and their pinned images (a table on a terminal, tab-separated piped)."""
    _run(["machine", "list"] + _json(json))


@verb("machine set-image", "pin another image",
      help={"name": "machine to re-pin", "image": "the new image ref", "force": _FORCE},
      spell={"name": "<machine>", "image": "<image>", "force": "--force"})
def machine_set_image(c, name, image, force=False):
    """Re-pin a machine's image (its home is NOT reseeded)."""
    _run(["machine", "set-image", name, image] + (["--force"] if force else []))


@verb("machine rm", "remove a machine and its home", help={"name": "machine to remove", "yes": "do not ask for confirmation"},
      spell={"name": "<machine>", "yes": _YES})
def machine_rm(c, name, yes=False):
    """Remove a machine: its pin, home and conversations."""
    _run(["machine", "rm", name] + (["--yes"] if yes else []))


@verb("forward", "reach a server in a running jail", help={
    "project": "project whose container to reach ('.' for the root)",
    "port": "[host:]jail port (prompted on a terminal when omitted)",
    "bind": "host address to bind (netcage accepts 127.0.0.1 or 0.0.0.0)",
    "machine": "only consider containers of this machine"},
      spell={"project": "<project|.>", "port": "-p|--port <port>", "bind": "--bind <addr>",
             "machine": _M})
def forward(c, project=None, port=None, bind=None, machine=None):
    """Forward a host port to a server inside a running jail."""
    _run(["forward"] + ([project] if project else []) + _flag("--port", port)
         + _flag("--bind", bind) + _flag("-m", machine))


@verb("ports", "list servers in a running jail",
      help={"project": "project whose container to inspect ('.' for the root)",
            "machine": "only consider containers of this machine", **_JSON},
      spell={"project": "<project|.>", "machine": _M, **_JSON_SPELL})
def ports(c, project=None, machine=None, json=False):
    """List the TCP listeners inside a running jail."""
    _run(["ports"] + ([project] if project else []) + _flag("-m", machine) + _json(json))


@verb("init", "set up proxy, model, image, projects",
      help={"force_allow_local_llm_api_key":
            "copy a real-looking api key of your local model into the jail"},
      spell={"force_allow_local_llm_api_key": "--force-allow-local-llm-api-key"})
def init(c, force_allow_local_llm_api_key=False):
    """Onboarding: proxy, local model, image, projects root."""
    _run(["init"] + (["--force-allow-local-llm-api-key"] if force_allow_local_llm_api_key
                     else []))


@verb("--delete-home", "delete a machine's home", help={"machine": "machine whose home to delete (default: the default "
                                        "machine)", "yes": "do not ask for confirmation"},
      spell={"machine": "<machine>", "yes": _YES})
def delete_home(c, machine=None, yes=False):
    """Delete a machine's home (conversations + config); the image pin is kept."""
    _run(["--delete-home"] + ([machine] if machine else []) + (["--yes"] if yes else []))


@verb("--delete-project", "delete a project and its conversations", help={"project": "project to delete",
                                "yes": "do not ask for confirmation"},
      spell={"project": "<project>", "yes": _YES})
def delete_project(c, project, yes=False):
    """Delete a project's folder and its conversations on every machine."""
    _run(["--delete-project", project] + (["--yes"] if yes else []))


@verb("doctor", "check what a launch needs", help=_JSON, spell=_JSON_SPELL)
def doctor(c, json=False):
    """Check netcage, podman, the proxy, the model, the image and the workspace."""
    _run(["doctor"] + _json(json))


@verb("completions", "print a shell completion script",
      help={"shell": "print the script for bash, zsh or fish instead of writing completions/"},
      spell={"shell": "(bash|zsh|fish)"})
def completions(c, shell=None):
    """Regenerate the completion scripts from this task list (or print one of them)."""
    if shell:
        _run(["completions", shell])
        return
    from anonpi_helpers.shell.verb import write_all

    for path in write_all(ns):
        print(f"wrote {path}")


ns = Collection(launch, shell, snapshot, images, container_create, container_enter,
                container_list, container_rm, machine_create, machine_list, machine_set_image,
                machine_rm, forward, ports, init, delete_home, delete_project, doctor, completions)


def _grouped(flat):
    """The same body, help and anon-pi words under a group name (a Task of its own: Invoke
    consumes a task's help while building its parser, so one object cannot serve two names)."""
    return verb(flat.anon_pi_words, flat.anon_pi_says, help=flat.anon_pi_help,
                spell=flat.anon_pi_args, launch_mode=flat.anon_pi_launch_mode,
                after=flat.anon_pi_after, instead=flat.anon_pi_instead)(flat.body)


# Invoke's idiom for groups (`machine.create`, `image.list`, `container.enter`) beside the flat
# names scripts use; completion reads the flat ones (each declares its words).
ns.add_collection(Collection("machine", create=_grouped(machine_create),
                             list=_grouped(machine_list), set_image=_grouped(machine_set_image),
                             rm=_grouped(machine_rm)))
ns.add_collection(Collection("image", snapshot=_grouped(snapshot), list=_grouped(images)))
ns.add_collection(Collection("container", create=_grouped(container_create),
                             enter=_grouped(container_enter), list=_grouped(container_list),
                             rm=_grouped(container_rm)))


def _program():
    """`anon-pi-inv`: this namespace as a program of its own, so it works from any folder and
    never reads (or hides) a tasks.py of the user's; `bin/anon-pi-inv` runs it."""
    from invoke import Program

    from anonpi_helpers import __version__

    return Program(namespace=ns, version=__version__, name="anon-pi-inv",
                   binary="anon-pi-inv")
