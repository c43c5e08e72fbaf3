"""Where the harness's pieces are (the checkout, the real bin/anon-pi, the stand-in netcage and
podman, the recorded podman answers) and the box-listing call: one spelling for conftest.py, the
harness modules beside it and the tests, none of which then imports another for a path."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin" / "anon-pi"
FAKES = Path(__file__).resolve().parent / "fakes"
FIXTURES = ROOT / "tests" / "fixtures" / "podman-4.3.1"
BOX_LIST = ["ps", "-a", "--format", "json"]

NETCAGE = str(FAKES / "netcage")
PODMAN = str(FAKES / "podman")
