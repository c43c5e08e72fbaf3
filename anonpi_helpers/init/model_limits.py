"""A model's real limits from what its server says. Pure: bodies in, limits out.

Without them pi assumes a 128,000-token context and 16,384 output tokens for every model,
so on a smaller server it compacts too late and requests fail once prompts grow.
Shapes read: llama.cpp `GET /props`, vLLM and any OpenAI-style `/v1/models` row
(`max_model_len`, `context_length`), LM Studio `GET /api/v0/models`, Ollama `POST /api/show`.
"""

import re
from dataclasses import dataclass, replace

from ..core.numbers import ascii_int

PI_CONTEXT = 128_000
PI_OUTPUT = 16_384
MIN_OUTPUT = 256
REASONING_MARKS = frozenset({"thinking", "reasoning", "include_reasoning"})


@dataclass(frozen=True)
class Limits:
    """What a model server reported about one model: context, output limit, reasoning."""

    context: int | None = None
    output: int | None = None
    reasoning: bool = False
    source: str = ""

    @property
    def found(self) -> bool:
        return self.context is not None or self.reasoning


def _count(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if 0 < value < 1 << 31 else None


def _marks_reasoning(row: dict) -> bool:
    if row.get("reasoning") is True:
        return True
    for key in ("capabilities", "supported_parameters"):
        values = row.get(key)
        if isinstance(values, list) and REASONING_MARKS & {v for v in values if isinstance(v, str)}:
            return True
    return False


def _rows(doc) -> list[dict]:
    rows = doc.get("data") if isinstance(doc, dict) else doc
    if isinstance(doc, dict) and rows is None:
        rows = doc.get("models")
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def from_props(doc) -> Limits:
    """llama.cpp serves one model: its `n_ctx` is every listed model's context."""
    settings = doc.get("default_generation_settings") if isinstance(doc, dict) else None
    context = _count(settings.get("n_ctx")) if isinstance(settings, dict) else None
    template = doc.get("chat_template") if isinstance(doc, dict) else None
    thinks = isinstance(template, str) and "<think>" in template
    if context is None and not thinks:
        return Limits()
    return Limits(context, None, thinks, "llama.cpp /props")


def from_listing(doc) -> dict[str, Limits]:
    """`/v1/models` rows: vLLM's `max_model_len`, any `context_length`, reasoning marks."""
    out = {}
    for row in _rows(doc):
        model_id = row.get("id")
        if not isinstance(model_id, str) or not model_id.strip():
            continue
        context = _count(row.get("max_model_len")) or _count(row.get("context_length"))
        top = row.get("top_provider")
        output = _count(top.get("max_completion_tokens")) if isinstance(top, dict) else None
        found = Limits(context, output, _marks_reasoning(row), "/v1/models")
        if found.found:
            out[model_id.strip()] = found
    return out


def from_lmstudio(doc) -> dict[str, Limits]:
    """LM Studio's own API: the loaded context when a model is loaded, else its maximum."""
    out = {}
    for row in _rows(doc):
        model_id = row.get("id")
        context = _count(row.get("loaded_context_length")) or _count(
            row.get("max_context_length"))
        if isinstance(model_id, str) and (context or _marks_reasoning(row)):
            out[model_id.strip()] = Limits(context, None, _marks_reasoning(row),
                                           "LM Studio /api/v0/models")
    return out


def from_ollama_show(doc) -> Limits:
    """A `num_ctx` parameter (what Ollama runs with) wins over the model's trained length."""
    if not isinstance(doc, dict):
        return Limits()
    params = doc.get("parameters")
    match = re.search(r"(?m)^[ \t]*num_ctx[ \t]+(\S+)", params) if isinstance(params, str) else None
    context = _count(ascii_int(match.group(1))) if match else None
    info = doc.get("model_info")
    if context is None and isinstance(info, dict):
        context = next((_count(v) for k, v in sorted(info.items())
                        if k.endswith(".context_length") and _count(v)), None)
    found = Limits(context, None, _marks_reasoning(doc), "Ollama /api/show")
    return found if found.found else Limits()


def pick(*candidates: Limits) -> Limits:
    """The first candidate with a context; reasoning if any candidate marks it."""
    best = next((c for c in candidates if c.context), None) or next(
        (c for c in candidates if c.found), Limits())
    return replace(best, reasoning=any(c.reasoning for c in candidates))


def output_for(limits: Limits) -> int | None:
    """What the server allows, else a quarter of the context, never above pi's default."""
    if limits.output:
        return min(limits.output, limits.context or limits.output)
    if not limits.context:
        return None
    return max(min(MIN_OUTPUT, limits.context // 2), min(PI_OUTPUT, limits.context // 4))


def with_limits(entry: dict, limits: Limits) -> dict:
    """The model entry with pi's `contextWindow`/`maxTokens`/`reasoning`; nothing found = as is."""
    out = dict(entry)
    if limits.context:
        out["contextWindow"] = limits.context
        out["maxTokens"] = output_for(limits)
    if limits.reasoning:
        out["reasoning"] = True
    return out


def describe(model_id: str, entry: dict, limits: Limits) -> str:
    if not limits.found:
        return (f"{model_id}: nothing found (pi's defaults: {PI_CONTEXT:,} context, "
                f"{PI_OUTPUT:,} output)")
    text = f"{model_id}: "
    if "contextWindow" in entry:
        text += f"context {entry['contextWindow']:,}, output {entry['maxTokens']:,}"
    else:
        text += "context not reported"
    return text + (", reasoning" if entry.get("reasoning") else "") + f" ({limits.source})"


def parse_edit(answer: str, count: int) -> tuple[int, int, int | None] | str | None:
    """`""` = done; `<n> <context> [<output>]` = change model n; None = re-ask."""
    parts = answer.replace(",", " ").split()
    if not parts:
        return ""
    numbers = [ascii_int(p) for p in parts]
    if not 2 <= len(parts) <= 3 or None in numbers:
        return None
    n, context = numbers[0], numbers[1]
    output = numbers[2] if len(numbers) == 3 else None
    if not 1 <= n <= count or not 0 < context < 1 << 31:
        return None
    if output is not None and not 0 < output <= context:
        return None
    return n - 1, context, output
