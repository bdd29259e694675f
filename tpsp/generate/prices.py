"""List prices of the models the generator uses, read from ``seeds/model_prices.csv``, so that
exports which report a cost (Claude Code, LiteLLM) report what the warehouse will compute."""

import csv
from datetime import date
from decimal import Decimal
from functools import cache

from tpsp.project import PROJECT_DIR

PRICES_CSV = PROJECT_DIR / "seeds" / "model_prices.csv"


@cache
def _prices() -> tuple[dict[str, str], ...]:
    with PRICES_CSV.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def list_cost(
    provider: str,
    model: str,
    day: date,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> Decimal:
    """USD at the most specific price pattern valid on ``day``; 0 for an unpriced model."""
    candidates = [
        row
        for row in _prices()
        if row["provider"] == provider
        and model.lower().startswith(row["model_pattern"])
        and date.fromisoformat(row["valid_from"]) <= day
    ]
    if not candidates:
        return Decimal(0)
    row = max(candidates, key=lambda r: (len(r["model_pattern"]), r["valid_from"]))
    per_million = (
        input_tokens * Decimal(row["input_per_mtok_usd"])
        + output_tokens * Decimal(row["output_per_mtok_usd"])
        + cache_read_tokens * Decimal(row["cache_read_per_mtok_usd"])
        + cache_write_tokens * Decimal(row["cache_write_per_mtok_usd"])
    )
    return per_million / 1_000_000
