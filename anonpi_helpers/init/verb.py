"""`anon-pi init`: evidence-based onboarding; also run once on the first launch (init §2)."""

import os
import sys
from pathlib import Path

from ..core.config_model import flag_field, str_field
from ..core.errors import AnonPiError, Cancelled
from ..core.netcage_version import loopback_allowed
from ..core.resolve import resolve_machine
from ..edges import netcage, terminal
from ..edges.workspace import Workspace, read_json_object, user_home
from .model_step import FORCE_FLAG
from .prompt import say, warn

INIT_HELP = f"""\
anon-pi init [{FORCE_FLAG}] - interactive onboarding, evidence-based and re-runnable.

Four steps, each pre-filled with the current value (Enter keeps it):
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

Options:
  {FORCE_FLAG}
        copy a real-looking apiKey of your pi provider for the local model into the
        jail's models.json (written mode 0600); refused without this flag.
  -h, --help   this help
"""

WELCOME = """\
Welcome to anon-pi: first run detected (no config.json yet).
anon-pi runs the pi coding agent inside a netcage jail: all of its traffic leaves through
your socks5h proxy, and one direct hole reaches your local model.
Running `anon-pi init` now; it is non-destructive and you can re-run it any time.
"""

BANNER = """\
anon-pi init: evidence-based onboarding. Nothing is destroyed, current values are
pre-filled (Enter keeps them), nothing is written until the end, Ctrl-C aborts at any prompt.
"""


def main(argv: list[str]) -> int:
    if "--help" in argv or "-h" in argv:
        sys.stdout.write(INIT_HELP)
        return 0
    extra = [a for a in argv if a != FORCE_FLAG]
    if extra:
        raise AnonPiError(f"init takes no arguments except {FORCE_FLAG}; got: {' '.join(extra)}",
                          "see `anon-pi init --help`")
    run(force_key=bool(argv))
    return 0


def _current_config(ws: Workspace) -> dict:
    """The config to pre-fill from; an unreadable one is replaced only when the user agrees."""
    try:
        return ws.read_config() or {}
    except AnonPiError as exc:
        warn(f"anon-pi: {exc.message}")
        if not terminal.ask_yes_no("Replace it with the answers you give now? [y/N] ",
                                   nothing="written"):
            raise AnonPiError(f"kept {ws.config_path}; nothing written.") from None
        return {}


def _previous_default(ws: Workspace) -> str | None:
    """The last default model, so Enter at the default question keeps it."""
    try:
        return str_field(read_json_object(ws.global_settings_seed), "defaultModel")
    except AnonPiError:
        return None


def run(force_key: bool) -> list:
    from . import image_step, isolation_step, model_step, pi_network_step, projects_step, proxy_step
    from .write import Answers, write_all

    ws = Workspace.from_env()
    if not terminal.has_tty():
        raise AnonPiError(
            "init is interactive and needs a terminal (stdin is not a TTY).",
            f"write {ws.config_path} and {ws.machine_json('default')} by hand, or export "
            "ANON_PI_PROXY and ANON_PI_LLM")
    if ws.root.exists() and not ws.root.is_dir():
        raise AnonPiError(f"the workspace {ws.root} is not a folder.",
                          "point ANON_PI_HOME at a folder (or remove that file)")
    if not netcage.path():
        raise AnonPiError("netcage is not on PATH; init cannot verify your proxy without it.",
                          netcage.NOT_FOUND_HINT)
    if ws.root.is_symlink():  # a neutral-layout move stopped after its swap: tidy up
        from ..edges.workspace_move import finish

        finish(ws.root, Path(os.path.realpath(ws.root)))
    config = _current_config(ws)
    machine = resolve_machine(None, config)
    machine_cfg = ws.read_machine(machine)
    say(BANNER)
    try:
        proxy, note = proxy_step.step(str_field(config, "proxy"))
        isolation = isolation_step.step(proxy, note, str_field(config, "isolation"))
        pi_network = pi_network_step.step(flag_field(config, "piNetwork"))
        say()
        model = model_step.step(str_field(config, "llm"), proxy, force_key,
                                _previous_default(ws), str(ws.root))
        say()
        image = image_step.step(machine, str_field(machine_cfg, "image"), proxy)
        say()
        projects, move_to = projects_step.step(ws, str_field(config, "projects"), machine_cfg)
        say()
    except KeyboardInterrupt:
        raise Cancelled("written") from None
    write_all(ws, Answers(config, machine, proxy, model, image, projects, machine_cfg,
                          isolation, move_to, pi_network))
    return _verdict(ws, machine)


def _verdict(ws: Workspace, machine: str) -> list:
    """Say "ready" only when a launch would pass; else each missing piece and its fix."""
    from .verdict import missing_pieces, render

    env = os.environ
    netcage.remember_version(netcage.version_text())  # netcage answered init: keep it
    missing = missing_pieces(env, ws.read_config(), machine, ws.read_machine(machine),
                             loopback_ok=loopback_allowed(netcage.hole_flag()),
                             workspace=str(ws.root), home=user_home(env), cwd=os.getcwd())
    say(render(missing))
    return missing


def first_run() -> int:
    """Welcome, init, then launch only if the launch has everything it needs (ruling 21)."""
    say(WELCOME)
    missing = run(force_key=False)
    if missing:
        raise AnonPiError(
            f"onboarding done, but the launch still needs {' and '.join(m.what for m in missing)}"
            "; not launching.", "apply the fixes listed above, then launch again")
    say()
    return 0
