"""Finding the running jail that forward, ports and image snapshot act on.

One `netcage ps` per invocation, however many containers run (quality bar); the picker's
port hints are asked in parallel and kept, so the chosen container is not asked twice.
A failing `netcage ps` is an error: "no running container" would send the user looking for
a session that may well be running.
"""

from dataclasses import dataclass

from ..core.errors import AnonPiError, Cancelled
from ..core.select_keys import SELECT_KEYS
from ..edges import netcage, terminal
from ..edges.box_records import recorded
from ..edges.workspace import Workspace
from .ports_parse import Listener, open_hint, parse_listeners
from .ps_parse import Container, matching, other_machines, parse_ps, row_label, scope_text

PS_ARGS = ["ps", "--filter", "label=netcage.managed", "--format", "json"]


@dataclass(frozen=True)
class Purpose:
    """How one verb words its search: `pick a container to <action>`, `nothing <nothing>`."""

    verb: str
    action: str
    nothing: str
    port_hints: bool


FORWARD = Purpose("forward", "forward", "forwarded", True)
PORTS = Purpose("ports", "list ports of", "listed", True)
SNAPSHOT = Purpose("image snapshot", "snapshot", "snapshotted", False)


def running(io) -> list[Container]:
    records = recorded(Workspace.from_env(io.env))
    return netcage.ps_listing(io, PS_ARGS, lambda text: parse_ps(text, records),
                              "jails are running")


def ports_args(ref: str) -> list[str]:
    return ["ports", ref, "--json"]


def listeners(res: netcage.Result) -> list[Listener] | None:
    """The listeners one `netcage ports` answer reports; None when the call failed."""
    return parse_listeners(res.out) if res.code == 0 else None


def _none_found(purpose: Purpose, everyone: list[Container], machine: str | None,
                project: str | None) -> AnonPiError:
    elsewhere = other_machines(everyone, machine, project)
    if elsewhere:
        hint = (f"one runs on machine(s) {', '.join(elsewhere)}: use -m {elsewhere[0]}, or "
                "leave out -m to search every machine")
    elif purpose is SNAPSHOT:
        hint = ("start a session (`anon-pi <project>`), keep it open and run "
                "`anon-pi image snapshot <name>` from another terminal")
    else:
        hint = ("start a session and its server first (`anon-pi <project>`), then run "
                f"`anon-pi {purpose.verb}` from another terminal")
    return AnonPiError(f"no running anon-pi container{scope_text(machine, project)}.", hint)


def _needs_terminal(purpose: Purpose, count: int, machine: str | None,
                    project: str | None) -> AnonPiError:
    narrow = ("narrow with -m <machine>" if purpose is SNAPSHOT else
              f"narrow with a project (`anon-pi {purpose.verb} <project>`) or -m <machine>")
    return AnonPiError(f"{count} running anon-pi containers match{scope_text(machine, project)}; "
                       "a terminal is needed to pick one.", f"run it in a terminal, or {narrow}")


def pick(io, purpose: Purpose, machine: str | None,
         project: str | None) -> tuple[Container, dict[str, netcage.Result]]:
    """The one container meant, and any `netcage ports` answers already fetched for the rows."""
    everyone = running(io)
    found = matching(everyone, machine, project)
    if not found:
        raise _none_found(purpose, everyone, machine, project)
    if len(found) == 1:
        return found[0], {}
    if not io.tty:
        raise _needs_terminal(purpose, len(found), machine, project)
    answers: dict[str, netcage.Result] = {}
    labels = [row_label(c) for c in found]

    def with_hints() -> list[str]:
        """Asked while the rows are already up; a pick made sooner asks for its own row."""
        results = netcage.query_many(io, [ports_args(c.ref) for c in found])
        answers.update({c.ref: r for c, r in zip(found, results)})
        return [f"{label} {open_hint(listeners(answers[c.ref]))}"
                for c, label in zip(found, labels)]

    index = terminal.select(io, f"anon-pi: pick a container to {purpose.action} {SELECT_KEYS}",
                            labels, purpose.nothing,
                            later=with_hints if purpose.port_hints else None)
    if index is None:  # q/Esc in a picker cancels the verb it belongs to, like Ctrl-C
        raise Cancelled(purpose.nothing)
    return found[index], dict(answers)
