"""doctor's rows for the host under the jail: netcage's config file, podman 5, rootless,
pasta, /dev/net/tun, subordinate ids. Reads through edges/host_facts, judges with the pure
host_checks and netcage_config."""

from ..edges import host_facts, jail_paths, netcage
from .checks import Check, podman_check
from .host_checks import (
    id_ranges,
    pasta_check,
    podman_version_check,
    rootless_check,
    subid_check,
    tun_check,
)
from .netcage_config import config_check


def config_row(env, hole_flag: str) -> Check:
    path = host_facts.netcage_config_path(env)
    return config_check(path, *host_facts.read_small(path), hole_flag)


def podman_rows(io, podman: str | None) -> list[Check]:
    """podman itself (on PATH, version 5+) and what its rootless pasta network needs."""
    euid = host_facts.euid()
    rows = [podman_version_check(podman, *host_facts.podman_version(io, podman)) if podman
            else podman_check(None)]
    rows += [rootless_check(euid), pasta_check(host_facts.pasta(io)),
             tun_check(euid, host_facts.tun_open_error(), host_facts.tun_mode())]
    login = jail_paths.login_name(io.env)
    uids, gids = (id_ranges(text, login, euid) for text in host_facts.subid_lines())
    rows.append(subid_check(euid, login, uids, gids, netcage.on_path("newuidmap", io.env)))
    return rows
