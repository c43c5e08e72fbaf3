"""`anon-pi config show|get|set|unset|path`: the settings of config.json and machine.json,
with where each effective value comes from. Reads the files through the workspace edge,
decides with core/settings.py, writes atomically through the same edge."""

import os

from ..core.errors import AnonPiError
from ..core.names import quoted
from ..core.resolve import env_value, resolve_machine, resolve_proxy
from ..core.settings import (
    CONFIG_FILE,
    ENV,
    MACHINE_FILE,
    UNSET,
    effective,
    shown_value,
    stored_value,
    target_file,
    with_value,
)
from ..core.shown import shown, shown_json
from ..edges import terminal
from ..edges.workspace import Workspace, user_home


def main(line, io) -> int:
    """`line`: the parsed `config <sub-verb>` command line (core/command_line.py); `io`: the
    run's streams, environment and folder (core/io_context.py)."""
    ws = Workspace.from_env(io.env)
    config = ws.read_config()
    machine = resolve_machine(line.machine, config)
    if line.sub == "path":
        io.stdout.write(f"{shown(str(ws.config_path))}\n"
                        f"{shown(str(ws.machine_json(machine)))}\n")
        return 0
    if line.sub in ("set", "unset"):
        return _change(io, ws, config, machine, line)
    rows = _rows(io, ws, config, machine)
    if line.sub == "get":
        return _get(io, rows, line.key, machine)
    return _show(io, rows, machine, line.json)


def _rows(io, ws: Workspace, config: dict | None, machine: str) -> list:
    machine_cfg = ws.read_machine(machine)
    return effective(io.env, config, machine_cfg,
                     paths={CONFIG_FILE: str(ws.config_path),
                            MACHINE_FILE: str(ws.machine_json(machine))},
                     builtin_projects=str(ws.default_projects), home=user_home(io.env),
                     cwd=io.cwd)


def _source(row) -> str:
    if row.source == ENV:
        return f"env {row.where}"
    return row.source


def _show(io, rows: list, machine: str, as_json: bool) -> int:
    if as_json:
        from ..core.jsonfmt import document

        io.stdout.write(shown_json(document({
            "machine": machine,
            "settings": [{"key": r.key, "value": r.value, "source": r.source,
                          "where": r.where} for r in rows]})))
        return 0
    from ..core.table import aligned_lines, tab_lines

    cells = [(r.key, shown(shown_value(r.value)), _source(r)) for r in rows]
    if terminal.is_terminal(io.stdout):
        lines = aligned_lines(("KEY", "VALUE", "SOURCE"), cells)
    else:
        lines = tab_lines(cells)
    io.stdout.write("".join(f"{x}\n" for x in lines))
    return 0


def _get(io, rows: list, key: str, machine: str) -> int:
    row = next(r for r in rows if r.key == key)
    if row.source == UNSET:
        where = f"machine {quoted(machine)}'s machine.json" if key == "image" else "config.json"
        raise AnonPiError(f"{key} is not set (nothing in {where} or the environment).",
                          f"set it with `anon-pi config set {key} <value>` (or `anon-pi init`)")
    io.stdout.write(f"{shown(shown_value(row.value))}\n")
    return 0


def _change(io, ws: Workspace, config: dict | None, machine: str, line) -> int:
    key = line.key
    which = target_file(key, line.machine is not None)
    if which == MACHINE_FILE and not ws.machine_dir(machine).is_dir():
        raise AnonPiError(f"no machine {quoted(machine)} ({ws.machine_dir(machine)}); nothing "
                          "changed.",
                          f"create it first: `anon-pi machine create {machine} --image <ref>`")
    path = ws.config_path if which == CONFIG_FILE else ws.machine_json(machine)
    obj = config if which == CONFIG_FILE else ws.read_machine(machine)
    if line.sub == "set":
        value = stored_value(key, line.value, home=user_home(io.env), cwd=io.cwd,
                             proxy=resolve_proxy(io.env, config),
                             builtin_projects=str(ws.default_projects), machine=machine)
    else:
        value = None
    new = with_value(obj, key, value)
    if new == (obj or {}) and os.path.exists(path):
        terminal.note(io, f"{key} in {path} is already "
                      f"{_said(new.get(key))}; nothing changed.")
        return 0
    if line.sub == "set" and key == "llm" and value:
        _check_loopback(io, value)
    if line.sub == "set" and key == "image":
        from ..edges.image_store import in_store

        in_store(io, value, line.force, "nothing changed",
                 f"anon-pi config set image {value} -m {machine} --force")
    change = f"{key} in {path}: {_said((obj or {}).get(key))} -> {_said(new.get(key))}"
    if line.dry_run:
        io.stdout.write(f"would change {shown(change)}; nothing written (--dry-run)\n")
        return 0
    if which == CONFIG_FILE:
        ws.write_config(new)
    else:
        ws.write_machine(machine, new)
    terminal.note(io, f"changed {change}")
    _overridden(io, ws, machine, key, which)
    return 0


def _said(value) -> str:
    """A stored value in a note: quoted as JSON would hold it; `(unset)` when absent."""
    if value is None:
        return "(unset)"
    import json

    return json.dumps(value, ensure_ascii=False)


def _check_loopback(io, llm: str) -> None:
    """A model on the host's loopback needs a netcage that can reach it: asked only then."""
    from ..core.addresses import check_llm_generation, is_loopback

    if is_loopback(llm):
        from ..core.netcage_version import loopback_allowed
        from ..edges import netcage

        check_llm_generation(llm, loopback_allowed(netcage.hole_flag(io)))


def _overridden(io, ws: Workspace, machine: str, key: str, which: str) -> None:
    """A value stored where something else still wins is said at once, not found later."""
    from ..core.config_model import str_field
    from ..core.settings import BY_KEY

    var = BY_KEY[key].env
    if var and key != "image" and env_value(io.env, var):
        terminal.note(io, f"note: {var} is set in the environment and still wins over {which}.")
    elif key == "projects" and which == CONFIG_FILE and str_field(ws.read_machine(machine),
                                                                  "projects"):
        terminal.note(io, f"note: machine {quoted(machine)}'s machine.json sets projects too and "
                      "still wins over config.json for it.")
