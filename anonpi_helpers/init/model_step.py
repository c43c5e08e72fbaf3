"""Step 2/4: the local model, the one direct hole: validate it, import its model list."""

import socket
from dataclasses import dataclass, field
from pathlib import Path

from ..core.addresses import LLM_HINT, jail_llm_base_url, normalise_llm, split_host_port
from ..core.errors import AnonPiError
from ..core.jsonfmt import loads_any
from ..core.netcage_version import LOOPBACK_NETCAGE, loopback_allowed, release
from ..core.numbers import ascii_int
from ..core.shown import shown
from ..edges import netcage
from ..edges.model_http import fetch_json
from ..edges.workspace import user_home
from . import limits_step
from .models_listing import (
    api_key_looks_real,
    configured_models,
    discovery_targets,
    listing_ids,
    matching_provider,
    provider_api,
    provider_path,
)
from .models_seed import merge, parse_default, parse_pick
from .prompt import ask, say, warn

FORCE_FLAG = "--force-allow-local-llm-api-key"
ENTRY_HINT = ("enter the model server's private, link-local or loopback IP:port, e.g. "
              "192.168.1.150:8080, or Enter to skip")


@dataclass
class ModelChoice:
    """What the write phase needs; endpoint None = no llm, no model files."""

    endpoint: str | None = None
    api: str = "openai-completions"
    api_key: str = "none"
    real_key: bool = False
    base_url: str = ""
    entries: list[dict] = field(default_factory=list)
    default: str | None = None


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def pi_models_path(io) -> Path:
    """pi's own models.json as pi finds it in this run's environment: under
    $PI_CODING_AGENT_DIR (a relative one from the folder init was started in), else under
    ~/.pi/agent."""
    agent_dir = (io.env.get("PI_CODING_AGENT_DIR") or "").strip()
    if agent_dir:
        return Path(io.cwd, agent_dir, "models.json")
    return Path(user_home(io.env), ".pi", "agent", "models.json")


def read_pi_models(io):
    try:
        return loads_any(pi_models_path(io).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def server_listing(host: str, port: int, path: str):
    """The `<path>/models` body (any JSON), or None. Any status: the body may still list."""
    return fetch_json(host, port, f"{path}/models", any_status=True)


def discover(io) -> list[tuple[str, int]]:
    """(host, port) of each model server answering `/v1/models` on the host's loopback at
    the usual ports, all asked at once (a silent port costs one deadline in all)."""
    from concurrent.futures import ThreadPoolExecutor

    targets = discovery_targets(io.env.get("ANON_PI_MODEL_PROBE"))
    say(io, "Looking for a model server on this host's loopback ("
            + ", ".join(f"{name} {port}" if name else str(port) for _, port, name in targets)
            + ")...")
    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        answers = list(pool.map(lambda t: fetch_json(t[0], t[1], "/v1/models"), targets))
    found = []
    for (host, port, name), listing in zip(targets, answers, strict=True):
        if isinstance(listing, (dict, list)):
            count = len(listing_ids(listing))
            found.append((host, port))
            say(io, f"  [{len(found)}] {host}:{port}" + (f" ({name}'s usual port)" if name else "")
                    + f": {count} model{'' if count == 1 else 's'} listed")
    if not found:
        say(io, "  none answered.")
    return found


def ask_endpoint(io, current: str | None, proxy: str) -> str | None:
    """The llm `IP:port`, or None (no local model). Without a current one it first looks on
    the host's loopback and offers what answers: Enter takes the first."""
    loopback_ok = loopback_allowed(netcage.hole_flag(io))
    found = []
    if not current and loopback_ok:
        found = discover(io)
    elif not current:
        say(io, f"(netcage below {release(LOOPBACK_NETCAGE)} cannot reach the host's loopback: "
                "not looking there)")
    first = f"{found[0][0]}:{found[0][1]}" if found else None
    anchor = "Local model host:port, e.g. 192.168.1.150:8080"
    if first:
        anchor += (", or a number above" if len(found) > 1 else "") + f" (or Enter for {first})"
    else:
        anchor += f" (or Enter to keep {shown(current)})" if current else " (or Enter to skip)"
    while True:
        typed = ask(io, anchor) or current or first
        if not typed:
            return None
        n = ascii_int(typed, 2) if found else None
        if n is not None and 1 <= n <= len(found):
            typed = f"{found[n - 1][0]}:{found[n - 1][1]}"
        try:
            return normalise_llm(typed, loopback_ok=loopback_ok, proxy=proxy)
        except AnonPiError as exc:
            hint = ENTRY_HINT if exc.hint == LLM_HINT else exc.hint  # no "run init" in init
            warn(io, f"anon-pi: {exc.message}" + (f"\n  hint: {hint}" if hint else ""))


LEGEND = {"configured": "from your own pi models.json for this address",
          "server": "listed by the server's /v1/models"}


def pick(io, rows: list[tuple[dict, str]]) -> list[dict]:
    for i, (entry, source) in enumerate(rows, 1):
        say(io, f"  [{i}] {shown(entry['id'])} [{source}]")
    sources = {source for _, source in rows}  # a legend only for what the list shows
    for source, meaning in LEGEND.items():
        if source in sources:
            say(io, f"  {f'[{source}]':<12} = {meaning}")
    configured = [i for i, (_, s) in enumerate(rows) if s == "configured"]
    hint = ("Enter/c = all configured, a = all, numbers = pick, s = skip" if configured
            else "Enter/a = all, numbers = pick, s = skip")
    while True:
        picks = parse_pick(ask(io, f"Import which? ({hint})"), len(rows), configured)
        if picks == "skip":
            return []
        if picks:
            return [rows[i][0] for i in picks]
        warn(io, f"answer Enter, c, a, s or numbers 1-{len(rows)}")


def pick_default(io, chosen: list[dict], previous: str | None) -> str:
    """Enter keeps the previous default when it is still chosen, else takes the first."""
    ids = [e["id"] for e in chosen]
    if len(ids) == 1:
        return ids[0]
    for i, model_id in enumerate(ids, 1):
        say(io, f"  [{i}] {shown(model_id)}")
    first = ids.index(previous) if previous in ids else 0
    while (n := parse_default(ask(io, f"Default [1-{len(ids)}] (Enter = {shown(ids[first])})"),
                              len(ids), first)) is None:
        warn(io, f"answer a number 1-{len(ids)} or Enter")
    return ids[n]


def no_models_hint(endpoint: str, workspace: str) -> str:
    return (f"No models found at {endpoint}; the `local` provider is seeded with none.\n"
            "To add them later: load a model in the server and run `anon-pi init` again, or "
            f"list them in {workspace}/models.json\n(providers.local.models: "
            '[{"id": "<model id>"}]) and pick the default in '
            f"{workspace}/settings-seed.json (defaultModel, enabledModels: "
            '["local/<model id>"]).')


def step(io, current: str | None, proxy: str, force_key: bool,
         previous_default: str | None = None, workspace: str = "~/.anon-pi") -> ModelChoice:
    say(io, "Step 2/4 - local model (the one direct hole out of the jail)")
    if current:
        say(io, f"current: {shown(current)}")
    endpoint = ask_endpoint(io, current, proxy)
    if not endpoint:
        say(io, "No local model: no model files are written (the last lines say how to add one).")
        return ModelChoice()
    host, port = split_host_port(endpoint)
    if reachable(host, port):
        say(io, f"reachable: {endpoint} accepted a TCP connection.")
    else:
        say(io, f"note: {endpoint} did not accept a connection now (the model may be down).")
    provider = matching_provider(read_pi_models(io), endpoint)
    choice = ModelChoice(endpoint=endpoint, api=provider_api(provider))
    host_key = provider.get("apiKey") if provider else None
    if api_key_looks_real(host_key):
        if not force_key:
            raise AnonPiError(
                f"your pi config has a real-looking apiKey for {endpoint}; copying it would "
                "put a host credential into the anonymized home.",
                f"re-run `anon-pi init {FORCE_FLAG}` to copy it anyway (file mode 0600)")
        choice.api_key, choice.real_key = host_key.strip(), True
        warn(io, f"WARNING: copying the apiKey of your pi provider for {endpoint} into the "
                 "jail's models.json (mode 0600), as asked by " + FORCE_FLAG)
    path = provider_path(provider)
    choice.base_url = jail_llm_base_url(endpoint).removesuffix("/v1") + path
    listing = server_listing(host, port, path)
    rows = merge(configured_models(provider), listing_ids(listing))
    if not rows:
        say(io, no_models_hint(endpoint, workspace))
        return choice
    choice.entries = pick(io, rows)
    if not choice.entries:
        say(io, "Models skipped: the `local` provider is seeded with no models.")
        return choice
    choice.default = pick_default(io, choice.entries, previous_default)
    choice.entries = limits_step.step(io, host, port, choice.entries, listing)
    return choice
