"""Anthropic Admin API messages usage report, `bucket_width=1d`,
grouped by api key, workspace, model, context window and service tier.

One page file per week of daily buckets, chained by `has_more` / `next_page`.
`uncached_input_tokens` excludes cache reads and cache writes, as the API reports it.
A planted re-export of a single day carries a negative token count; that day is absent
from the regular pages, so dropping the re-export loses the day without double counting.
Each result is billed at its own `context_window` and `service_tier`, cache writes split into
their 5-minute and 1-hour parts; the planted negative row is a defect, not usage, and is not.
"""

import random
from datetime import date, timedelta
from pathlib import Path

from tpsp.generate.amounts import active_members, output_share, split_int
from tpsp.generate.billing import bill
from tpsp.generate.files import write_json
from tpsp.generate.ids import page_token
from tpsp.generate.kinds.base import Written
from tpsp.generate.plan import BadInput
from tpsp.generate.times import iso_z, utc_midnight
from tpsp.generate.world import Firm, Team, TokenBudget

KIND = "anthropic_usage"
BUCKETS_PER_PAGE = 7
LONG_CONTEXT_MODELS = ("claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929")
NEGATIVE_OUTPUT_TOKENS = -1200


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    by_day: dict[date, list[TokenBudget]] = {}
    for budget in firm.budgets:
        if budget.kind == KIND:
            by_day.setdefault(budget.day, []).append(budget)
    buckets = {day: _bucket(rng, firm, day, by_day.get(day, []), written) for day in firm.days}
    reexport_day = firm.negative_anthropic_date
    if reexport_day is not None:
        bucket = buckets.pop(reexport_day)
        bucket["results"].append(_negative_result(firm))
        name = f"usage_report_reexport_{reexport_day.isoformat()}.json"
        write_json(folder / name, {"has_more": False, "next_page": None, "data": [bucket]})
        written.bad_inputs.append(
            BadInput(KIND, f"{KIND}/{name}", reexport_day, "negative_tokens", "gate_quarantines")
        )
    ordered = list(buckets.values())
    pages = [ordered[i : i + BUCKETS_PER_PAGE] for i in range(0, len(ordered), BUCKETS_PER_PAGE)]
    for number, data in enumerate(pages, start=1):
        has_more = number < len(pages)
        page = {
            "has_more": has_more,
            "next_page": "page_" + page_token(firm.slug, KIND, number) if has_more else None,
            "data": data,
        }
        write_json(folder / f"usage_report_messages_p{number:03d}.json", page)
    return written


def _bucket(
    rng: random.Random, firm: Firm, day: date, budgets: list[TokenBudget], written: Written
) -> dict:
    results = []
    members = {}
    for budget in budgets:
        team = firm.team(budget.team)
        if team.name not in members:
            members[team.name] = active_members(rng, team, day)
        active = members[team.name]
        shares = split_int(budget.tokens, [weight for _, weight in active])
        for (person, _), tokens in zip(active, shares, strict=True):
            if tokens <= 0:
                continue
            windows = [("0-200k", tokens)]
            if budget.model in LONG_CONTEXT_MODELS and rng.random() < 0.25:
                long = round(tokens * rng.uniform(0.1, 0.3))
                windows = [("0-200k", tokens - long), ("200k-1M", long)]
            for window, window_tokens in windows:
                results.append(
                    _result(rng, team, person.anthropic_key_id, budget, window, window_tokens)
                )
                _bill(written, day, results[-1])
            written.identities.add(person.anthropic_key_id)
    start = utc_midnight(day)
    return {
        "starting_at": iso_z(start),
        "ending_at": iso_z(start + timedelta(days=1)),
        "results": results,
    }


def _result(
    rng: random.Random, team: Team, key_id: str, budget: TokenBudget, window: str, tokens: int
) -> dict:
    output = round(tokens * output_share(rng))
    inputs = tokens - output
    cache_read = round(inputs * rng.uniform(0.2, 0.7))
    cache_write = min(round(inputs * rng.uniform(0.03, 0.12)), inputs - cache_read)
    write_1h = round(cache_write * rng.uniform(0.0, 0.3))
    return {
        "uncached_input_tokens": inputs - cache_read - cache_write,
        "cache_creation": {
            "ephemeral_5m_input_tokens": cache_write - write_1h,
            "ephemeral_1h_input_tokens": write_1h,
        },
        "cache_read_input_tokens": cache_read,
        "output_tokens": output,
        "server_tool_use": {"web_search_requests": 0},
        "api_key_id": key_id,
        "workspace_id": team.anthropic_workspace_id,
        "model": budget.model,
        "service_tier": "standard",
        "context_window": window,
    }


def _negative_result(firm: Firm) -> dict:
    """A batch-tier row alone in its group, so the negative count survives re-aggregation."""
    team = next(team for team in firm.teams if team.in_org_map and not team.is_small)
    return {
        "uncached_input_tokens": 3400,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "cache_read_input_tokens": 0,
        "output_tokens": NEGATIVE_OUTPUT_TOKENS,
        "server_tool_use": {"web_search_requests": 0},
        "api_key_id": team.people[0].anthropic_key_id,
        "workspace_id": team.anthropic_workspace_id,
        "model": "claude-haiku-4-5-20251001",
        "service_tier": "batch",
        "context_window": "0-200k",
    }


def _bill(written: Written, day: date, result: dict) -> None:
    tokens = {
        "input": result["uncached_input_tokens"],
        "output": result["output_tokens"],
        "cache_read": result["cache_read_input_tokens"],
        "cache_write_5m": result["cache_creation"]["ephemeral_5m_input_tokens"],
        "cache_write_1h": result["cache_creation"]["ephemeral_1h_input_tokens"],
    }
    bill(
        written.billed,
        "anthropic",
        day,
        result["model"],
        tokens,
        service_tier=result["service_tier"],
        context_window_class=result["context_window"],
    )
