"""OpenAI organization Usage API, completions, `bucket_width=1d`, grouped by model, project, user.

One page file per week of daily buckets, chained by `has_more` / `next_page`.
`input_tokens` includes `input_cached_tokens`, as the API reports it. The last page's results
carry a field the documentation does not list yet (`input_image_tokens`): schema drift the
anonymizer leaves behind and reports. OpenAI bills each result's uncached input, cached input
and output at the tier of its `batch` flag (`batch` when true, else `standard`).
"""

import random
from datetime import date, timedelta
from pathlib import Path

from tpsp.generate.amounts import active_members, mean_call_tokens, output_share, split_int
from tpsp.generate.billing import bill
from tpsp.generate.files import write_json
from tpsp.generate.ids import page_token
from tpsp.generate.kinds.base import SchemaDrift, Written
from tpsp.generate.times import unix_seconds, utc_midnight
from tpsp.generate.world import Firm, TokenBudget

KIND = "openai_usage"
DRIFT_FIELD = "input_image_tokens"
BUCKETS_PER_PAGE = 7


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    by_day: dict[date, list[TokenBudget]] = {}
    for budget in firm.budgets:
        if budget.kind == KIND:
            by_day.setdefault(budget.day, []).append(budget)
    buckets = [_bucket(rng, firm, day, by_day.get(day, []), written) for day in firm.days]
    pages = [buckets[i : i + BUCKETS_PER_PAGE] for i in range(0, len(buckets), BUCKETS_PER_PAGE)]
    for number, data in enumerate(pages, start=1):
        has_more = number < len(pages)
        page = {
            "object": "page",
            "has_more": has_more,
            "next_page": "page_" + page_token(firm.slug, KIND, number) if has_more else None,
            "data": data,
        }
        name = f"usage_completions_p{number:03d}.json"
        if not has_more:
            for bucket in data:
                for result in bucket["results"]:
                    result[DRIFT_FIELD] = 0
            written.schema_drift.append(SchemaDrift(KIND, f"{KIND}/{name}", DRIFT_FIELD))
        write_json(folder / name, page)
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
            output = round(tokens * output_share(rng))
            inputs = tokens - output
            cached = round(inputs * rng.uniform(0.2, 0.6))
            results.append(
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": inputs,
                    "output_tokens": output,
                    "input_cached_tokens": cached,
                    "input_audio_tokens": 0,
                    "output_audio_tokens": 0,
                    "num_model_requests": max(1, round(tokens / mean_call_tokens(budget.model))),
                    "project_id": team.openai_project_id,
                    "user_id": person.openai_user_id,
                    "api_key_id": None,
                    "model": budget.model,
                    "batch": None,
                }
            )
            written.identities.add(person.openai_user_id)
            _bill(written, day, results[-1])
    start = utc_midnight(day)
    return {
        "object": "bucket",
        "start_time": unix_seconds(start),
        "end_time": unix_seconds(start + timedelta(days=1)),
        "results": results,
    }


def _bill(written: Written, day: date, result: dict) -> None:
    """`input_tokens` includes `input_cached_tokens`, as OpenAI reports (and bills) them."""
    cached = result["input_cached_tokens"]
    tokens = {
        "input": result["input_tokens"] - cached,
        "output": result["output_tokens"],
        "cache_read": cached,
    }
    tier = "batch" if result["batch"] else "standard"
    bill(written.billed, "openai", day, result["model"], tokens, service_tier=tier)
