#!/usr/bin/env bash
# A wheel folder for the tests that install anon-pi themselves (the fresh-clone walkthrough,
# the `pip wheel` test, the README's uv and pipx installs): the build backend and every runtime
# dependency pyproject.toml names, plus uv and pipx (TOOLS) with what they need, so those tests
# install with no index when the suite runs without a network (.ci/run runs it in a namespace
# with only `lo`; tests/network_support.py reads ANON_PI_WHEELS).
# Run it while the network is there. Idempotent.
# Usage: tests/integration/setup-wheels.sh <folder>
set -euo pipefail
dest=${1:?usage: $0 <folder>}
root=$(cd "$(dirname "$0")/../.." && pwd)
py="$root/.venv/bin/python"
[ -x "$py" ] || { echo "setup-wheels: no $py; run make install first" >&2; exit 1; }
mapfile -t wanted < <("$py" -c '
import sys, tomllib
with open(sys.argv[1], "rb") as fh:
    doc = tomllib.load(fh)
print("\n".join(doc["build-system"]["requires"] + doc["project"]["dependencies"]))
' "$root/pyproject.toml")
# pipx gives each tool's environment its own pip (and upgrades its shared one): pip too
TOOLS=(uv pipx pip)
mkdir -p "$dest"
"$py" -m pip wheel -q -w "$dest" "${wanted[@]}" "${TOOLS[@]}"
echo "setup-wheels: $dest holds $(find "$dest" -name '*.whl' | wc -l) wheels for: ${wanted[*]} ${TOOLS[*]}"
