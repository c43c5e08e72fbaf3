"""A stand-in for netcage, held to the recorded calls of the real netcage 0.11.1, 0.12.0 and 0.13.0.

netcage (the jail anon-pi drives) is never installed on the test machines, so the suite runs this
program in its place (`tests/fakes/netcage` is the entry). It behaves as netcage does, as far as
tests/fixtures/netcage-transcripts/ recorded it:

- the command line: every verb's argv grammar, each refusal with netcage's own words and exit
  status (2 plus the usage text for a rejected `run`/`start`/`ports`/..., 1 for a management verb);
- the fail-closed preflight: a `run`, `start` or `verify` really dials its proxy (only ever on
  loopback) and exits 1 "unreachable at startup" when nothing answers;
- netcage's own config file (`$XDG_CONFIG_HOME/netcage/config.json`, else `~/.config/...`).

What happens after that depends on the mode:

- default (podman-free): the state-dependent answers are the ones the cli harness scripts:
  canned files in FAKE_NETCAGE_DIR, an accepted `run` that streams/sleeps/exits as asked
  (FAKE_NETCAGE_STREAM/GATE/SLEEP/RC), an empty store otherwise (`canned.py` says which);
- FAKE_NETCAGE_REAL_PODMAN=1: every verb talks to the `podman` on PATH in netcage's store
  (`--root $NETCAGE_GRAPHROOT`, default /var/tmp/netcage-storage-<uid>) with the very podman
  calls netcage makes, so its outputs are podman's own. This is how the contract test
  (tests/contract/) replays every recorded call, podman calls included.

FAKE_NETCAGE_VERSION picks the generation (`generation.py`); FAKE_NETCAGE_LOG, FAKE_NETCAGE_SLOW
and FAKE_NETCAGE_HOLD are the harness's call log, "busy podman" pause and a call held until
the test lets it answer (`main.py`).
"""
