"""OTLP/JSON trace export (file exporter): one `{"resourceSpans": [...]}` object per line.

Every span is one billed request, on the UTC day it started: `gen_ai.usage.input_tokens`
includes cache reads and writes, and cache writes are Anthropic's default 5-minute writes.
"""

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tpsp.generate.amounts import call_sizes, output_share
from tpsp.generate.billing import bill, context_class
from tpsp.generate.files import write_jsonl
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import unix_nanos, utc_midnight
from tpsp.generate.tokens import (
    GAMING_CALLS_PER_HOUR,
    GAMING_INPUT_TOKENS,
    GAMING_OUTPUT_TOKENS,
)
from tpsp.generate.world import (
    Firm,
    PullRequest,
    Team,
    TokenBudget,
    provider_of,
    repository_url,
)

KIND = "otel_genai_spans"
LINK_ATTEMPT_SHARE = 0.44  # calls made for a pull request; ~40% find one open at that moment
SPANS_PER_LINE = 50
SCOPES = {
    "anthropic": {"name": "opentelemetry.instrumentation.anthropic", "version": "0.41b0"},
    "openai": {"name": "opentelemetry.instrumentation.openai_v2", "version": "2.1b0"},
}
_OPERATIONS = {
    "anthropic": (("chat", 0.7), ("invoke_agent", 0.3)),
    "openai": (("chat", 0.65), ("invoke_agent", 0.2), ("text_completion", 0.15)),
}
_CHAT_SERVICES = (("ide-chat", 0.5), ("code-review", 0.2), ("pr-review-bot", 0.15))


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    by_day: dict[date, list[TokenBudget]] = {}
    for budget in firm.budgets:
        if budget.kind == KIND and budget.tokens > 0:
            by_day.setdefault(budget.day, []).append(budget)
    team_prs: dict[str, list[PullRequest]] = {}
    for pr in firm.prs:
        if pr.team is not None:
            team_prs.setdefault(pr.team, []).append(pr)
    gz = firm.spec.index % 2 == 1
    for day in firm.days:
        spans = []
        for budget in by_day.get(day, []):
            team = firm.team(budget.team)
            if team.is_gaming:
                script = _script_spans(rng, firm, team, budget.model, day)
                written.identities.update(span["user"] for span in script)
                for span in script:
                    _bill(written, span)
                spans += script
                continue
            candidates = _open_during(team_prs.get(team.name, []), day, firm.export_at)
            for size in call_sizes(rng, budget.tokens, budget.model):
                span = _span(rng, firm, team, budget.model, size, day, candidates)
                spans.append(span)
                written.identities.add(span["user"])
                _bill(written, span)
        spans.sort(key=lambda s: (s["start"], s["span"]["spanId"]))
        name = f"traces-{day.isoformat()}.jsonl" + (".gz" if gz else "")
        write_jsonl(folder / name, _lines(firm, spans), gz=gz)
    return written


def _open_during(prs: list[PullRequest], day: date, export_at: datetime) -> list[PullRequest]:
    first, last = utc_midnight(day) - timedelta(hours=12), utc_midnight(day) + timedelta(hours=36)
    return [p for p in prs if p.created < last and (p.closed or export_at) > first]


def _script_spans(rng: random.Random, firm: Firm, team: Team, model: str, day: date) -> list[dict]:
    """A script replaying one prompt: the same call, GAMING_CALLS_PER_HOUR times an hour."""
    spans = []
    midnight = utc_midnight(day)
    for hour in range(24):
        for _ in range(GAMING_CALLS_PER_HOUR):
            start = midnight + timedelta(hours=hour, seconds=rng.uniform(0, 3599))
            tokens = (GAMING_INPUT_TOKENS, GAMING_OUTPUT_TOKENS, 0, None)
            spans.append(_span(rng, firm, team, model, 0, day, [], start=start, tokens=tokens))
    return spans


def _span(
    rng: random.Random,
    firm: Firm,
    team: Team,
    model: str,
    size: int,
    day: date,
    candidates: list[PullRequest],
    start: datetime | None = None,
    tokens: tuple[int, int, int, int | None] | None = None,
) -> dict:
    provider = provider_of(model)
    if start is None:
        start = firm.work_instant(rng, day) + timedelta(microseconds=rng.randrange(1_000_000))
    inputs, output, cache_read, cache_write = tokens or _token_split(rng, provider, size)
    duration = timedelta(seconds=0.3 + inputs / 25_000 + output / rng.uniform(40, 90))
    operation = _pick(rng, _OPERATIONS[provider])
    person = rng.choices(team.people, weights=team.member_weights)[0]
    attributes = [
        _text("gen_ai.operation.name", operation),
        _text("gen_ai.provider.name", provider),
        _text("gen_ai.request.model", model),
        _text("gen_ai.response.model", model),
        _int("gen_ai.usage.input_tokens", inputs),
        _int("gen_ai.usage.output_tokens", output),
        _int("gen_ai.usage.cache_read.input_tokens", cache_read),
    ]
    if cache_write is not None:
        attributes.append(_int("gen_ai.usage.cache_creation.input_tokens", cache_write))
    attributes.append(_text("user.email", person.email))
    pr = _linked_pull_request(rng, candidates, start, firm.export_at)
    if pr is not None:
        attributes += [
            _text("vcs.change.id", str(pr.number)),
            _text("vcs.ref.head.name", pr.head_ref),
            _text("vcs.repository.url.full", repository_url(firm, pr.repo)),
        ]
    span = {
        "traceId": hex_id(rng, 32),
        "spanId": hex_id(rng, 16),
        "parentSpanId": "",
        "name": f"{operation} {model}",
        "kind": 3,  # SPAN_KIND_CLIENT
        "startTimeUnixNano": str(unix_nanos(start)),
        "endTimeUnixNano": str(unix_nanos(start + duration)),
        "attributes": attributes,
        "status": {},
    }
    return {
        "start": span["startTimeUnixNano"],
        "service": _service(rng, firm, operation),
        "provider": provider,
        "user": person.email,
        "span": span,
        "model": model,
        "day": start.astimezone(UTC).date(),
        "tokens": (inputs, output, cache_read, cache_write or 0),
    }


def _bill(written: Written, span: dict) -> None:
    inputs, output, cache_read, cache_write = span["tokens"]
    tokens = {
        "input": inputs - cache_read - cache_write,
        "output": output,
        "cache_read": cache_read,
        "cache_write_5m": cache_write,
    }
    bill(
        written.billed,
        span["provider"],
        span["day"],
        span["model"],
        tokens,
        context_window_class=context_class(inputs),
    )


def _token_split(rng: random.Random, provider: str, size: int) -> tuple[int, int, int, int | None]:
    """Input (cached included, as OTel counts it), output, cache read and cache write."""
    output = min(size - 1, max(1, round(size * output_share(rng)))) if size > 1 else 0
    inputs = size - output
    cache_read = round(inputs * rng.uniform(0.2, 0.7 if provider == "anthropic" else 0.6))
    cache_write = round(inputs * rng.uniform(0.02, 0.12)) if provider == "anthropic" else None
    if cache_write is not None:
        cache_write = min(cache_write, inputs - cache_read)
    return inputs, output, cache_read, cache_write


def _linked_pull_request(
    rng: random.Random, candidates: list[PullRequest], at: datetime, export_at: datetime
) -> PullRequest | None:
    if rng.random() >= LINK_ATTEMPT_SHARE:
        return None
    open_now = [p for p in candidates if p.created <= at <= (p.closed or export_at)]
    return rng.choice(open_now) if open_now else None


def _service(rng: random.Random, firm: Firm, operation: str) -> str:
    if operation == "invoke_agent":
        return "coding-agent"
    if operation == "text_completion":
        return "code_completion"
    roll = rng.random()
    for service, share in _CHAT_SERVICES:
        if roll < share:
            return service
        roll -= share
    return rng.choice(("docs-summarizer", f"{firm.slug.split('-')[0]}-helpdesk-bot"))


def _lines(firm: Firm, spans: list[dict]) -> list[dict]:
    """Export batches: spans of one service, in time order, up to SPANS_PER_LINE per line."""
    batches: dict[str, list[list[dict]]] = {}
    for span in spans:
        open_batches = batches.setdefault(span["service"], [[]])
        if len(open_batches[-1]) == SPANS_PER_LINE:
            open_batches.append([])
        open_batches[-1].append(span)
    ordered = sorted(
        (batch for service_batches in batches.values() for batch in service_batches if batch),
        key=lambda batch: (batch[0]["start"], batch[0]["service"]),
    )
    return [_line(firm, batch) for batch in ordered]


def _line(firm: Firm, batch: list[dict]) -> dict:
    scopes = []
    for provider in sorted({span["provider"] for span in batch}):
        spans = [span["span"] for span in batch if span["provider"] == provider]
        scopes.append({"scope": SCOPES[provider], "spans": spans})
    resource = [
        _text("service.name", batch[0]["service"]),
        _text("deployment.environment.name", "production"),
        _text("telemetry.sdk.language", "python"),
    ]
    return {"resourceSpans": [{"resource": {"attributes": resource}, "scopeSpans": scopes}]}


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _text(key: str, value: str) -> dict:
    return {"key": key, "value": {"stringValue": value}}


def _int(key: str, value: int) -> dict:
    return {"key": key, "value": {"intValue": str(value)}}
