"""What the local model offers: the user's pi config and `/v1/models`.

Only the FIRST provider of the user's pi config whose address is the local model's is
ever read: other providers (paid APIs with real keys) must never reach the jail.
"""

from urllib.parse import urlsplit

from ..core.addresses import split_host_port

# A model id the server lists is kept only when it is printable (no control, bidi or
# invisible character: it is shown on the terminal and lands in models.json) and at most
# this long (real ids, even gguf file paths, are far shorter).
MAX_ID = 256

# Where a model server on the host's own loopback usually listens. init looks only there,
# on 127.0.0.1: never a LAN (a scan would be the host talking to its neighbours).
USUAL_SERVERS = ((8080, "llama.cpp"), (11434, "Ollama"), (1234, "LM Studio"), (8000, "vLLM"))
BENIGN_API_KEYS = frozenset(
    {"", "none", "ollama", "no-key", "nokey", "local", "dummy", "sk-no-key-required"})
DEFAULT_API = "openai-completions"
# pi's documented per-model keys (docs/models-configuration.md) that describe the model
# itself. `baseUrl`, `api` and `headers` are documented too but left out: the seed's one
# provider says where the model is, and headers may carry the host's own keys.
MODEL_KEYS = ("id", "name", "reasoning", "thinkingLevelMap", "input", "inputLimits", "cost",
              "promptCache", "contextWindow", "maxTokens", "samplingParams",
              "samplingParamsByThinkingLevel", "compat")


def discovery_targets(override: str | None) -> list[tuple[str, int, str]]:
    """(host, port, usual server) to look at: USUAL_SERVERS on 127.0.0.1, or (a test seam)
    `ANON_PI_MODEL_PROBE=127.0.0.1:18080,...`, whose entries count only on loopback."""
    if not override or not override.strip():
        return [("127.0.0.1", port, name) for port, name in USUAL_SERVERS]
    import ipaddress

    names = dict(USUAL_SERVERS)
    out = []
    for item in override.split(","):
        host, port = split_host_port(item.strip())
        try:
            on_loopback = ipaddress.IPv4Address(host).is_loopback
        except ValueError:
            continue
        if port is not None and on_loopback:
            out.append((host, port, names.get(port, "")))
    return out


def api_key_looks_real(key) -> bool:
    return isinstance(key, str) and key.strip().lower() not in BENIGN_API_KEYS


def base_url_address(base_url: str) -> tuple[str, str]:
    """(`ip:port`, path) of a provider baseUrl; the port defaults by scheme, localhost =
    127.0.0.1."""
    raw = base_url.strip()
    parts = urlsplit(raw if "://" in raw else f"http://{raw}")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    if host == "localhost":
        host = "127.0.0.1"
    return f"{host}:{port}", parts.path.rstrip("/")


def minimal_entry(model_id: str) -> dict:
    return {"id": model_id, "name": model_id,
            "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0}}


def matching_provider(doc, endpoint: str) -> dict | None:
    """The first provider whose baseUrl reaches `endpoint` (`ip:port`); no other is looked at."""
    providers = doc.get("providers") if isinstance(doc, dict) else None
    if not isinstance(providers, dict):
        return None
    for provider in providers.values():
        if not isinstance(provider, dict) or not isinstance(provider.get("baseUrl"), str):
            continue
        if base_url_address(provider["baseUrl"])[0] == endpoint:
            return provider
    return None


def configured_models(provider: dict | None) -> list[dict]:
    """Object entries with a string id (documented model keys only, id trimmed); strings
    become minimal entries."""
    models = provider.get("models") if provider else None
    out = []
    for m in models if isinstance(models, list) else []:
        if isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"].strip():
            out.append({**{k: m[k] for k in MODEL_KEYS if k in m}, "id": m["id"].strip()})
        elif isinstance(m, str) and m.strip():
            out.append(minimal_entry(m.strip()))
    return out


def provider_api(provider: dict | None) -> str:
    api = provider.get("api") if provider else None
    return api.strip() if isinstance(api, str) and api.strip() else DEFAULT_API


def provider_path(provider: dict | None) -> str:
    """The host provider's base path (e.g. `/api/v1`), `/v1` when there is none."""
    if not provider:
        return "/v1"
    return base_url_address(provider["baseUrl"])[1] or "/v1"


def listing_ids(doc) -> list[str]:
    """Ids from a `/v1/models` body: a bare array, `{data: [...]}` or `{models: [...]}`;
    only sane ids (see MAX_ID)."""
    rows = doc
    if isinstance(doc, dict):
        rows = doc.get("data") if doc.get("data") is not None else doc.get("models")
    out = []
    for row in rows if isinstance(rows, list) else []:
        value = row.get("id") if isinstance(row, dict) else row
        if isinstance(value, str) and sane_id(value.strip()):
            out.append(value.strip())
    return out


def sane_id(model_id: str) -> bool:
    return 0 < len(model_id) <= MAX_ID and model_id.isprintable()
