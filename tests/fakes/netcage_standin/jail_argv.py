"""The argv of `run`, `start` and `verify`: netcage's allow-list grammar, as recorded.

netcage reads these flags left to right and stops at the first problem:

- a denied flag (the ones that would open the jail: --network, -p/--publish, --dns,
  --privileged, --cap-add, --device, --name, --add-host), also in `--flag=value` form;
- the allow-list: -i -t -it -ti --interactive --tty --rm, -v/--volume, -w/--workdir, -e/--env,
  -u/--user, --entrypoint, -l/--label (each also as `-x=`/`--xx=`), --read-only, the value
  pass-throughs (--memory --cpus --memory-swap --tmpfs --hostname --pull --platform --env-file
  --ulimit --shm-size), --proxy and this generation's hole flag; a value flag at the end of the
  argv is "requires a value";
- any other token starting with `-` (but `-` itself) is an unknown flag, refused;
- the first positional is the image: it and everything after it go to the tool untouched
  (`run IMAGE --rm --proxy P` has no proxy); `--` ends the flags too.

Then, in this order: netcage's config file (fatal when broken), the proxy (the flag, else
NETCAGE_PROXY, else the config's; none at all is refused), its URL rules, the config's allow
list when the command line gave no hole, the hole on the proxy's own loopback port (0.12+), and
the positionals (`start` takes exactly one name and none of run's create-time flags; `verify`
takes none). `start`'s flags therefore come before the name.
"""
from dataclasses import dataclass, field

from .config_file import ConfigError, load_config
from .gostr import listing, quote
from .holes import HoleError, parse_hole, refuse_proxy_port
from .outcome import usage_error
from .proxy import ProxyError, parse_proxy

DENIED = {
    "--network": "netcage owns the container network (it sets --network container:<sidecar> so "
                 "all egress is forced through the socks5h proxy); overriding it would breach the "
                 "jail and leak",
    "-p": "publishing ports (-p/--publish) would open an inbound path around the jail; netcage "
          "owns the container's networking to keep it leak-proof. To view an in-jail server on "
          "the host, use `netcage forward <container> [hostPort:]jailPort` (loopback by default)",
    "--dns": "netcage owns DNS (it forces resolution through the socks5h proxy via the in-netns "
             "forwarder); a user --dns would leak DNS to a host-reachable resolver, defeating the "
             "jail",
    "--privileged": "a privileged container can escape the network jail and the isolation "
                    "netcage depends on; refused to keep the jail leak-proof",
    "--cap-add": "added capabilities (e.g. NET_ADMIN) let the tool re-route around the "
                 "forced-egress jail; netcage owns the container's capabilities to keep it "
                 "leak-proof",
    "--device": "passing host devices can bypass the network namespace the jail relies on; "
                "netcage owns device access to keep the jail leak-proof",
    "--name": "netcage owns the container --name (it uses a run-attributable name for "
              "teardown); a user --name would collide with the jail's lifecycle management",
    "--add-host": "--add-host pins a hostname->IP mapping in the container's /etc/hosts, which is "
                  "consulted BEFORE the resolver and so sidesteps netcage's proxy-side DNS (the "
                  "tool could reach an attacker-chosen IP for a name without the proxy resolving "
                  "it); refused for now to keep DNS forced through the jail",
}
DENIED["--publish"] = DENIED["-p"]

# value flags netcage keeps for the tool: (spellings, what "requires a value" says, the field)
VALUE_FLAGS = [
    (("-v", "--volume"), "-v/--volume requires a value (host:container[:opts])", "mounts"),
    (("-w", "--workdir"), "-w/--workdir requires a value", "workdir"),
    (("-e", "--env"), "-e/--env requires a value (KEY=VALUE)", "env"),
    (("-u", "--user"), "-u/--user requires a value", "user"),
    (("--entrypoint",), "--entrypoint requires a value", "entrypoint"),
    (("-l", "--label"), "-l/--label requires a value (key=value)", "create_flags"),
]
PASS_THROUGH = ("--memory", "--cpus", "--memory-swap", "--tmpfs", "--hostname", "--pull",
                "--platform", "--env-file", "--ulimit", "--shm-size")
TOGGLES = {"-i": "i", "--interactive": "i", "-t": "t", "--tty": "t", "-it": "it", "-ti": "it"}


@dataclass
class JailRequest:
    """What an accepted `run`/`start`/`verify` asked for."""
    verb: str
    proxy: object = None
    holes: list = field(default_factory=list)
    rm: bool = False
    interactive: bool = False
    tty: bool = False
    mounts: list = field(default_factory=list)
    workdir: str = ""
    env: list = field(default_factory=list)
    user: str = ""
    entrypoint: str | None = None
    create_flags: list = field(default_factory=list)  # --label and the pass-throughs
    positionals: list = field(default_factory=list)


def parse_jail_argv(verb: str, args: list[str], env, gen) -> JailRequest:
    """The accepted request, or raise netcage's exit-2 usage refusal."""
    try:
        return _parse(verb, args, env, gen)
    except (HoleError, ProxyError, ConfigError, _Refusal) as exc:
        raise usage_error(str(exc), gen) from None


class _Refusal(Exception):
    pass


def _parse(verb, args, env, gen) -> JailRequest:
    req = JailRequest(verb)
    proxy_raw, proxy_given, hole_given = "", False, False
    rest = list(args)
    while rest:
        a = rest.pop(0)
        if a == "--":
            req.positionals += rest
            break
        name = a.split("=", 1)[0]
        if name in DENIED:
            raise _Refusal(f"flag {name} is not allowed: {DENIED[name]}")
        value_of = _value_reader(a, rest)
        if a == "--proxy" or a.startswith("--proxy="):
            proxy_raw, proxy_given = value_of("--proxy requires a value"), True
        elif a in TOGGLES:
            req.interactive |= TOGGLES[a] in ("i", "it")
            req.tty |= TOGGLES[a] in ("t", "it")
        elif a == "--rm":
            req.rm = True
        elif a == "--read-only":
            req.create_flags.append("--read-only")
        elif a == gen.hole_flag or a.startswith(gen.hole_flag + "="):
            req.holes.append(parse_hole(value_of(_hole_missing(gen)), gen))
            hole_given = True
        elif (spec := _value_flag(a)) is not None:
            _store(req, spec[2], value_of(spec[1]))
        elif (flag := _pass_through(a)) is not None:
            req.create_flags += [flag, value_of(f"{flag} requires a value")]
        elif a.startswith("-") and a != "-":
            raise _Refusal(
                f"unknown flag {quote(a)}: netcage accepts only a curated allow-list of podman "
                "flags (-i, -t, -it, --rm, -v/--volume, -w/--workdir, -e/--env, -u/--user, "
                "--entrypoint, --memory, --cpus, --memory-swap, -l/--label, --tmpfs, --read-only, "
                "--hostname, --pull, --platform, --env-file, --ulimit, --shm-size) plus --proxy "
                f"and {gen.hole_flag}; a network/isolation-relevant or unknown flag is refused "
                "(fail-closed on the unknown)")
        else:
            req.positionals += [a, *rest]
            break
    conf = load_config(env, gen)
    if not proxy_given:
        if env.get("NETCAGE_PROXY", "").strip():
            proxy_raw = env["NETCAGE_PROXY"]
        elif conf.present and conf.proxy.strip():
            proxy_raw = conf.proxy
    if not proxy_raw.strip():
        raise _Refusal("no proxy: pass --proxy socks5h://host:port or set NETCAGE_PROXY (netcage "
                       "refuses to run without a proxy; it fails closed and never leaks to the "
                       "host network)")
    req.proxy = parse_proxy(proxy_raw)
    if not hole_given and conf.present and conf.holes:
        req.holes = conf.holes
    if not gen.allow_direct:
        refuse_proxy_port(req.holes, req.proxy)
    _check_positionals(req)
    return req


def _value_reader(token: str, rest: list[str]):
    """Read a flag's value: after the `=` of `--flag=value`, else the next argument (a flag's
    own spelling never holds `=`)."""
    def read(missing: str) -> str:
        if "=" in token:
            return token.split("=", 1)[1]
        if not rest:
            raise _Refusal(missing)
        return rest.pop(0)
    return read


def _hole_missing(gen) -> str:
    if gen.allow_direct:
        return ("--allow-direct requires a value (an RFC1918/link-local IP or CIDR, optionally "
                "with :port)")
    return ("--allow requires a value (an RFC1918/link-local IP or CIDR WITH a :port, e.g. "
            "192.168.1.150:8080)")


def _value_flag(token: str):
    """The VALUE_FLAGS entry for `-v`, `--volume`, `--volume=x`, `-v=x` (not `-vx`)."""
    for spec in VALUE_FLAGS:
        for spelling in spec[0]:
            if token == spelling or token.startswith(spelling + "="):
                return spec
    return None


def _pass_through(token: str) -> str | None:
    name = token.split("=", 1)[0]
    return name if name in PASS_THROUGH else None


def _store(req: JailRequest, slot: str, value: str) -> None:
    if slot == "create_flags":
        req.create_flags += ["--label", value]
    elif slot in ("mounts", "env"):
        getattr(req, slot).append(value)
    else:
        setattr(req, slot, value)


def _check_positionals(req: JailRequest) -> None:
    if req.verb == "start":
        if not req.positionals:
            raise _Refusal("start requires a netcage container name to revive (netcage start "
                           "<name>)")
        if len(req.positionals) > 1:
            raise _Refusal("start takes exactly one netcage container name, got "
                           f"{listing(req.positionals)}")
        _refuse_create_flags(req)
    elif req.verb == "verify" and req.positionals:
        raise _Refusal(f"verify takes no positional arguments, got {listing(req.positionals)}")


def _refuse_create_flags(req: JailRequest) -> None:
    """`start` revives an existing container: what was fixed at create time cannot change."""
    fixed = "it revives an EXISTING container whose {} is fixed at create time"
    if req.mounts:
        raise _Refusal("start does not take -v/--volume: it revives an EXISTING container "
                       "(mounts are fixed at create time); remove it and `netcage run` again to "
                       "change mounts")
    for value, flag, what in ((req.workdir, "-w/--workdir", "workdir"),
                              (req.env, "-e/--env", "env"), (req.user, "-u/--user", "user"),
                              (req.entrypoint, "--entrypoint", "entrypoint")):
        if value:
            raise _Refusal(f"start does not take {flag}: " + fixed.format(what))
    if req.create_flags:
        raise _Refusal("start does not take create-time flags (--memory/--label/--tmpfs/...): it "
                       "revives an EXISTING container; those are fixed at create time")
