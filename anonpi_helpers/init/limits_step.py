"""Step 2b: ask the model server for each chosen model's limits, show them, let the user edit.

Every probe goes only to the llm address through the one model fetch (edges.model_http: no
redirect, no proxy variable, one deadline, a size cap), and all run at once, so a silent
server costs about one deadline in all.
"""

from ..core.shown import shown
from ..edges.model_http import fetch_json
from .model_limits import (
    Limits,
    describe,
    from_listing,
    from_lmstudio,
    from_ollama_show,
    from_props,
    parse_edit,
    pick,
    with_limits,
)
from .prompt import ask, say, warn


def probe(host: str, port: int, ids: list[str], listing) -> dict[str, Limits]:
    """Each model's limits from every shape at once; `listing` is the `/v1/models` body."""
    from concurrent.futures import ThreadPoolExecutor  # only when probing, not for --help

    with ThreadPoolExecutor(max_workers=min(8, 3 + len(ids))) as pool:
        props = pool.submit(fetch_json, host, port, "/props")
        lmstudio = pool.submit(fetch_json, host, port, "/api/v0/models")
        shows = {i: pool.submit(fetch_json, host, port, "/api/show", {"model": i, "name": i})
                 for i in ids}  # "name" for Ollama before 0.5
        general = from_props(props.result())
        by_lms = from_lmstudio(lmstudio.result())
        by_listing = from_listing(listing)
        return {i: pick(by_listing.get(i, Limits()), by_lms.get(i, Limits()),
                        from_ollama_show(shows[i].result()), general) for i in ids}


def step(io, host: str, port: int, entries: list[dict], listing) -> list[dict]:
    """The entries with the limits found (or typed); nothing found leaves pi's defaults."""
    own = {i for i, e in enumerate(entries) if "contextWindow" in e}  # the user's pi config
    ids = [e["id"] for i, e in enumerate(entries) if i not in own]
    if not ids:
        return entries
    say(io, "Asking the model server for context limits (llama.cpp, vLLM, Ollama, LM Studio)...")
    found = probe(host, port, ids, listing)
    if not any(lim.found for lim in found.values()):
        say(io, "The server reported no context limits; pi's defaults apply (128,000-token "
                "context, 16,384 output tokens). Edit models.json to change them.")
        return entries
    limits = [found.get(e["id"], Limits()) for e in entries]
    out = [e if i in own else with_limits(e, limits[i]) for i, e in enumerate(entries)]
    while True:
        say(io, "Model limits:")
        for i, entry in enumerate(out):
            say(io, f"  [{i + 1}] " + (f"{shown(entry['id'])}: kept from your pi config" if i in own
                                       else describe(shown(entry["id"]), entry, limits[i])))
        edit = parse_edit(ask(io, "Enter keeps these; or type `<n> <context> [<output>]` to "
                                  "change one"), len(out))
        if edit == "":
            return out
        if edit is None:
            warn(io, f"answer Enter, or a number 1-{len(out)}, a context and optionally an output")
            continue
        n, context, output = edit
        own.discard(n)
        limits[n] = Limits(context, output, limits[n].reasoning, "typed")
        out[n] = with_limits(entries[n], limits[n])
