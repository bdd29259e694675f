"""Anthropic Admin API cost report (`GET /v1/organizations/cost_report`), `bucket_width=1d`,
`group_by[]=description`.

Documented shape: `{"data": [...], "has_more": bool, "next_page": str | null}`; each bucket
`{"starting_at", "ending_at", "results": [...]}` (RFC 3339, ending exclusive); each result
`{"amount", "currency", "cost_type", "token_type", "model", "context_window",
"service_tier", "workspace_id", "description"}` where `amount` is a decimal string in the
currency's lowest unit (cents: `"123.45"` USD is $1.23), `currency` is always `"USD"`,
`cost_type` is `tokens`, `web_search` or `code_execution`, `token_type` is
`uncached_input_tokens`, `output_tokens`, `cache_read_input_tokens`,
`cache_creation.ephemeral_5m_input_tokens` or `cache_creation.ephemeral_1h_input_tokens`,
`context_window` is `0-200k` or `200k-1M` and `service_tier` `standard` or `batch` (all
three null for non-token costs); `workspace_id` is null unless grouped by workspace (and for
the default workspace).

One page file per week of daily buckets, chained by `has_more` / `next_page`; a day without
Anthropic usage is a bucket without results. Amounts price the billed lines of the firm's
usage exports (`tpsp.generate.billing`) per day x model x token type x context window x
tier, with 8 decimal places of a cent: exact for every rate of the price seed.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tpsp.generate.billing import BilledUsage, PriceKey, priced
from tpsp.generate.files import write_json
from tpsp.generate.ids import page_token
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z, utc_midnight
from tpsp.generate.world import Firm

KIND = "anthropic_cost_report"
PROVIDER = "anthropic"
BUCKETS_PER_PAGE = 7
CENT_PLACES = Decimal("0.00000001")
VENDOR_TOKEN_TYPES = {
    "input": "uncached_input_tokens",
    "output": "output_tokens",
    "cache_read": "cache_read_input_tokens",
    "cache_write_5m": "cache_creation.ephemeral_5m_input_tokens",
    "cache_write_1h": "cache_creation.ephemeral_1h_input_tokens",
}
DESCRIPTIONS = {
    "input": "Input Tokens",
    "output": "Output Tokens",
    "cache_read": "Cache Read Input Tokens",
    "cache_write_5m": "5m Cache Write Input Tokens",
    "cache_write_1h": "1h Cache Write Input Tokens",
}


def write(firm: Firm, folder: Path, billed: list[BilledUsage]) -> Written:
    by_day: dict[date, list[tuple[PriceKey, Decimal]]] = {}
    for key, (_, cost) in priced(line for line in billed if line.provider == PROVIDER).items():
        by_day.setdefault(key[1], []).append((key, cost))
    buckets = [_bucket(day, sorted(by_day.get(day, []))) for day in firm.days]
    pages = [buckets[i : i + BUCKETS_PER_PAGE] for i in range(0, len(buckets), BUCKETS_PER_PAGE)]
    for number, data in enumerate(pages, start=1):
        has_more = number < len(pages)
        page = {
            "data": data,
            "has_more": has_more,
            "next_page": "page_" + page_token(firm.slug, KIND, number) if has_more else None,
        }
        write_json(folder / f"cost_report_p{number:03d}.json", page)
    return Written()


def cents(cost_usd: Decimal) -> str:
    return str((cost_usd * 100).quantize(CENT_PLACES))


def _bucket(day: date, costs: list[tuple[PriceKey, Decimal]]) -> dict:
    start = utc_midnight(day)
    return {
        "starting_at": iso_z(start),
        "ending_at": iso_z(start + timedelta(days=1)),
        "results": [_result(key, cost) for key, cost in costs],
    }


def _result(key: PriceKey, cost: Decimal) -> dict:
    _, _, model, tier, context, token_type = key
    return {
        "amount": cents(cost),
        "currency": "USD",
        "cost_type": "tokens",
        "token_type": VENDOR_TOKEN_TYPES[token_type],
        "model": model,
        "context_window": context,
        "service_tier": tier,
        "workspace_id": None,
        "description": f"{model} Usage - {DESCRIPTIONS[token_type]} ({context}, {tier})",
    }
