"""Claude Code OpenTelemetry metrics as an OpenTelemetry Collector's file exporter writes them:
one ``{"resourceMetrics": [...]}`` object per export, delta temporality, one file per UTC day.

Each active person runs one session a day; the session exports its counters a few times:
``claude_code.token.usage`` per ``type`` (``input`` excludes cached tokens, ``cacheRead`` and
``cacheCreation`` count them), ``claude_code.cost.usage`` at list prices,
``claude_code.session.count`` once and, now and then, commits and lines of code. Values are
``asDouble``, as Claude Code's counters are; tokens are whole numbers. The collector's
files are gzipped (its ``compression: gzip`` setting): OTLP/JSON repeats every attribute.
Anthropic bills each session's tokens on its UTC day at the standard tier; Claude Code's
``cacheCreation`` tokens are 5-minute cache writes.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from tpsp.generate.amounts import active_members, output_share, split_int
from tpsp.generate.billing import bill
from tpsp.generate.files import write_jsonl
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.prices import list_cost
from tpsp.generate.times import unix_nanos
from tpsp.generate.world import Firm, Person

KIND = "claude_code_otel"
VERSION = "2.0.14"
SCOPE = {"name": "com.anthropic.claude_code", "version": VERSION}
TOKEN_TYPES = ("input", "output", "cacheRead", "cacheCreation")  # list_cost's argument order
USERS_SHARE = 0.5


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    by_team_day: dict[tuple[date, str], dict[str, int]] = {}
    for budget in firm.budgets:
        if budget.kind == KIND and budget.tokens > 0:
            by_team_day.setdefault((budget.day, budget.team), {})[budget.model] = budget.tokens
    organization = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    for day in firm.days:
        exports: list[tuple[str, dict]] = []
        for team in firm.teams:
            models = by_team_day.get((day, team.name))
            if not models:
                continue
            # about half of the people at work use Claude Code on a given day
            active = active_members(rng, team, day)
            users = rng.sample(active, max(1, round(len(active) * USERS_SHARE)))
            weights = [weight for _, weight in users]
            tokens_by_user: list[dict[str, int]] = [{} for _ in users]
            for model in sorted(models):
                for index, tokens in enumerate(split_int(models[model], weights)):
                    if tokens > 0:
                        tokens_by_user[index][model] = tokens
            for (person, _), tokens in zip(users, tokens_by_user, strict=True):
                if tokens:
                    exports += _session(rng, firm, person, tokens, day, organization, written)
                    written.identities.add(person.email)
        exports.sort(key=lambda item: item[0])
        if exports:
            name = f"claude_code-{day.isoformat()}.jsonl.gz"
            write_jsonl(folder / name, [line for _, line in exports], gz=True)
    return written


def _split_tokens(rng: random.Random, tokens: int) -> dict[str, int]:
    output = max(1, round(tokens * output_share(rng)))
    prompt = tokens - output
    cache_read = round(prompt * rng.uniform(0.55, 0.85))
    cache_write = round(prompt * rng.uniform(0.04, 0.1))
    return {
        "input": prompt - cache_read - cache_write,
        "output": output,
        "cacheRead": cache_read,
        "cacheCreation": cache_write,
    }


def _session(
    rng: random.Random,
    firm: Firm,
    person: Person,
    tokens_by_model: dict[str, int],
    day: date,
    organization: str,
    written: Written,
) -> list[tuple[str, dict]]:
    """One session's exports: one or two, each with the deltas since the one before."""
    session = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    standard = [
        _text("session.id", session),
        _text("user.id", hex_id(rng, 64)),
        _text("organization.id", organization),
        _text("user.account_uuid", str(uuid.UUID(int=rng.getrandbits(128), version=4))),
        _text("user.email", person.email),
        _text("terminal.type", rng.choice(("vscode", "iTerm.app", "tmux", "cursor"))),
    ]
    # the session runs, and exports its counters, within the UTC day its tokens belong to: a
    # small team's day can be a single session, which must not slip into the next day
    day_start = datetime.combine(day, time(0), tzinfo=UTC)
    start = min(max(firm.work_instant(rng, day), day_start), day_start + timedelta(hours=20))
    count = 2 if rng.random() < 0.5 else 1
    latest = min(firm.export_at, day_start + timedelta(days=1)) - timedelta(seconds=1)
    moments = sorted(
        min(start + timedelta(minutes=rng.uniform(1, 240)), latest) for _ in range(count)
    )
    stamps = [str(unix_nanos(moment)) for moment in [start, *moments]]
    parts = {
        model: {
            kind: split_int(value, [1.0] * count)
            for kind, value in _split_tokens(rng, tokens).items()
        }
        for model, tokens in tokens_by_model.items()
    }
    for model, split in parts.items():
        totals = {kind: sum(values) for kind, values in split.items()}
        bill(written.billed, "anthropic", day, model, _billed_types(totals))
    resource = {
        "attributes": [
            _text("service.name", "claude-code"),
            _text("service.version", VERSION),
            _text("os.type", rng.choice(("darwin", "linux"))),
        ]
    }
    lines = []
    for index in range(count):
        span = (stamps[index], stamps[index + 1])
        token_points, cost_points = [], []
        for model in sorted(parts):
            values = {kind: parts[model][kind][index] for kind in TOKEN_TYPES}
            model_attr = _text("model", model)
            token_points += [
                _point([*standard, _text("type", kind), model_attr], span, value)
                for kind, value in values.items()
            ]
            cost = list_cost("anthropic", model, day, *(values[kind] for kind in TOKEN_TYPES))
            cost_points.append(_point([*standard, model_attr], span, round(float(cost), 8)))
        metrics = [
            _metric("claude_code.token.usage", "tokens", token_points),
            _metric("claude_code.cost.usage", "USD", cost_points),
        ]
        if index == 0:
            metrics.insert(
                0, _metric("claude_code.session.count", "count", [_point(standard, span, 1)])
            )
        if rng.random() < 0.3:
            metrics.append(
                _metric("claude_code.commit.count", "count", [_point(standard, span, 1)])
            )
            metrics.append(
                _metric(
                    "claude_code.lines_of_code.count",
                    "count",
                    [
                        _point([*standard, _text("type", "added")], span, rng.randint(5, 300)),
                        _point([*standard, _text("type", "removed")], span, rng.randint(0, 80)),
                    ],
                )
            )
        line = {
            "resourceMetrics": [
                {"resource": resource, "scopeMetrics": [{"scope": SCOPE, "metrics": metrics}]}
            ]
        }
        lines.append((span[1], line))
    return lines


def _metric(name: str, unit: str, points: list[dict]) -> dict:
    return {
        "name": name,
        "unit": unit,
        "sum": {"dataPoints": points, "aggregationTemporality": 1, "isMonotonic": True},
    }


def _point(attributes: list[dict], span: tuple[str, str], value: float) -> dict:
    return {
        "attributes": attributes,
        "startTimeUnixNano": span[0],
        "timeUnixNano": span[1],
        "asDouble": value,
    }


def _text(key: str, value: str) -> dict:
    return {"key": key, "value": {"stringValue": value}}


def _billed_types(totals: dict[str, int]) -> dict[str, int]:
    return {
        "input": totals["input"],
        "output": totals["output"],
        "cache_read": totals["cacheRead"],
        "cache_write_5m": totals["cacheCreation"],
    }
