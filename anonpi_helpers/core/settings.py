"""What `anon-pi config` knows of each setting: the file that holds it, the environment
variable that wins over it, its default, where its effective value comes from, and the value
a `set` stores.

A setting is worth showing only with where it came from: a proxy set in config.json and
overridden by ANON_PI_PROXY is the commonest surprise, and nothing else says so. The order
here is the launch's own (core/resolve.py and core/isolation.py; tests hold the two together).
A value to store is read by the same rules init reads its answers with (the proxy's reading,
the llm's address rules, the name rules, the launch's mount rules), so `config set` stores
nothing init or a launch would refuse. Pure: the caller passes the files and the environment.
"""

from collections import namedtuple
from collections.abc import Mapping

from .config_model import flag_field, str_field
from .errors import AnonPiError, UsageError

CONFIG_FILE, MACHINE_FILE = "config.json", "machine.json"
ENV, DEFAULT, UNSET = "environment", "default", "unset"
TRUE_FALSE = ("true", "false")


class Setting(namedtuple("Setting", ["key", "env", "default", "about"])):
    """One key: the variable that wins over the files (None: none does), the default a
    launch uses when nothing sets it (None: none), and what it is in a user's words."""

    __slots__ = ()


SETTINGS = (
    Setting("proxy", "ANON_PI_PROXY", None,
            "the socks5h:// proxy every byte to the web leaves through"),
    Setting("llm", "ANON_PI_LLM", None, "your model server's IP:port (the jail's one direct hole)"),
    Setting("defaultMachine", None, "default", "the machine a launch uses without -m"),
    Setting("projects", "ANON_PI_PROJECTS", None, "the projects root, mounted at /projects"),
    Setting("isolation", "ANON_PI_ISOLATION", "none",
            "Tor stream isolation: machine, project or none"),
    Setting("piNetwork", None, "false", "whether pi may reach its own services (true/false)"),
    Setting("web", None, "proxy", "what the jail may reach on the web: proxy, none or "
            "name,name,… (machine.json, else config.json)"),
    Setting("image", "ANON_PI_IMAGE", None, "the machine's image (machine.json)"),
    Setting("gitIdentity", None, "anon <anon@localhost>",
            "the git identity the machine's home gets (machine.json)"),
    Setting("timezone", None, "UTC", "the jail's TZ (machine.json)"),
    Setting("locale", None, "C.UTF-8", "the jail's LANG (machine.json)"),
)
BY_KEY = {s.key: s for s in SETTINGS}
# the keys a machine.json holds: `image` only there, `projects` there with -m
MACHINE_ONLY = frozenset({"image", "gitIdentity", "timezone", "locale"})
JAIL_LOOKS = frozenset({"gitIdentity", "timezone", "locale"})
EITHER = frozenset({"projects", "web"})


class Effective(namedtuple("Effective", ["key", "value", "source", "where"])):
    """A setting's effective value (a string, True/False for piNetwork, None when unset),
    where it comes from (ENV, CONFIG_FILE, MACHINE_FILE, DEFAULT or UNSET) and which
    variable or file that is (None for a default)."""

    __slots__ = ()


def target_file(key: str, machine_given: bool) -> str:
    """The file `set`/`unset` writes: `image` is always the machine's, `projects` the
    machine's with -m, every other key config.json's (-m there is a usage error)."""
    if key in MACHINE_ONLY or (key in EITHER and machine_given):
        return MACHINE_FILE
    if machine_given:
        raise UsageError(f"{key} lives in config.json, not in a machine's machine.json; "
                         "-m goes with image, gitIdentity, timezone, locale, projects and "
                         "web only.",
                         f"drop -m: `anon-pi config set {key} <value>`")
    return CONFIG_FILE


def effective(env: Mapping[str, str], config: dict | None, machine_cfg: dict | None, *,
              paths: Mapping[str, str], builtin_projects: str, home: str,
              cwd: str) -> list[Effective]:
    """Every setting as a launch on this machine sees it. `paths` maps CONFIG_FILE and
    MACHINE_FILE to the files read."""
    from .resolve import env_value, expand_path

    rows = []
    for s in SETTINGS:
        from_env = env_value(env, s.env) if s.env else None
        if s.key == "projects" and from_env:  # a `~` is the user's home, as the launch reads it
            from_env = expand_path(from_env, home, "/")
        in_config = str_field(config, s.key) if s.key not in MACHINE_ONLY else None
        in_machine = str_field(machine_cfg, s.key) if s.key in MACHINE_ONLY | EITHER else None
        if s.key == "web":  # a list is an allow-list: shown as --web takes it
            in_machine = _web_text(machine_cfg)
            in_config = _web_text(config)
        if s.key == "piNetwork":
            on = flag_field(config, s.key)
            rows.append(Effective(s.key, on, CONFIG_FILE if on else DEFAULT,
                                  paths[CONFIG_FILE] if on else None))
        elif s.key == "image":  # machine.json wins; ANON_PI_IMAGE is only the fallback
            from .image_store import shown_ref

            if in_machine:
                rows.append(Effective(s.key, shown_ref(in_machine), MACHINE_FILE,
                                      paths[MACHINE_FILE]))
            elif from_env:
                rows.append(Effective(s.key, shown_ref(from_env), ENV, s.env))
            else:
                rows.append(Effective(s.key, None, UNSET, None))
        elif from_env:
            rows.append(Effective(s.key, from_env, ENV, s.env))
        elif in_machine:
            value = expand_path(in_machine, home, cwd) if s.key == "projects" else in_machine
            rows.append(Effective(s.key, value, MACHINE_FILE, paths[MACHINE_FILE]))
        elif in_config:
            value = expand_path(in_config, home, cwd) if s.key == "projects" else in_config
            rows.append(Effective(s.key, value, CONFIG_FILE, paths[CONFIG_FILE]))
        elif s.key == "projects":
            rows.append(Effective(s.key, builtin_projects, DEFAULT, None))
        elif s.default is not None:
            rows.append(Effective(s.key, s.default, DEFAULT, None))
        else:
            rows.append(Effective(s.key, None, UNSET, None))
    return rows


def stored_value(key: str, value: str, *, home: str, cwd: str, proxy: str | None,
                 builtin_projects: str, machine: str = "default") -> str | bool | None:
    """The value `config set KEY VALUE` stores, read as init reads the same answer; None
    means the key is dropped (the projects root typed as its default, piNetwork false: what
    init writes for them). Raises the refusal a launch or init would give."""
    if key == "proxy":
        return _proxy(value)
    if key == "llm":
        from .addresses import normalise_llm

        # a loopback model also needs a recent netcage: the caller asks it (check_llm_generation)
        return normalise_llm(value, loopback_ok=True, proxy=proxy)
    if key == "defaultMachine":
        from .names import check_name

        return check_name(value, "machine")
    if key == "projects":
        from .resolve import check_mountable, expand_path

        path = check_mountable(expand_path(value, home, cwd), "the projects root")
        return None if path == builtin_projects else path
    if key == "image":
        from .resolve import check_image_ref

        return check_image_ref(value)
    if key == "web":  # read as --web reads it; an allow-list is stored as a list
        from .web_policy import NONE, PROXY, web_flag

        web = web_flag(value)
        return web.mode if web.mode in (PROXY, NONE) else list(web.names)
    if key in JAIL_LOOKS:  # refused as a launch refuses it in machine.json
        from .jail_identity import jail_looks

        jail_looks({key: value}, machine)
        return value.strip()
    from .command_line import checked

    if key == "isolation":
        from .isolation import LEVELS

        return checked(LEVELS, value.lower(), "isolation", "see `anon-pi config --help`")
    return checked(TRUE_FALSE, value.lower(), "piNetwork", "see `anon-pi config --help`") == "true"


def _web_text(cfg: dict | None) -> str | None:
    """A file's `web` as text: "proxy", "none", or the allow-list's names joined by commas
    (whether they are valid is the launch's and doctor's to say)."""
    value = cfg.get("web") if isinstance(cfg, dict) else None
    if isinstance(value, list):
        return ",".join(str(item) for item in value) or None
    return value if isinstance(value, str) else None


def _proxy(value: str) -> str:
    from .proxy_url import proxy_url, socks5_offer
    from .shown import shown

    url = proxy_url(value)
    if url is not None:
        return url
    offer = socks5_offer(value)
    if offer is not None:
        raise AnonPiError(f"proxy {shown(value)} is socks5://, which lets names be resolved "
                          "outside the proxy (a DNS leak); anon-pi only uses socks5h://.",
                          f"`anon-pi config set proxy {offer}`")
    raise AnonPiError(f"proxy {shown(value)} is not a socks5h://host:port address (a numeric "
                      "port is required).",
                      "e.g. `anon-pi config set proxy socks5h://127.0.0.1:9050` (a bare "
                      "host:port means socks5h)")


def with_value(obj: dict | None, key: str, value: str | bool | None) -> dict:
    """A copy of a file's object with `key` set, or dropped when `value` is None or False
    (init drops piNetwork when it is off); unknown keys are kept."""
    out = dict(obj or {})
    if value is None or value is False:
        out.pop(key, None)
    else:
        out[key] = value
    return out


def shown_value(value) -> str:
    """A value as text: true/false for a switch, empty for unset."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
