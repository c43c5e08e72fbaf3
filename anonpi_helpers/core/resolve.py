"""What wins: environment over config files over defaults (docs/design.md, rule 22).

Pure: callers pass env."""

import os
from collections.abc import Mapping

from .config_model import str_field
from .errors import AnonPiError
from .names import check_name, check_utf8
from .shown import shown


def env_value(env: Mapping[str, str], key: str) -> str | None:
    value = (env.get(key) or "").strip()
    return check_utf8(value, key) or None


def expand_path(value: str, home: str, cwd: str) -> str:
    """A leading `~`/`~/` becomes $HOME; the result is absolute and normalised."""
    if value == "~" or value.startswith("~/"):
        value = home + value[1:]
    return os.path.normpath(os.path.join(cwd, value))


def absolute_env(env: Mapping[str, str], key: str, home: str, example: str) -> str | None:
    """An env path with a leading `~` expanded; a relative value is an error: what a
    destructive verb deletes must not depend on the folder it was typed in."""
    raw = env_value(env, key)
    if raw is None:
        return None
    if not (raw.startswith(("/", "~/")) or raw == "~"):
        raise AnonPiError(f"{key} must be an absolute path, got {shown(raw)}", f"e.g. {example}")
    return expand_path(raw, home, "/")


def env_projects(env: Mapping[str, str], home: str) -> str | None:
    return absolute_env(env, "ANON_PI_PROJECTS", home, "ANON_PI_PROJECTS=~/code")


def resolve_machine(cli_machine: str | None, config: dict | None) -> str:
    """`-m` > config `defaultMachine` (trimmed, blank = absent) > `default`; always validated."""
    if cli_machine is not None:
        return check_name(cli_machine, "machine")
    configured = str_field(config, "defaultMachine")
    return check_name(configured, "machine") if configured else "default"


def resolve_proxy(env: Mapping[str, str], config: dict | None) -> str | None:
    return env_value(env, "ANON_PI_PROXY") or str_field(config, "proxy")


def resolve_llm(env: Mapping[str, str], config: dict | None) -> str | None:
    return env_value(env, "ANON_PI_LLM") or str_field(config, "llm")


def resolve_image(cli_image: str | None, machine_cfg: dict | None,
                  env: Mapping[str, str]) -> str | None:
    """`-i` > machine.json `image` > `ANON_PI_IMAGE` (a fallback, lowest)."""
    return cli_image or str_field(machine_cfg, "image") or env_value(env, "ANON_PI_IMAGE")


def check_image_ref(ref: str) -> str:
    """The image sits right before the container command in the argv: a ref that netcage
    could read as an option (`--privileged`) or that holds whitespace is refused."""
    check_utf8(ref, "the image ref")
    if ref.startswith("-") or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in ref):
        raise AnonPiError(f"invalid image ref {ref!r}: it starts with '-' or contains "
                          "whitespace or control characters.",
                          "check -i, machine.json `image` and ANON_PI_IMAGE; e.g. "
                          "localhost/anon-pi/pi:latest")
    return ref


def resolve_projects_root(*, mount: str | None, env: Mapping[str, str],
                          machine_cfg: dict | None, config: dict | None,
                          workspace: str, home: str, cwd: str) -> str:
    """`--mount` > ANON_PI_PROJECTS > machine.json > config.json > `<workspace>/projects`."""
    if mount:
        return check_utf8(expand_path(mount, home, cwd), "the --mount folder")
    from_env = env_projects(env, home)
    if from_env:
        return from_env
    configured = str_field(machine_cfg, "projects") or str_field(config, "projects")
    if configured:
        return _no_nul(check_utf8(expand_path(configured, home, cwd), "the projects root"))
    return os.path.join(workspace, "projects")


def _no_nul(path: str) -> str:
    """A JSON string may hold a NUL (`\\u0000`); no path can, and every call that takes one
    would fail on it: refused here in one line instead."""
    if "\0" in path:
        raise AnonPiError(f"the projects root {shown(path)} contains a NUL character, which no "
                          "path can hold.", "fix `projects` in config.json or machine.json")
    return path


def data_projects_root(*, env: Mapping[str, str], config: dict | None, workspace: str,
                       home: str, cwd: str) -> str:
    """The data verbs' and carry-over's root: no --mount, no per-machine override."""
    return resolve_projects_root(mount=None, env=env, machine_cfg=None, config=config,
                                 workspace=workspace, home=home, cwd=cwd)


def check_mountable(path: str, what: str) -> str:
    """podman's -v syntax splits on ':' and ','; a control character (a newline) would also
    forge lines of the identity record. Such a host path is never mounted; nor one that is
    not UTF-8 (checked first, so `--mount` is refused for that before its existence)."""
    check_utf8(path, what)
    if ":" in path or "," in path:
        raise AnonPiError(f"{what} {shown(path)} contains ':' or ',', which a bind mount "
                          "cannot carry.",
                          "move it to a path without those characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        raise AnonPiError(f"{what} {path!r} contains a control character.",
                          "move it to a path without control characters")
    return path
