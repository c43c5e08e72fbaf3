"""The bare-launch menu: read the root and the machines, select, maybe ask.

It only chooses: it returns the LaunchArgs fields the typed command would carry, so the
launch code builds a byte-identical netcage argv from them.
"""

from pathlib import Path

from ..core.errors import AnonPiError
from ..core.names import check_name, quoted
from ..core.shown import shown
from ..core.wrap import wrap_words
from ..edges import terminal
from ..edges.box_access import boxes
from ..edges.session_groups import dir_names as _dir_names
from ..edges.session_groups import listings as _listings
from .menu_entries import header, launch_fields, menu_entries, row_name

NEW_PROMPT = "New project name (a single folder segment): "


def _refusal(name: str, root: Path) -> AnonPiError | None:
    """Why `name` cannot be a new project under `root` (None: it can, or it already is one)."""
    try:
        check_name(name, "project")
    except AnonPiError as exc:
        return exc
    folder = root / name
    if not folder.is_dir() and (folder.exists() or folder.is_symlink()):
        return AnonPiError(f"{folder} exists but is not a folder; cannot use it as project "
                           f"{quoted(name)}.", "pick another name, or move that file away")
    return None


def _columns(io) -> int:
    """The width a refusal wraps to, by shutil.get_terminal_size's rule but for this run:
    $COLUMNS, else the terminal the refusal is written to, else 80."""
    try:
        columns = int(io.env.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    import os  # only a refused name needs the width

    try:
        return os.get_terminal_size(io.stderr.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


def _ask_new_name(io, root: Path) -> str:
    """The new project's name: one answer, trimmed and checked; a refused one is explained and
    asked again (Enter alone or Ctrl-D gives up, Ctrl-C cancels); an existing folder opens."""
    while True:
        name = (terminal.prompt_line(io, NEW_PROMPT, nothing="launched") or "").strip()
        if not name:
            raise AnonPiError("no name given; nothing launched.")
        refusal = _refusal(name, root)
        if refusal is None:
            break
        hint = f"{refusal.hint}; " if refusal.hint else ""
        io.stderr.write(wrap_words(f"anon-pi: {shown(refusal.message)}\n  hint: {shown(hint)}"
                                   "type another name, or press Enter alone to launch nothing",
                                   _columns(io)) + "\n")
    if (root / name).is_dir():
        terminal.note(io, f"project {quoted(name)} already exists; opening it")
    return name


def choose(io, args, ctx) -> dict | None:
    """Show the menu for `ctx` (an edges.launch_prep.LaunchContext); the fields a pick stands
    for, or None when the person left it (q or Esc): looking and leaving is a normal use of
    a menu, not a failure.

    The projects draw at once; the stopped boxes need a `netcage ps`, so their rows join when
    it answers (the cursor stays on its row). A failing listing only means no boxes are
    offered; its warning waits until the menu is gone, so it never tears the screen.
    """
    folders = _dir_names(Path(ctx.projects_root))
    listings = _listings(io, ctx.ws, ctx.machine)

    def entries(found=()) -> list:
        return menu_entries(folders, listings, ctx.machine,
                            mounted=ctx.mount_parent is not None, boxes=found)

    by_label = {e.label: e for e in entries()}
    warnings: list[str] = []

    def with_boxes() -> list[str] | None:
        try:
            found = boxes(io)
        except AnonPiError as exc:
            warnings.append(f"anon-pi: warning: {shown(exc.message)} (boxes are not offered)\n")
            return None
        full = entries(found)
        by_label.update((e.label, e) for e in full)
        return [e.label for e in full]

    labels = list(by_label)
    try:
        index = terminal.select(io, header(ctx.machine), labels, "launched", later=with_boxes,
                                search=lambda label: row_name(by_label[label]))
    finally:
        io.stderr.write("".join(warnings))
    if index is None:
        return None
    picked = by_label[labels[index]]
    if picked.kind == "new":
        return {"mode": "pi", "project": _ask_new_name(io, Path(ctx.projects_root)),
                "new_project_ok": True}
    return launch_fields(picked)
