"""A LiteLLM proxy's spend log (``LiteLLM_SpendLogs``) exported as CSV, one file per month.

One row per request, as the proxy logs it: ``prompt_tokens`` include cached prompt tokens
(``metadata.usage_object`` splits out cache reads and, for Anthropic, cache creation),
``spend`` at list prices, ``startTime`` as Postgres writes a ``timestamp(3)``, ``cache_hit``
as ``False``. Each month's export starts with the previous month's last day again (exports
overlap), so the same requests appear in two files. Every file starts with a UTF-8 BOM.
Every request reaches its provider (``cache_hit`` is false) and is billed once, on the UTC day
it started, in the context class of its whole prompt; Anthropic cache writes are 5-minute.
"""

import csv
import io
import json
import random
import uuid
from datetime import date, timedelta
from pathlib import Path

from tpsp.generate.amounts import active_members, call_sizes, output_share, split_int
from tpsp.generate.billing import bill, context_class
from tpsp.generate.files import write_bytes
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.prices import list_cost
from tpsp.generate.times import month_of
from tpsp.generate.world import Firm, TokenBudget, provider_of

KIND = "litellm_spend"
COLUMNS = (
    "request_id",
    "call_type",
    "api_key",
    "spend",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    "startTime",
    "endTime",
    "completionStartTime",
    "model",
    "model_id",
    "model_group",
    "custom_llm_provider",
    "api_base",
    "user",
    "metadata",
    "cache_hit",
    "cache_key",
    "request_tags",
    "team_id",
    "end_user",
    "requester_ip_address",
    "messages",
    "response",
    "session_id",
    "status",
)
API_BASES = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"}
TAGS = ("ide-chat", "code-review", "coding-agent", "docs-summarizer", "pr-review-bot")


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    by_day: dict[date, list[TokenBudget]] = {}
    for budget in firm.budgets:
        if budget.kind == KIND and budget.tokens > 0:
            by_day.setdefault(budget.day, []).append(budget)
    litellm_team = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    rows_by_day: dict[date, list[list[str]]] = {}
    for day in firm.days:
        rows = []
        for budget in by_day.get(day, []):
            team = firm.team(budget.team)
            active = active_members(rng, team, day)
            shares = split_int(budget.tokens, [weight for _, weight in active])
            for (person, _), tokens in zip(active, shares, strict=True):
                for size in call_sizes(rng, tokens, budget.model) if tokens > 0 else []:
                    rows.append(_request(rng, firm, person.email, budget.model, day, size, written))
                written.identities.add(person.email)
        for row in rows:
            row[COLUMNS.index("team_id")] = litellm_team
        rows_by_day[day] = sorted(rows, key=lambda row: row[COLUMNS.index("startTime")])
    months: dict[str, list[date]] = {}
    for day in firm.days:
        months.setdefault(month_of(day), []).append(day)
    for month, days in months.items():
        previous = days[0] - timedelta(days=1)
        exported = ([previous] if previous in rows_by_day else []) + days
        rows = [row for day in exported for row in rows_by_day[day]]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        write_bytes(folder / f"spend_logs_{month}.csv", ("\ufeff" + buffer.getvalue()).encode())
    return written


def _request(
    rng: random.Random,
    firm: Firm,
    user: str,
    model: str,
    day: date,
    tokens: int,
    written: Written,
) -> list[str]:
    provider = provider_of(model)
    completion = min(tokens - 1, max(1, round(tokens * output_share(rng)))) if tokens > 1 else 0
    prompt = tokens - completion
    cache_read = round(prompt * rng.uniform(0.3, 0.7 if provider == "anthropic" else 0.6))
    cache_write = round(prompt * rng.uniform(0.02, 0.1)) if provider == "anthropic" else 0
    cache_write = min(cache_write, prompt - cache_read)
    # LiteLLM counts cache reads inside prompt_tokens; Anthropic's cache creation stays outside
    prompt_tokens = prompt - cache_write
    uncached = prompt_tokens - cache_read
    spend = list_cost(provider, model, day, uncached, completion, cache_read, cache_write)
    start = firm.work_instant(rng, day)
    end = start + timedelta(seconds=0.4 + tokens / rng.uniform(3_000, 9_000))
    billed = {
        "input": uncached,
        "output": completion,
        "cache_read": cache_read,
        "cache_write_5m": cache_write,
    }
    bill(
        written.billed,
        provider,
        start.date(),
        model,
        billed,
        context_window_class=context_class(prompt),
    )
    usage = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
        "prompt_tokens_details": {"cached_tokens": cache_read},
    }
    if provider == "anthropic":
        usage |= {"cache_read_input_tokens": cache_read, "cache_creation_input_tokens": cache_write}
    key = hex_id(rng, 64)
    metadata = {
        "user_api_key": key,
        "user_api_key_alias": None,
        "user_api_key_user_id": user,
        "requester_ip_address": "",
        "usage_object": usage,
        "status": "success",
    }
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    tag = rng.choice(TAGS)
    return [
        ("chatcmpl-" if provider == "openai" else "msg_") + hex_id(rng, 24),
        "acompletion",
        key,
        f"{spend.normalize():f}",
        str(prompt_tokens + completion),
        str(prompt_tokens),
        str(completion),
        start.strftime(stamp)[:-3],
        end.strftime(stamp)[:-3],
        (start + timedelta(seconds=0.3)).strftime(stamp)[:-3],
        model,
        hex_id(rng, 16),
        model.rsplit("-20", 1)[0],
        provider,
        API_BASES[provider],
        user,
        json.dumps(metadata),
        "False",
        "",
        json.dumps([f"workflow:{tag}"]),
        "",
        "",
        "",
        "{}",
        "{}",
        "",
        "success",
    ]
