"""The argv rules of netcage's inspect, exec and commit (its other management verbs take the
first argument as the name and pass the rest over).

- inspect: exactly one name, its flags on either side of it; --format/-f/--type/-t take a value.
- exec: -i/--interactive, -t/--tty, -it/-ti, -w/--workdir, -u/--user, -e/--env (`--x=v` too),
  up to the name; then the command, which must be there.
- commit: -m/--message, -a/--author, -c/--change (repeatable), -f/--format, --pause[=bool],
  -q/--quiet, and exactly a container and an image ref; netcage hands podman its flags in a
  fixed order (-m -a -c... -f --pause -q), as the recorded podman calls show.

Any other flag is refused "like a jail-breaching flag" (exit 1, `netcage: <verb>: ...`).
"""
from .gostr import listing, quote
from .outcome import refused

EXEC_FLAGS = ("-i/--interactive, -t/--tty, -w/--workdir <dir>, -e/--env KEY=VAL, "
              "-u/--user <user>")
COMMIT_FLAGS = ("-m/--message <text>, -a/--author <name>, -c/--change <instr>, "
                "-f/--format <oci|docker>, --pause[=bool], -q/--quiet")


def inspect_args(args: list[str]) -> tuple[list[str], str]:
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


def exec_args(args: list[str]) -> tuple[list[str], str, list[str]]:
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


def commit_args(args: list[str]) -> tuple[list[str], str, str]:
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
