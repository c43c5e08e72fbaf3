"""netcage's management verbs: thin pass-throughs to podman in netcage's store.

ps, images, inspect, logs, stop, exec, rm, commit, build, pull and load never touch the jail's
network; netcage forwards them to podman with a few rules of its own (all recorded):

- `ps` always lists netcage's containers, both roles, running or not (`ps -a --filter
  label=netcage.managed=true`), then applies the caller's flags;
- `images` drops every argument and prints podman's table;
- inspect/logs/stop/exec/rm/commit refuse a name without `netcage.managed=true` (a plain image
  too): `inspect` takes exactly one name with its flags on either side, logs/stop/rm read their
  first argument as the name (`rm -f x` asks about "-f"), `exec` and `commit` accept only
  their listed flags and refuse any other like a jail-breaching one;
- `rm` removes the whole pair (`rm -f --depend <sidecar>`), by either half's name or id;
- `commit` snapshots the TOOL, named from the run id, and refuses a sidecar;
- `exec` needs both halves running; build/pull/load refuse a `--root` of the user's.

Refusals and podman failures exit 1 with one `netcage: <verb>: ...` line; a failed streamed call
shows podman's stderr twice (live, then inside that line). In the podman-free mode the same
argument rules apply and the answers come from canned.py.
"""
import sys

from . import canned
from .gostr import quote
from .manage_argv import commit_args, exec_args, inspect_args
from .managed import empty_store, require_managed, sidecar_name, tool_name
from .outcome import refused
from .podman import exit_text, podman, podman_attached
from .texts import podman_help

EMPTY_PS = "CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES\n"
EMPTY_IMAGES = "REPOSITORY  TAG         IMAGE ID    CREATED     SIZE\n"
FAKE_IMAGE_ID = "0" * 52 + "c0ffee0c0ffe"


def manage_verb(verb: str, args: list[str], real: bool) -> int:
    handler = {"ps": _ps, "images": _images, "inspect": _inspect, "logs": _named,
               "stop": _named, "rm": _rm, "exec": _exec, "commit": _commit,
               "build": _pass_through, "pull": _pass_through, "load": _pass_through}[verb]
    return handler(verb, args, real)


def _stream(verb: str, *podman_args: str) -> int:
    res = podman(*podman_args, stream=True)
    if res.code != 0:
        detail = f": {res.err}" if res.err else ""
        raise refused(verb, f"podman {podman_args[0]}: {exit_text(res.code)}{detail}")
    return 0


def _guard(verb: str, name: str, real: bool):
    """The labels of a managed name, else netcage's refusal (podman-free: an empty store)."""
    return require_managed(verb, name, ask=None if real else empty_store)

def _scripted(verb: str, args: list[str]) -> int | None:
    return canned.answer(*canned.stems(verb, args))


def _ps(verb, args, real) -> int:
    if real:
        return _stream(verb, "ps", "-a", "--filter", "label=netcage.managed=true", *args)
    status = _scripted(verb, args)
    if status is not None:
        return status
    if "--help" in args:
        sys.stdout.write(podman_help("ps"))
        return 0
    fmt = _format_of(args)
    quiet = "-q" in args or "--quiet" in args
    if fmt == "json":
        print("[]")
    elif fmt is None and not quiet:
        sys.stdout.write(EMPTY_PS)
    return 0


def _format_of(args: list[str]) -> str | None:
    for i, a in enumerate(args):
        if a == "--format" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--format="):
            return a.split("=", 1)[1]
    return None


def _images(verb, args, real) -> int:
    if real:
        return _stream(verb, "images")
    status = _scripted(verb, args)
    if status is None:
        sys.stdout.write(EMPTY_IMAGES)
    return status or 0


def _inspect(verb, args, real) -> int:
    flags, name = inspect_args(args)
    if real:
        _guard(verb, name, real)
        return _stream(verb, "inspect", *flags, name)
    status = _scripted(verb, args)
    if status is None:
        _guard(verb, name, real)
    return status or 0


def _first_name(verb: str, args: list[str]) -> str:
    if not args:
        raise refused(verb, f"{verb} requires a netcage container name")
    return args[0]


def _named(verb, args, real) -> int:
    """logs and stop: the first argument is the name, the rest is ignored."""
    name = _first_name(verb, args)
    if real:
        _guard(verb, name, real)
        return _stream(verb, verb, name)
    return _scripted_named(verb, args, name)


def _scripted_named(verb: str, args: list[str], name: str) -> int:
    status = _scripted(verb, args)
    if status is not None:
        return status
    if name.startswith("-"):
        _guard(verb, name, real=False)
    if verb == "stop":  # podman stop echoes the name it was given (netcage 0.11-0.13's stop)
        print(name)
    return 0


def _rm(verb, args, real) -> int:
    name = _first_name(verb, args)
    if not real:
        return _scripted_named(verb, args, name)
    labels = _guard(verb, name, real)
    return _stream(verb, "rm", "-f", "--depend", sidecar_name(labels.run_id))


def _exec(verb, args, real) -> int:
    flags, name, command = exec_args(args)
    if not real:
        return _scripted(verb, args) or 0
    labels = _guard(verb, name, real)
    for container, role in ((sidecar_name(labels.run_id), "jail sidecar (netns + firewall + DNS)"),
                            (name, "tool container")):
        res = podman("inspect", "--format", "{{ .State.Running }}", container)
        if res.code != 0:
            raise refused(verb, f"cannot exec into {quote(name)}: its {role} {quote(container)} "
                          f"is unavailable (inspect failed): {exit_text(res.code)}; run `netcage "
                          f"start {name}` first")
        if res.out != "true":
            raise refused(verb, f"cannot exec into {quote(name)}: its forced-egress jail is not "
                          f"running ({role} {quote(container)} is stopped); run `netcage start "
                          f"{name}` first to revive + verify the jail")
    if "-i" in flags and "-t" in flags:
        status = podman_attached("exec", *flags, name, *command)
        if status != 0:
            raise refused(verb, f"podman exec: {exit_text(status)}")
        return 0
    return _stream(verb, "exec", *flags, name, *command)


def _commit(verb, args, real) -> int:
    flags, name, image = commit_args(args)
    if not real:
        status = _scripted(verb, args)
        if status is not None:
            return status
        if canned.scripted_status() == 0:
            print(FAKE_IMAGE_ID)
        return canned.linger()
    labels = _guard(verb, name, real)
    if labels.role == "sidecar":
        raise refused(verb, f"{quote(name)} is a netcage sidecar (jail plumbing), not a tool "
                      "container; `netcage commit` snapshots the TOOL container (its played-with "
                      f"filesystem) - name the tool {quote(tool_name(labels.run_id))} instead")
    return _stream(verb, "commit", *flags, tool_name(labels.run_id), image)


def _pass_through(verb, args, real) -> int:
    """build, pull, load: podman's own verb in netcage's store, never a store of the user's."""
    if any(a == "--root" or a.startswith("--root=") for a in args):
        raise refused(verb, f"netcage owns the image store location, so `netcage {verb}` refuses "
                      "a user-supplied --root: it is injected automatically (the single netcage "
                      "store, a uid-scoped path under /var/tmp or the NETCAGE_GRAPHROOT override; "
                      "ADR-0017); honouring your --root would split the store and hide the result "
                      "from `netcage run`")
    if real:
        return _stream(verb, verb, *args)
    status = _scripted(verb, args)
    if status is not None:
        return status
    if "--help" in args:
        sys.stdout.write(podman_help(verb))
        return 0
    return canned.linger()
