"""The world a recorded netcage call met, rebuilt from its `setup` words with real podman.

Each record says, before the call: every container in netcage's store (name, state, netcage
labels), every image, what listens on loopback, and netcage's config file when there is one.
`World.arrange(record)` makes this machine say the same, the way the recording made it
(tests/fixtures/netcage-transcripts/README.md, "The store and the pairs"):

- the base image `localhost/nct/busybox:latest`: a busybox-static rootfs `podman import`ed into
  a private store (its size, 2.02 MB, shows in `images`; rootfs.py builds it);
- the pairs `netcage-run-<rid>-sidecar` + `-tool`, labelled as netcage labels them, the tool in
  the sidecar's network namespace; run 1001 (and its twin 1004) is the kept box whose sidecar
  carries the env this generation bakes for `--proxy socks5h://127.0.0.1:19050` and the hole
  192.168.1.150:8080 (read off the recorded sidecar argv); 1002 runs listeners (the sidecar on
  127.0.0.1:53, the tool on [::]:3001, 127.0.0.1:4001, 0.0.0.0:5001); 1003 runs none;
  `plain-ctr` has no labels;
- loopback stubs: a TCP stub that accepts and closes, or a SOCKS5 stub that answers the
  no-auth greeting and refuses every CONNECT.

Images other than the base one are never made here: they are what the replayed `commit`,
`load` and `build` calls made, as in the recording. `describe()` reads the store back in the
recording's words, so the replay can check it met (and left) the recorded state.
"""
import json
import re
import socket
import subprocess
from pathlib import Path

from loopback_listener import Listener
from rootfs import write_rootfs

BASE = "localhost/nct/busybox:latest"
PODMAN = "/usr/bin/podman"
STUB_WORDS = re.compile(r"127\.0\.0\.1:(\d+) (TCP|SOCKS5) stub")
# what each container of the recording ran (the tool of 1001/1004 ran `true` and exited)
COMMANDS = {
    "netcage-run-1002-sidecar": ["sh", "-c", "httpd -f -p 127.0.0.1:53 & exec sleep 900"],
    "netcage-run-1002-tool": ["sh", "-c", ("httpd -f -p 3001 & httpd -f -p 127.0.0.1:4001 & "
                                           "httpd -f -p 0.0.0.0:5001 & exec sleep 900")],
}
KEYED_TOOLS = ("1001", "1002", "1004")  # tools that carry anon-pi.key=a2V5


class World:
    def __init__(self, scratch: Path, baked_env: dict[str, str]):
        self.scratch, self.store = scratch, scratch / "store"
        self.baked_env = baked_env
        self.stubs: dict[int, tuple[str, Listener]] = {}  # port -> (TCP|SOCKS5, listener)
        self._seen = None  # (containers, images) as last read; None once anything may change
        for folder in ("home", "xdg", "tmp", "ws/projects", "hostdir", "lonely", "ctx"):
            (scratch / folder).mkdir(parents=True, exist_ok=True)
        (scratch / "ctx" / "Containerfile").write_text(
            'FROM localhost/nct/busybox:latest\nLABEL anon-pi.built=yes\nCMD ["true"]\n')
        rootfs = scratch / "rootfs.tar"
        write_rootfs(rootfs)
        # aux.tar: the same rootfs imported (earlier than the base image) elsewhere and saved
        aux_store = scratch / "aux-store"
        podman_at(aux_store, "import", "-q", "--change", "ENV PATH=/bin:/usr/bin", str(rootfs),
                  "localhost/nct/aux:latest")
        podman_at(aux_store, "save", "-q", "-o", str(scratch / "aux.tar"),
                  "localhost/nct/aux:latest")
        podman_at(aux_store, "rmi", "-af")
        self.rootfs = rootfs

    def podman(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        if args[0] not in ("ps", "images", "inspect"):
            self.changed()
        return podman_at(self.store, *args, check=check)

    def changed(self) -> None:
        """Forget what the store held: a call may have changed it."""
        self._seen = None

    def _read(self) -> tuple[dict, list]:
        if self._seen is None:
            self._seen = (self._read_containers(), self._read_images())
        return self._seen

    # --- arranging -------------------------------------------------------------------------

    def arrange(self, record: dict, store: bool = True) -> None:
        """The record's setup; `store=False` leaves podman alone (the podman-free mode)."""
        parts = record["setup"].split(" | ")
        if store:
            self._arrange_images(_listed(parts[1], "store images: "))
            self._arrange_containers(_listed(parts[0], "store containers: "))
        self._arrange_stubs(next((p for p in parts[2:] if p.startswith("listening: ")), ""))
        self._arrange_config(next((p for p in parts[2:] if "config.json holds: " in p), None))

    def _arrange_images(self, wanted: list[str]) -> None:
        have = self.images()
        if not wanted and have:
            self.podman("rm", "-af", "-t", "0")
            self.podman("rmi", "-af")
        if BASE in wanted and BASE not in have:
            self.podman("import", "-q", "--change", "ENV PATH=/bin:/usr/bin", str(self.rootfs),
                        BASE)

    def _arrange_containers(self, wanted: list[str]) -> None:
        want = dict(_container_words(w) for w in wanted)
        have = self.containers()
        for name in sorted(have, key=lambda n: n.endswith("sidecar")):  # tools go first
            if name not in want or have[name][1] != want[name][1]:
                self.podman("rm", "-f", "-t", "0", name)
        for name, (_, labels) in want.items():
            if name not in self.containers():
                self._create(name, labels)
        # once all exist: a tool's creation starts its sidecar
        for name, (state, _) in want.items():
            current = self.containers()[name][0]
            if state == "running" and current != "running":
                self.podman("start", name)
            elif state != "running" and current == "running":
                self.podman("stop", "-t", "0", name)

    def _create(self, name: str, labels: str) -> None:
        if name == "plain-ctr":
            self.podman("run", "-d", "--stop-timeout", "1", "--name", name, "--network", "none",
                        BASE, "sleep", "900")
            return
        run_id, role = name.split("-")[2], name.split("-")[3]
        if role == "sidecar":
            env = [a for k, v in self.baked_env.items() for a in ("-e", f"{k}={v}")]
            self.podman("run", "-d", "--stop-timeout", "1", "--name", name,
                        "--label", "netcage.managed=true", "--label", f"netcage.run-id={run_id}",
                        "--label", "netcage.role=sidecar", "--network", "none", *env, BASE,
                        *COMMANDS.get(name, ["sleep", "900"]))
            return
        extra = ["--label", "anon-pi.key=a2V5"] if run_id in KEYED_TOOLS else []
        if "anon-pi.container=" in labels:
            extra += ["--label", labels.split("; ", 1)[1]]
        sidecar = f"netcage-run-{run_id}-sidecar"
        self.podman("start", sidecar)  # the tool joins its network namespace
        head = ["run", "--name", name, "--label", "netcage.managed=true",
                "--label", f"netcage.run-id={run_id}", "--label", "netcage.role=tool", *extra,
                "--network", f"container:{sidecar}"]
        if name in COMMANDS or run_id == "1003":  # the running tools
            head[1:1] = ["-d", "--stop-timeout", "1"]
            self.podman(*head, BASE, *COMMANDS.get(name, ["sleep", "900"]))
        else:  # the kept box: exactly the recorded CreateCommand, `true` ran and exited
            self.podman(*head, BASE, "true")

    def _arrange_stubs(self, words: str) -> None:
        wanted = {int(port): kind for port, kind in STUB_WORDS.findall(words)}
        for port in list(self.stubs):
            if wanted.get(port) != self.stubs[port][0]:
                self.stubs.pop(port)[1].close()
        for port, kind in wanted.items():
            if port not in self.stubs:
                serve = _socks_greeting if kind == "SOCKS5" else None
                self.stubs[port] = (kind, Listener(port, serve))

    def _arrange_config(self, words: str | None) -> None:
        path = self.scratch / "xdg" / "netcage" / "config.json"
        if words is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.loads(words.split("config.json holds: ", 1)[1]), encoding="utf-8")

    # --- reading back ----------------------------------------------------------------------

    def containers(self) -> dict[str, tuple[str, str]]:
        """name -> (state, the recording's words for its labels)."""
        return self._read()[0]

    def images(self) -> list[str]:
        """Each image name (`<dangling>` for none), `[netcage.managed]` when it carries it."""
        return self._read()[1]

    def _read_containers(self) -> dict[str, tuple[str, str]]:
        rows = json.loads(self.podman("ps", "-a", "--format", "json").stdout or "[]")
        out = {}
        for row in rows:
            labels = row.get("Labels") or {}
            if labels.get("netcage.managed"):
                words = (f"netcage.managed={labels['netcage.managed']} "
                         f"role={labels.get('netcage.role', '')} "
                         f"run-id={labels.get('netcage.run-id', '')}")
                if "anon-pi.container" in labels:
                    words += f"; anon-pi.container={labels['anon-pi.container']}"
            else:
                words = "no netcage labels"
            out[row["Names"][0]] = (row["State"], words)
        return out

    def _read_images(self) -> list[str]:
        rows = json.loads(self.podman("images", "--format", "json").stdout or "[]")
        out, seen = [], set()
        for row in rows:  # podman lists an image once per name; the recording, once
            if row["Id"] in seen:
                continue
            seen.add(row["Id"])
            mark = " [netcage.managed]" if (row.get("Labels") or {}).get("netcage.managed") else ""
            out += [f"{name}{mark}" for name in row.get("Names") or ["<dangling>"]]
        return sorted(out)

    def describe(self) -> str:
        """The store in the recording's words (the first two parts of `setup`/`after`)."""
        ctrs = "; ".join(f"{n} ({s}; {w})" for n, (s, w) in sorted(self.containers().items()))
        images = "; ".join(self.images())
        return f"store containers: {ctrs or 'none'} | store images: {images or 'none'}"

    def id_of(self, name: str) -> str:
        return self.podman("inspect", "--format", "{{.Id}}", name).stdout.strip()

    def close(self) -> None:
        for _, listener in self.stubs.values():
            listener.close()
        self.podman("rm", "-af", "-t", "0", check=False)
        self.podman("rmi", "-af", check=False)


def podman_at(store: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([PODMAN, "--root", str(store), *args], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=120, check=False)
    if check and res.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)}: {res.stderr.strip()}")
    return res


def _listed(part: str, prefix: str) -> list[str]:
    body = part.removeprefix(prefix)
    return [] if body == "none" else body.split("; ") if prefix.startswith("store images") \
        else _split_containers(body)


def _split_containers(body: str) -> list[str]:
    """`a (x; y); b (z)`: split on the `; ` that follows a closing parenthesis."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and body.startswith("; ", i):
            out.append(body[start:i])
            start = i + 2
    return out + [body[start:]]


def _container_words(item: str) -> tuple[str, tuple[str, str]]:
    name, _, rest = item.partition(" (")
    state, _, words = rest.removesuffix(")").partition("; ")
    return name, (state, words)


def _socks_greeting(conn: socket.socket) -> None:
    """Answer the no-auth greeting; refuse the CONNECT that may follow ("not allowed")."""
    conn.settimeout(2)
    if conn.recv(3)[:1] == b"\x05":
        conn.sendall(b"\x05\x00")
        if conn.recv(262):
            conn.sendall(b"\x05\x02\x00\x01" + bytes(6))
