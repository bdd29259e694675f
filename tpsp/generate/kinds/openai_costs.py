"""OpenAI organization Costs API (`GET /v1/organization/costs`), `bucket_width=1d`,
`group_by=line_item`.

Documented shape: `{"object": "page", "data": [...], "has_more": bool, "next_page": str |
null}`; each bucket `{"object": "bucket", "start_time", "end_time", "results": [...]}` in
Unix seconds; each result `{"object": "organization.costs.result", "amount": {"value":
number, "currency": "usd"}, "line_item": str | null, "project_id": str | null}` where
`amount.value` is in the currency's unit (USD, not cents), `currency` a lower-case ISO 4217
code, and `line_item` / `project_id` are null unless grouped by them.

The documentation gives no grammar for `line_item`; exports show the model and the billed
part, `"gpt-4.1-2025-04-14, input"`, `", cached input"`, `", output"`, a tier other than
the default as a prefix (`"priority | <model>, output"`), and non-token items such as
`"web search tool calls"`. A batch-tier line item is written `"batch | <model>, input"`.

One page file per week of daily buckets, chained by `has_more` / `next_page`; a day without
OpenAI usage is a bucket without results. Values price the billed lines of the firm's usage
exports (`tpsp.generate.billing`) per day x model x token type x tier.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tpsp.generate.billing import BilledUsage, priced
from tpsp.generate.files import write_json
from tpsp.generate.ids import page_token
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import unix_seconds, utc_midnight
from tpsp.generate.world import Firm

KIND = "openai_costs"
PROVIDER = "openai"
BUCKETS_PER_PAGE = 7
LINE_ITEM_PARTS = {"input": "input", "cache_read": "cached input", "output": "output"}


def line_item(model: str, service_tier: str, token_type: str) -> str:
    prefix = "" if service_tier == "standard" else f"{service_tier} | "
    return f"{prefix}{model}, {LINE_ITEM_PARTS[token_type]}"


def write(firm: Firm, folder: Path, billed: list[BilledUsage]) -> Written:
    by_day: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for key, (_, cost) in priced(line for line in billed if line.provider == PROVIDER).items():
        _, day, model, tier, _, token_type = key
        by_day[day][line_item(model, tier, token_type)] += cost
    buckets = [_bucket(day, by_day.get(day, {})) for day in firm.days]
    pages = [buckets[i : i + BUCKETS_PER_PAGE] for i in range(0, len(buckets), BUCKETS_PER_PAGE)]
    for number, data in enumerate(pages, start=1):
        has_more = number < len(pages)
        page = {
            "object": "page",
            "data": data,
            "has_more": has_more,
            "next_page": "page_" + page_token(firm.slug, KIND, number) if has_more else None,
        }
        write_json(folder / f"costs_p{number:03d}.json", page)
    return Written()


def _bucket(day: date, costs: dict[str, Decimal]) -> dict:
    start = utc_midnight(day)
    return {
        "object": "bucket",
        "start_time": unix_seconds(start),
        "end_time": unix_seconds(start + timedelta(days=1)),
        "results": [
            {
                "object": "organization.costs.result",
                "amount": {"value": float(costs[item]), "currency": "usd"},
                "line_item": item,
                "project_id": None,
            }
            for item in sorted(costs)
        ],
    }
