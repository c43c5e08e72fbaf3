"""init's write phase: the only place init touches the disk, so an answer cancelled at any
prompt leaves the workspace as it was.

Everything that may fail is read first; every file is written atomically; Ctrl-C is held
off while writing so a run never stops half-way.
"""

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from ..core import jsonfmt
from ..core.config_model import str_field, with_fields
from ..core.errors import AnonPiError
from ..core.shown import shown
from ..edges.regular_file import read_regular
from ..edges.safe_tree import LinkInPath, kind_at, open_chain
from ..edges.workspace import (
    SEED_MARKER,
    Workspace,
    is_dir_no_follow,
    user_home,
    write_bytes_at,
    write_json_atomic,
    write_text_atomic,
)
from .model_step import ModelChoice
from .models_seed import models_doc, settings_seed_doc, with_selection
from .prompt import say, warn

SETTINGS_LIMIT = 1 << 24  # pi's settings.json is a few hundred bytes; never read more


@dataclass
class Answers:
    """What onboarding collected, ready to write."""

    config: dict
    machine: str
    proxy: str
    model: ModelChoice
    image: str | None
    projects: str | None
    machine_cfg: dict | None  # read before the first prompt, so a bad file stops init early
    isolation: str | None = None
    move_to: Path | None = None  # the neutral folder the workspace moves into first
    pi_network: bool = False  # `"piNetwork": true`: pi may reach its own services


def _update_home(ws: Workspace, machine: str, text: str, mode: int, seed: dict | None) -> bool:
    """Rewrite a seeded home's models.json and selection keys through descriptors: the jail
    writes that tree, so no part of `home/.pi/agent` is followed and the marker must be a
    regular file (a link there means "not seeded")."""
    try:
        agent = open_chain(ws.root, Path("machines", machine, "home") / SEED_MARKER.parent)
    except (LinkInPath, OSError):
        return False
    try:
        if kind_at(agent, SEED_MARKER.name) != "file":
            return False
        write_bytes_at(agent, "models.json", text.encode("utf-8"), mode)
        settings = _read_settings(read_regular(agent, "settings.json", SETTINGS_LIMIT))
        new = with_selection(settings, seed)
        if new != settings:
            write_bytes_at(agent, "settings.json", jsonfmt.dumps(new).encode("utf-8"))
        return True
    finally:
        os.close(agent)


def _read_settings(raw: bytes | None) -> dict:
    try:
        return jsonfmt.loads_object(raw.decode("utf-8")) if raw is not None else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}


def _write_machine(io, ws: Workspace, a: Answers, existed: bool) -> None:
    ws.home(a.machine).mkdir(parents=True, exist_ok=True)
    m, old = a.machine, a.machine_cfg
    if not existed:
        ws.write_machine(m, {"image": a.image} if a.image else {})
        say(io, f'created machine "{m}"'
                + (f" with image {a.image}" if a.image else " (imageless)"))
    elif a.image:
        ws.write_machine(m, with_fields(old, image=a.image))
        say(io, f'machine "{m}" re-pinned to {a.image}; its home is intact')
        if ws.is_seeded(m):
            warn(io, f'warning: machine "{m}" has a seeded home: it keeps the ~/.pi/agent it got '
                     "from its old image; start a fresh one with `anon-pi --delete-home "
                     f"{m}` if the new image's tools are needed.")
    else:
        image = str_field(old, "image")  # machine.json's, as whoever wrote it left it
        say(io, f'machine "{m}" kept' + (f" (image {shown(image)})" if image else "")
                + ", home intact")


def _write_models(io, ws: Workspace, a: Answers) -> None:
    c = a.model
    mode = 0o600 if c.real_key else 0o644
    text = jsonfmt.dumps(models_doc(c.api, c.api_key, c.base_url, c.entries))
    write_text_atomic(ws.global_models, text, mode)
    n = len({e["id"] for e in c.entries})
    say(io, f"wrote {ws.global_models} ({n} model{'' if n == 1 else 's'}; shared by all machines)")
    for name in ("models.json", "settings-seed.json"):
        own = ws.machine_dir(a.machine) / name
        if own.exists():
            say(io, f'note: {own} exists and overrides the shared one for machine "{a.machine}"; '
                    "left as is.")
    seed = settings_seed_doc(c.default, [e["id"] for e in c.entries]) if c.default else None
    if seed:
        write_json_atomic(ws.global_settings_seed, seed)
        say(io, f"default model: local/{shown(c.default)}")
    elif ws.global_settings_seed.exists():
        ws.global_settings_seed.unlink()
        say(io, f"removed {ws.global_settings_seed} (no model selected)")
    updated = []
    machines = sorted(ws.machines_dir.iterdir()) if ws.machines_dir.is_dir() else []
    for mdir in machines:
        if os.path.lexists(mdir / "models.json") or not is_dir_no_follow(mdir):
            continue
        if _update_home(ws, mdir.name, text, mode, seed):
            updated.append(mdir.name)
    if updated:
        say(io, f"updated {len(updated)} seeded home{'' if len(updated) == 1 else 's'} in place "
                f"(sessions untouched): {', '.join(updated)}")


def _move(io, ws: Workspace, a: Answers) -> None:
    """The neutral layout: move first, so every later write lands in the new place."""
    from ..edges.workspace_move import move_workspace
    from .move_step import mount_roots

    try:  # checked again now, against the projects root just chosen too
        how = move_workspace(io, ws.root, a.move_to,
                             mount_roots(io, ws, user_home(io.env), a.projects))
    except OSError as exc:
        raise AnonPiError(f"moving {ws.root} to {a.move_to} failed: {exc.strerror or exc}; "
                          f"{ws.root} still works and nothing else was written.",
                          "fix that, then run `anon-pi init` again (it picks up where it "
                          "stopped)") from None
    done = {"renamed": "moved (renamed in place)", "copied": "copied, verified file by file, "
            "and the original deleted", "linked": "created"}[how]
    say(io, f"workspace {done}: {a.move_to}; {ws.root} is now a link to it.")
    projects = a.projects or str(a.move_to / "projects")
    say(io, f"The jail now sees {a.move_to}/machines/{a.machine}/home at /root and "
            f"{os.path.realpath(projects)} at /projects.")


def write_all(io, ws: Workspace, a: Answers) -> None:
    existed = ws.machine_dir(a.machine).is_dir()
    config = with_fields(a.config, proxy=a.proxy, llm=a.model.endpoint,
                         defaultMachine=str_field(a.config, "defaultMachine") or "default",
                         projects=a.projects, isolation=a.isolation)
    config.pop("piNetwork", None)
    if a.pi_network:
        config["piNetwork"] = True
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if a.move_to is not None:
            _move(io, ws, a)
        ws.write_config(config)
        say(io, f"wrote {ws.config_path}")
        _write_machine(io, ws, a, existed)
        if a.model.endpoint:
            _write_models(io, ws, a)
    finally:
        signal.signal(signal.SIGINT, previous)
