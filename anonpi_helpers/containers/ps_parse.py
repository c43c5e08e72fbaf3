"""Which running containers are anon-pi jails, and which one a forward/ports/snapshot means.

Pure: the edge (containers/running.py) hands in `netcage ps` output and gets decisions back.
netcage output is untrusted, so every odd entry is skipped rather than trusted or fatal.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.boxes import box_name
from ..core.identity import Identity, key_project
from ..core.names import is_container_ref, is_valid_name, quoted
from ..core.ps_listing import key_identity, read_listing
from ..core.shown import shown


@dataclass(frozen=True)
class Container:
    """One running jail: `ref` is what netcage gets, `name` what the user reads."""

    ref: str
    name: str
    ident: Identity
    box: str | None = None  # a durable box's name (`anon-pi container`)

    @property
    def machine(self) -> str:
        return self.ident.machine

    @property
    def project(self) -> str:
        return key_project(self.ident.cwd)


def parse_ps(text: str, records: Mapping[str, str] | None = None) -> list[Container] | None:
    """Running anon-pi containers in netcage's order; None when the output is not a JSON list.

    Blank output counts as an empty list. Sidecars (no key), stopped containers, entries
    without an Id and keys that do not decode are skipped. A container is called a box only
    when anon-pi recorded it as one (`records`: name -> token, core/boxes.py).
    """
    known = records or {}
    return read_listing(text, lambda entry: _container(entry, known))


def _container(entry: dict, records: Mapping[str, str]) -> Container | None:
    if entry.get("State") != "running":
        return None
    ref = entry.get("Id")
    labels = entry.get("Labels")
    if not isinstance(ref, str) or not is_container_ref(ref) or not isinstance(labels, dict):
        return None
    ident = key_identity(labels)
    if ident is None:
        return None
    names = entry.get("Names")
    first = names[0] if isinstance(names, list) and names else None
    return Container(ref=ref, name=first if isinstance(first, str) and is_container_ref(first)
                     else ref, ident=ident, box=box_name(labels, records))


def matching(containers: list[Container], machine: str | None,
             project: str | None) -> list[Container]:
    """Filter by machine (None = every machine: a session on another machine must not look
    like nothing running) and project (`.` = the root)."""
    return [c for c in containers
            if (machine is None or c.machine == machine)
            and (project is None or c.project == project)]


def place(c: Container) -> str:
    """`<machine> / <project>`, what a person calls a running jail; blank fields stay visible
    (` / x` would hide that the machine is unknown), and a `--mount` project says which
    folder it lives in (same-named projects in different folders are different jails). The
    key label is not anon-pi's alone (an image can carry one): every part of it is shown."""
    machine = c.machine if is_valid_name(c.machine) else (quoted(c.machine) if c.machine
                                                          else "?")
    project = shown(c.project) or "(shell)"
    if c.ident.cwd.startswith("/work") and c.ident.mount_parent:
        # no projects root: a folder worked on alone (`--here`), whose own path this is
        how = "--mount " if c.ident.projects_root else "folder "
        project += f" ({how}{shown(c.ident.mount_parent)})"
    return f"{machine} / {project}"


def row_label(c: Container) -> str:
    """Picker row `<machine> / <project> [<name>]` (`[box <name>]` for a durable box): the name
    tells twins apart."""
    return f"{place(c)} [{f'box {c.box}' if c.box else c.name}]"


def scope_text(machine: str | None, project: str | None) -> str:
    """How a search was narrowed, for the 0/many messages: ` for project "p" on machine "m"`."""
    parts = []
    if project is not None:
        parts.append(f"for project {quoted(project)}")
    if machine is not None:
        parts.append(f"on machine {quoted(machine)}")
    return (" " + " ".join(parts)) if parts else ""


def other_machines(containers: list[Container], machine: str | None,
                   project: str | None) -> list[str]:
    """Machines that do have a match when `-m` hid every one, for the hint that names them."""
    if machine is None:
        return []
    return sorted({c.machine for c in matching(containers, None, project)
                   if c.machine != machine and is_valid_name(c.machine)})
