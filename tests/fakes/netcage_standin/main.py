"""The stand-in's entry: log the call, then dispatch as netcage's main does.

netcage's own order: exactly `--version` or `version` prints the version; a missing or unknown
verb is a usage error; the management verbs go to podman with their argv untouched; every other
verb parses its argv first (exit 2 on a refusal); `run`, `start` and `verify` dial their proxy
before doing anything else.
"""
import json
import os
import sys
import time

from . import generation
from .gostr import quote
from .outcome import Exit, usage_error

MANAGEMENT = ("ps", "logs", "inspect", "exec", "stop", "rm", "images", "commit", "build", "pull",
              "load")


def main() -> None:
    args = sys.argv[1:]
    _log(args)
    gen = generation.current()
    _pause_if_busy(args)
    try:
        status = dispatch(args, gen, os.environ.get("FAKE_NETCAGE_REAL_PODMAN") == "1")
    except Exit as end:
        sys.stdout.flush()
        sys.stderr.write(end.stderr)
        status = end.code
    sys.stdout.flush()
    sys.exit(status)


def dispatch(args: list[str], gen, real: bool) -> int:
    if len(args) == 1 and args[0] in ("--version", "version"):
        print(gen.version_text)
        return 0
    if not args:
        raise usage_error("no subcommand: expected `run`, `verify`, `detect-proxy`, "
                          "`setup-default`, `start`, `forward`, `ports`, or a management verb "
                          "(ps/logs/inspect/exec/stop/rm/images)", gen)
    verb, rest = args[0], args[1:]
    # each verb's module is imported only when called: the suite runs this program thousands
    # of times, and most calls are `--version` or one `ps`
    if verb in MANAGEMENT:
        from .manage_verbs import manage_verb
        return manage_verb(verb, rest, real)
    if verb in ("run", "start", "verify"):
        from . import jail_verbs
        if verb == "verify":
            return jail_verbs.verify_verb(rest, gen)
        return getattr(jail_verbs, f"{verb}_verb")(rest, gen, real)
    if verb == "ports":
        from .ports import ports_verb
        return ports_verb(rest, gen, real)
    if verb == "forward":
        from .forward import forward_verb
        return forward_verb(rest, gen, real)
    if verb == "detect-proxy":
        from .detect_proxy import detect_proxy_verb
        return detect_proxy_verb(rest, gen, real)
    if verb == "setup-default":
        from .detect_proxy import setup_default_verb
        return setup_default_verb(rest, gen)
    raise usage_error(f"unknown subcommand {quote(verb)}: expected `run`, `verify`, `start`, "
                      "`detect-proxy`, `setup-default`, `forward`, `ports`, or a management verb "
                      "(ps/logs/inspect/exec/stop/rm/images/commit)", gen)


def _log(args: list[str]) -> None:
    """FAKE_NETCAGE_LOG: one JSON argv list per call, for tests that assert what anon-pi ran."""
    log = os.environ.get("FAKE_NETCAGE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(args) + "\n")


def _pause_if_busy(args: list[str]) -> None:
    """FAKE_NETCAGE_SLOW=<verb>=<seconds>: that verb answers only after a pause (a busy podman).
    FAKE_NETCAGE_HOLD=<verb>=<file>: that verb answers only once the test creates <file>, so
    the test knows the call is still pending while it acts (exit 97 after 20 s without it)."""
    verb, _, pause = os.environ.get("FAKE_NETCAGE_SLOW", "").partition("=")
    if verb and args[:1] == [verb]:
        time.sleep(float(pause))
    verb, _, gate = os.environ.get("FAKE_NETCAGE_HOLD", "").partition("=")
    if verb and args[:1] == [verb]:
        end = time.monotonic() + 20
        while not os.path.exists(gate):
            if time.monotonic() > end:
                sys.stderr.write(f"fake netcage: {verb} was never let go ({gate})\n")
                sys.exit(97)
            time.sleep(0.01)
