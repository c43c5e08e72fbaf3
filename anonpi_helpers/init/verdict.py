"""init's last word: "ready" only when a launch would pass anon-pi's own checks,
else each missing piece with its fix.

It runs the launch's checks, in the launch's order, on what a launch would resolve (the
environment over the config just written), so init can never say "ready" and the next
launch refuse. One check goes further than the launch: the machine's image must be in
netcage's store, since a launch of an image it lacks makes podman pull it from a registry on
this host's own network, outside the proxy. Pure: the caller passes the environment, the
files' contents, whether the installed netcage reaches the host's loopback and how to ask
the store. No fix says "run init": the user is in it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.addresses import check_llm_generation, check_proxy, normalise_llm
from ..core.config_model import str_field
from ..core.errors import AnonPiError
from ..core.isolation import resolve_isolation
from ..core.netcage_version import LOOPBACK_NETCAGE, release
from ..core.pin_check import absent, ways_in
from ..core.resolve import (
    check_image_ref,
    check_mountable,
    env_value,
    resolve_image,
    resolve_llm,
    resolve_projects_root,
    resolve_proxy,
)

READY = "ready: `anon-pi <project>` (bare `anon-pi` opens the project menu)"
LLM_FIX = ("start your model server and `export ANON_PI_LLM=<its IP:port>` (private, "
           "link-local or loopback, e.g. 192.168.1.150:8080), or enter it at step 2/4 next time")
NETCAGE_FIX = (f"install netcage {release(LOOPBACK_NETCAGE)} or newer (README: Install netcage), "
               "or serve the model on a private LAN address")


@dataclass(frozen=True)
class Missing:
    """One thing a launch would refuse: what, why (the launch's own words), how to fix it."""

    what: str
    why: str
    fix: str


def _env_fix(env: Mapping[str, str], key: str, fix: str) -> str:
    """A bad value from the environment is fixed there: it wins over config.json."""
    if env_value(env, key):
        return f"{key} is set in your environment and wins over config.json: correct or unset it"
    return fix


def _proxy(env, config) -> tuple[str | None, Missing | None]:
    try:
        return check_proxy(resolve_proxy(env, config)), None
    except AnonPiError as exc:
        return None, Missing("a socks5h proxy", exc.message, _env_fix(
            env, "ANON_PI_PROXY", "`export ANON_PI_PROXY=socks5h://<host:port>` "
                                  "(Tor: socks5h://127.0.0.1:9050)"))


def _isolation(env, config) -> Missing | None:
    try:
        resolve_isolation(env, config)
    except AnonPiError as exc:
        return Missing("a stream-isolation level", exc.message,
                       _env_fix(env, "ANON_PI_ISOLATION", exc.hint or ""))
    return None


def _llm(env, config, proxy, loopback_ok) -> Missing | None:
    value = resolve_llm(env, config)
    if not value:
        return Missing("a local model (llm)", "no local model is configured", LLM_FIX)
    try:
        llm = normalise_llm(value, loopback_ok=True, proxy=proxy)
    except AnonPiError as exc:
        return Missing("a usable local model (llm)", exc.message,
                       _env_fix(env, "ANON_PI_LLM", LLM_FIX))
    try:
        check_llm_generation(llm, loopback_ok)
    except AnonPiError as exc:
        return Missing("a netcage that reaches the host's loopback", exc.message, NETCAGE_FIX)
    return None


# A ref -> held (True / False, or None when the store could not be asked) and why not asked
StoreLookup = Callable[[str], tuple[bool | None, str]]


def _image(env, machine, machine_cfg, held: StoreLookup, store: str) -> Missing | None:
    image = resolve_image(None, machine_cfg, env)
    what = f'an image for machine "{machine}"'
    if not image:
        return Missing(what, f'machine "{machine}" has no image',
                       f"`anon-pi machine set-image {machine} <ref>` (e.g. "
                       "localhost/anon-pi/pi:latest once built at step 3/4), or "
                       "`export ANON_PI_IMAGE=<ref>`")
    try:
        check_image_ref(image)
    except AnonPiError as exc:
        return Missing(what, exc.message, exc.hint or "")
    if held(image)[0] is False:  # a store that could not be asked is not a missing image
        other = ("set ANON_PI_IMAGE to another" if image != str_field(machine_cfg, "image")
                 else f"pin another: `anon-pi machine set-image {machine} <ref>`")
        return Missing(f"{what} in netcage's store", absent(image, store),
                       f"{ways_in(image)}; or {other}")
    return None


def _projects(env, config, machine_cfg, workspace, home, cwd) -> Missing | None:
    try:
        root = resolve_projects_root(mount=None, env=env, machine_cfg=machine_cfg,
                                     config=config, workspace=workspace, home=home, cwd=cwd)
        check_mountable(root, "the projects root")
    except AnonPiError as exc:
        return Missing("a mountable projects root", exc.message,
                       _env_fix(env, "ANON_PI_PROJECTS", exc.hint or ""))
    return None


def missing_pieces(env: Mapping[str, str], config: dict | None, machine: str,
                   machine_cfg: dict | None, *, loopback_ok: bool, workspace: str, home: str,
                   cwd: str, held: StoreLookup, store: str) -> list[Missing]:
    """What a launch of `machine` would refuse now, in the launch's order (empty = ready);
    `held` asks netcage's store (at `store`) for the image."""
    proxy, no_proxy = _proxy(env, config)
    found = [no_proxy, _isolation(env, config), _llm(env, config, proxy, loopback_ok),
             _image(env, machine, machine_cfg, held, store),
             _projects(env, config, machine_cfg, workspace, home, cwd)]
    return [m for m in found if m is not None]


def render(missing: list[Missing]) -> str:
    if not missing:
        return READY
    lines = ["not ready yet:"]
    for m in missing:
        lines += [f"  - {m.what}: {m.why.rstrip('.')}", f"    fix: {m.fix}"]
    return "\n".join(lines)
