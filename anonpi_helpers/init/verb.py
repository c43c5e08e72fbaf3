"""`anon-pi init`: evidence-based onboarding; also run once on the first launch from a
terminal with nothing configured."""

import os
from pathlib import Path

from ..core.config_model import flag_field, str_field
from ..core.errors import AnonPiError, Cancelled
from ..core.netcage_version import loopback_allowed
from ..core.resolve import resolve_machine
from ..edges import netcage, terminal
from ..edges.workspace import Workspace, read_json_object, user_home
from .prompt import say, warn

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


def main(line) -> int:
    """`line`: the parsed `init [--force-allow-local-llm-api-key]` command line."""
    run(force_key=line.force_allow_local_llm_api_key)
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
    from ..edges import image_store
    from .verdict import missing_pieces, render

    env = os.environ
    netcage.remember_version(netcage.version_text())  # netcage answered init: keep it
    missing = missing_pieces(env, ws.read_config(), machine, ws.read_machine(machine),
                             loopback_ok=loopback_allowed(netcage.hole_flag()),
                             workspace=str(ws.root), home=user_home(env), cwd=os.getcwd(),
                             held=image_store.lookup, store=image_store.root())
    say(render(missing))
    return missing


def first_run(io) -> int:
    """Welcome, init, then launch only if the launch has everything it needs (else the user
    would be told "done" and refused at once)."""
    say(WELCOME)
    missing = run(force_key=False)
    if missing:
        raise AnonPiError(
            f"onboarding done, but the launch still needs {' and '.join(m.what for m in missing)}"
            "; not launching.", "apply the fixes listed above, then launch again")
    say()
    return 0
