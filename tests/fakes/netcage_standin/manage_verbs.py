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
from .gostr import listing, quote
from .managed import empty_store, read_labels, sidecar_name, tool_name
from .outcome import refused
from .podman import exit_text, podman, podman_attached
from .texts import podman_help

EXEC_FLAGS = ("-i/--interactive, -t/--tty, -w/--workdir <dir>, -e/--env KEY=VAL, "
              "-u/--user <user>")
COMMIT_FLAGS = ("-m/--message <text>, -a/--author <name>, -c/--change <instr>, "
                "-f/--format <oci|docker>, --pause[=bool], -q/--quiet")
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
    labels = read_labels(name, None if real else empty_store)
    if labels.looked_up.code != 0:
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (inspect failed): "
                      f"{exit_text(labels.looked_up.code)}")
    if not labels.managed:
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (missing the "
                      "netcage.managed label); refusing to manage it")
    return labels


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
    flags, name = _inspect_args(args)
    if real:
        _guard(verb, name, real)
        return _stream(verb, "inspect", *flags, name)
    status = _scripted(verb, args)
    if status is None:
        _guard(verb, name, real)
    return status or 0


def _inspect_args(args: list[str]) -> tuple[list[str], str]:
    """Exactly one name; --format/-f/--type/-t take a value; other flags pass as they are."""
    flags, name, i = [], "", 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest = args[i + 1:]
            if not rest:
                raise refused("inspect", "inspect requires a netcage container name")
            if name or len(rest) > 1:
                raise refused("inspect", "inspect takes exactly one netcage container name; got "
                              "extra positionals")
            name = rest[0]
            break
        if not a.startswith("-") or a == "-":
            if name:
                raise refused("inspect", "inspect takes exactly one netcage container name; got "
                              f"a second positional {quote(a)}")
            name = a
        else:
            flags.append(a)
            if a in ("--format", "-f", "--type", "-t"):
                if i + 1 >= len(args):
                    raise refused("inspect", f"inspect flag {a} needs a value")
                i += 1
                flags.append(args[i])
        i += 1
    if not name:
        raise refused("inspect", "inspect requires a netcage container name")
    return flags, name


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
    return 0


def _rm(verb, args, real) -> int:
    name = _first_name(verb, args)
    if not real:
        return _scripted_named(verb, args, name)
    labels = _guard(verb, name, real)
    return _stream(verb, "rm", "-f", "--depend", sidecar_name(labels.run_id))


def _exec(verb, args, real) -> int:
    flags, name, command = _exec_args(args)
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


def _exec_args(args: list[str]) -> tuple[list[str], str, list[str]]:
    """exec's own flags (normalised to podman's: -i -t -w -u -e), the name, the command."""
    interactive = tty = False
    workdir = user = ""
    envs, i = [], 0
    while i < len(args):
        a = args[i]
        if a == "--":
            i += 1
            break
        if not a.startswith("-") or a == "-":
            break
        flag, inline = (a.split("=", 1) + [None])[:2] if a.startswith("--") else (a, None)
        if flag in ("-i", "--interactive", "-it", "-ti"):
            interactive = True
        if flag in ("-t", "--tty", "-it", "-ti"):
            tty = True
        if flag in ("-w", "--workdir", "-u", "--user", "-e", "--env"):
            if inline is None:
                if i + 1 >= len(args):
                    raise refused("exec", f"exec flag {flag} needs a value")
                i += 1
                inline = args[i]
            if flag in ("-w", "--workdir"):
                workdir = inline
            elif flag in ("-u", "--user"):
                user = inline
            else:
                envs.append(inline)
        elif flag not in ("-i", "--interactive", "-t", "--tty", "-it", "-ti"):
            raise refused("exec", f"unknown exec flag {quote(a)} (netcage exec accepts "
                          f"{EXEC_FLAGS}); refusing it, like a jail-breaching flag")
        i += 1
    if i >= len(args):
        raise refused("exec", "exec requires a netcage container name")
    name, command = args[i], args[i + 1:]
    if not command:
        raise refused("exec", f"exec requires a command to run in {quote(name)}")
    flags = (["-i"] if interactive else []) + (["-t"] if tty else [])
    flags += (["-w", workdir] if workdir else []) + (["-u", user] if user else [])
    for env in envs:
        flags += ["-e", env]
    return flags, name, command


def _commit(verb, args, real) -> int:
    flags, name, image = _commit_args(args)
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


def _commit_args(args: list[str]) -> tuple[list[str], str, str]:
    """commit's own flags, in podman's order (-m -a -c... -f --pause -q), the name, the image."""
    one = {"-m": "", "-a": "", "-f": ""}
    changes, pause, quiet, positionals, i = [], None, False, [], 0
    aliases = {"--message": "-m", "--author": "-a", "--change": "-c", "--format": "-f",
               "--quiet": "-q"}
    while i < len(args):
        a = args[i]
        if a == "--":
            positionals += args[i + 1:]
            break
        if not a.startswith("-") or a == "-":
            positionals.append(a)
            i += 1
            continue
        flag, inline = (a.split("=", 1) + [None])[:2] if a.startswith("--") else (a, None)
        flag = aliases.get(flag, flag)
        if flag in ("-m", "-a", "-c", "-f"):
            if inline is None:
                if i + 1 >= len(args):
                    raise refused("commit", f"commit flag {a.split('=', 1)[0]} needs a value")
                i += 1
                inline = args[i]
            if flag == "-c":
                changes.append(inline)
            else:
                one[flag] = inline
        elif flag == "--pause":
            pause = inline in (None, "true", "1")
        elif flag == "-q":
            quiet = True
        else:
            raise refused("commit", f"unknown commit flag {quote(a)} (netcage commit accepts "
                          f"{COMMIT_FLAGS}); refusing it, like a jail-breaching flag")
        i += 1
    if not positionals:
        raise refused("commit", "commit requires a netcage container name")
    if len(positionals) < 2:
        raise refused("commit", "commit requires an image-ref to write (the new image name), "
                      f"e.g. `netcage commit {positionals[0]} my-image:tag`")
    if len(positionals) > 2:
        raise refused("commit", "commit takes exactly a container name and an image-ref; got "
                      f"extra positionals {listing(positionals[2:])}")
    flags = (["-m", one["-m"]] if one["-m"] else []) + (["-a", one["-a"]] if one["-a"] else [])
    for change in changes:
        flags += ["-c", change]
    flags += ["-f", one["-f"]] if one["-f"] else []
    flags += [] if pause is None else (["--pause"] if pause else ["--pause=false"])
    flags += ["-q"] if quiet else []
    return flags, positionals[0], positionals[1]


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
