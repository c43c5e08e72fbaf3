"""How netcage tells its own containers from anything else in the store.

Every container netcage makes carries `netcage.managed=true`, `netcage.role` (tool or sidecar)
and `netcage.run-id`; the pair of run R is `netcage-run-R-tool` + `netcage-run-R-sidecar`. Each
verb that touches a container first asks podman for those three labels of the name it was given
(a name, an id, an id prefix, even an image: podman inspect takes them all) and refuses anything
without `netcage.managed=true`; the run id then names both halves of the pair. The verbs word
the refusal a little differently (recorded): `require_managed` takes the difference as
arguments.
"""
from dataclasses import dataclass

from .gostr import quote
from .outcome import refused
from .podman import Result, exit_text, podman

LABELS_FORMAT = ('{{ index .Config.Labels "netcage.managed" }}\t'
                 '{{ index .Config.Labels "netcage.role" }}\t'
                 '{{ index .Config.Labels "netcage.run-id" }}')


@dataclass
class Labels:
    looked_up: Result  # the podman inspect call itself
    managed: bool = False
    role: str = ""
    run_id: str = ""


def read_labels(name: str, ask=None) -> Labels:
    """netcage's label lookup; `ask` answers it instead of podman (the podman-free mode)."""
    res = (ask or podman)("inspect", "--format", LABELS_FORMAT, name)
    if res.code != 0:
        return Labels(res)
    fields = res.out.split("\t", 2)
    if len(fields) < 3 or fields[0] != "true":
        return Labels(res)
    return Labels(res, True, fields[1], fields[2])


def empty_store(*args: str) -> Result:
    """podman's answer to netcage's label lookup in an empty store: `--help` prints podman's
    help (so the name is "missing the netcage.managed label"), anything else is not found."""
    name = args[-1]
    if name in ("--help", "-h"):
        return Result(0, "Display the configuration of object denoted by ID", "")
    if name.startswith("-"):
        return Result(125, "", f"Error: flag needs an argument: {name}")
    return Result(125, "", f'Error: inspecting object: no such object: "{name}"')


def tool_name(run_id: str) -> str:
    return f"netcage-run-{run_id}-tool"


def sidecar_name(run_id: str) -> str:
    return f"netcage-run-{run_id}-sidecar"


def require_managed(verb: str, name: str, refusing: str = "manage", podman_error: bool = False,
                    ask=None) -> Labels:
    """The labels of `name`, or netcage's refusal: "not a netcage-managed container", with why
    (the lookup failed: `exit status 125`, plus podman's words where `podman_error`; or no
    label: "refusing to <refusing> it")."""
    labels = read_labels(name, ask)
    if labels.looked_up.code != 0:
        failure = labels.looked_up.failure if podman_error else exit_text(labels.looked_up.code)
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (inspect failed): "
                      f"{failure}")
    if not labels.managed:
        raise refused(verb, f"{quote(name)} is not a netcage-managed container (missing the "
                      f"netcage.managed label); refusing to {refusing} it")
    return labels


def resolve_run(verb: str, name: str) -> str:
    """The run id of a managed name, either half of the pair (ports and forward)."""
    labels = require_managed(verb, name, refusing="touch", podman_error=True)
    if not labels.run_id:
        raise refused(verb, f"{quote(name)} is netcage-managed but carries no run id label "
                      "(netcage.run-id); cannot resolve its containers")
    return labels.run_id
