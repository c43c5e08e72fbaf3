#!/usr/bin/env bash
# Make real podman usable for tests/test_podman_integration.py on a fresh Debian bookworm
# machine run as root (CI): packages, /etc/containers/containers.conf, and a busybox base
# image built locally (there is no registry). Idempotent: safe to run again.
# Facts behind each step: tests/fixtures/podman-4.3.1/README.md.
set -euo pipefail
IMAGE=localhost/test/busybox:latest
CONF=/etc/containers/containers.conf
MARK="# written by anon-pi tests/integration/setup-podman.sh"

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || [ ! -x /bin/busybox ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends podman runc busybox-static >/dev/null
fi

# Root here lacks CAP_SYS_RESOURCE, so podman's default ulimits fail: pin them to what the
# machine really allows. crun refuses this VM's hybrid cgroup layout, hence runc.
if [ ! -e "$CONF" ] || grep -qxF "$MARK" "$CONF"; then
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max)
  if [ "$nofile" = unlimited ]; then nofile=1048576; fi
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc=$pid_max; fi
  mkdir -p "$(dirname "$CONF")"
  cat >"$CONF.tmp" <<CONFEOF
$MARK
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONFEOF
  mv "$CONF.tmp" "$CONF"
else
  echo "setup-podman: keeping the existing $CONF (not written by this script)" >&2
fi

if ! podman image exists "$IMAGE"; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  root="$work/rootfs"
  mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$root/usr/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -cf "$work/rootfs.tar" .
  podman import -q --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$IMAGE" >/dev/null
fi

# The proof: a container really starts and exits 0.
podman run --rm "$IMAGE" true
echo "setup-podman: podman $(podman version --format '{{.Client.Version}}') runs $IMAGE"
