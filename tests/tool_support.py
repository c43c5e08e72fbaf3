"""Optional tools a test drives for real (zsh, fish, tmux, bash-completion): a case that needs
one skips with one line naming it when it is missing, so a developer's machine without fish
still runs the rest; under CI (CI set, as .ci/run does) it fails instead, since .ci/run
installs every one of them and a CI run that silently checked bash alone would pass.

podman, socat, strace and real pi have their own rule in tests/real/real_support.py."""

import shutil
from pathlib import Path

import pytest
from network_support import under_ci

BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")


def present(tool: str) -> bool:
    if tool == "bash-completion":
        return BASH_COMPLETION.exists()
    return shutil.which(tool) is not None


def need(tool: str) -> None:
    """Go on when `tool` is installed; else skip (fail under CI) with one line."""
    if present(tool):
        return
    if under_ci():
        pytest.fail(f"{tool} is not installed; under CI .ci/run installs it, so every case runs",
                    pytrace=False)
    pytest.skip(f"{tool} is not installed")
