"""What the suite knows about the network it runs in.

Tests send traffic only to loopback or to network namespaces they make. CI (`.ci/run`)
enforces it: after the install steps that need the package registries, it runs the suite in
a network namespace of its own that has only `lo`, so any other connect() fails at once
(ENETUNREACH) instead of leaving the machine. A test that itself installs (the fresh-clone
walkthrough, the `pip wheel` test, the uv and pipx installs) therefore installs from a wheel
folder `.ci/run` filled beforehand (tests/integration/setup-wheels.sh) and named in
ANON_PI_WHEELS, never from an index. On a developer's machine without that folder those tests
use the package index pip is configured with, and say so (a warning in pytest's summary); with
no network either, they skip with one line.
"""

import errno
import os
import socket
import warnings
from pathlib import Path

import pytest

WHEELS = "ANON_PI_WHEELS"
SETUP_WHEELS = "tests/integration/setup-wheels.sh"
# TEST-NET-1 and the IPv6 documentation prefix: never routed anywhere real
NOWHERE = (("192.0.2.1", 9), ("2001:db8::1", 9))


def flag(name: str) -> bool:
    """An environment switch such as CI=true: set to anything but "", 0, false or no."""
    return os.environ.get(name, "").lower() not in ("", "0", "false", "no")


def under_ci() -> bool:
    return flag("CI")


def unreachable(host: str, port: int) -> bool:
    """Whether this machine has no route to `host`: a UDP connect() only picks a route and
    sends nothing, so it fails with ENETUNREACH exactly when no route leaves the machine."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((host, port))
        except OSError as exc:
            return exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)
    return False


def pip_env() -> dict[str, str]:
    """The package settings an install test's pip (and uv) run with. With a wheel folder named:
    that folder alone (no index; pip's own configuration files ignored, so nothing else is
    consulted). Without one: the index this user reaches, with their pip/uv index settings,
    certificates and proxies passed through (for tests that build an environment from
    scratch), and a warning saying the index was used. Fails under CI without the folder;
    skips with one line when there is neither a folder nor a network."""
    folder = os.environ.get(WHEELS, "")
    if folder:
        if not Path(folder).is_dir():
            pytest.fail(f"{WHEELS}={folder} is not a folder (fill it with {SETUP_WHEELS})",
                        pytrace=False)
        return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": folder, "PIP_CONFIG_FILE": os.devnull,
                "UV_OFFLINE": "1", "UV_FIND_LINKS": folder}
    if under_ci():
        pytest.fail(f"under CI the install tests install from {WHEELS} (filled by "
                    f"{SETUP_WHEELS} before the network goes)", pytrace=False)
    if unreachable(*NOWHERE[0]):
        pytest.skip(f"no wheel folder ({WHEELS}=<folder>, see {SETUP_WHEELS}) and no "
                    "network for a package index")
    warnings.warn(f"install test used the package index: no {WHEELS} wheel folder "
                  f"(see {SETUP_WHEELS})", stacklevel=2)
    return {k: v for k, v in os.environ.items()
            if k.startswith(("PIP_", "UV_INDEX", "UV_EXTRA_INDEX"))
            or k.upper() in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
                             "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")}
