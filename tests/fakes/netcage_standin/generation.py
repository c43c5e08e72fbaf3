"""Which netcage generation the stand-in plays, from FAKE_NETCAGE_VERSION.

Two behaviours matter to a launcher: 0.11.x takes the direct hole as `--allow-direct <ip[:port]>`
(private ranges only, port optional, no loopback), 0.12.0 and later as `--allow <ip:port>` (port
required, DNS ports refused, the host's loopback reachable). 0.13.0 behaves as 0.12.0 on every
recorded call but `--version`. So any version text below 0.12 (0.10.x, 0.11.3, "v0.11.3 (abc)")
plays 0.11, and everything else (0.12, 0.13, later, "dev", junk) plays the newest behaviour;
`--version` always prints the text exactly as given.
"""
import os
import re
from dataclasses import dataclass

DEFAULT_VERSION = "netcage 0.12.0"


@dataclass(frozen=True)
class Generation:
    version_text: str
    allow_direct: bool  # 0.11: the hole flag is --allow-direct, its port optional, no loopback

    @property
    def hole_flag(self) -> str:
        return "--allow-direct" if self.allow_direct else "--allow"

    @property
    def config_allow_key(self) -> str:
        """The allow-list key of netcage's config.json (the other spelling is "unknown field")."""
        return "allowDirect" if self.allow_direct else "allow"


def current() -> Generation:
    text = os.environ.get("FAKE_NETCAGE_VERSION", DEFAULT_VERSION)
    found = re.search(r"(\d+)\.(\d+)", text)
    older = found is not None and (int(found[1]), int(found[2])) < (0, 12)
    return Generation(version_text=text, allow_direct=older)
