"""Prices of the models the generator uses, read from ``seeds/model_prices.csv``.

Two readers of one seed: ``list_cost`` is what exports that report a cost (Claude Code,
LiteLLM) report, at the standard tier and the ``0-200k`` class with cache writes at the
5-minute rate, so they report what the warehouse will compute; ``vendor_rates`` is what the
vendor bills, per service tier and context-window class, and it prices models the seed does
not list (the planted fine-tuned trial model), because a vendor bills every call.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from tpsp.project import PROJECT_DIR

PRICES_CSV = PROJECT_DIR / "seeds" / "model_prices.csv"
STANDARD = "standard"
SHORT_CONTEXT = "0-200k"
LONG_CONTEXT = "200k-1M"
PER_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Rates:
    """USD per million tokens of each token type the vendors bill."""

    input: Decimal  # uncached input
    output: Decimal
    cache_read: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal

    def per_token_type(self, token_type: str) -> Decimal:
        return getattr(self, token_type)


# OpenAI bills fine-tuned gpt-4.1-mini at its own public rates (input 0.80, cached input
# 0.20, output 3.20 USD per million tokens); the seed leaves the model unpriced on purpose,
# so the warehouse flags it. OpenAI bills no cache writes: written tokens are input.
FINE_TUNED_RATES: dict[str, Rates] = {
    "ft:gpt-4.1-mini": Rates(
        input=Decimal("0.80"),
        output=Decimal("3.20"),
        cache_read=Decimal("0.20"),
        cache_write_5m=Decimal("0.80"),
        cache_write_1h=Decimal("0.80"),
    ),
}


@cache
def _prices() -> tuple[dict[str, str], ...]:
    with PRICES_CSV.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def _valid_on(row: dict[str, str], day: date) -> bool:
    if date.fromisoformat(row["valid_from"]) > day:
        return False
    return not row["valid_to"] or day <= date.fromisoformat(row["valid_to"])


@cache
def seed_rates(
    provider: str,
    model: str,
    day: date,
    service_tier: str = STANDARD,
    context_window_class: str = SHORT_CONTEXT,
) -> Rates | None:
    """The seed's rates valid on ``day`` for the most specific (longest) model pattern, or
    None for a model the seed does not price."""
    name = model.lower()
    candidates = [
        row
        for row in _prices()
        if row["provider"] == provider
        and name.startswith(row["model_pattern"])
        and row["service_tier"] == service_tier
        and row["context_window_class"] == context_window_class
        and _valid_on(row, day)
    ]
    if not candidates:
        return None
    row = max(candidates, key=lambda r: (len(r["model_pattern"]), r["valid_from"]))
    return Rates(
        input=Decimal(row["input_per_mtok_usd"]),
        output=Decimal(row["output_per_mtok_usd"]),
        cache_read=Decimal(row["cache_read_per_mtok_usd"]),
        cache_write_5m=Decimal(row["cache_write_5m_per_mtok_usd"]),
        cache_write_1h=Decimal(row["cache_write_1h_per_mtok_usd"]),
    )


def vendor_rates(
    provider: str, model: str, day: date, service_tier: str, context_window_class: str
) -> Rates:
    """What the vendor bills per million tokens; a model without any known price is an
    error, since a cost report would be silently wrong without it."""
    rates = seed_rates(provider, model, day, service_tier, context_window_class)
    if rates is not None:
        return rates
    for prefix, fine_tuned in FINE_TUNED_RATES.items():
        if model.lower().startswith(prefix) and service_tier == STANDARD:
            return fine_tuned
    raise ValueError(f"no {service_tier} price for {provider} model {model} on {day}")


def has_seed_price(provider: str, model: str, day: date) -> bool:
    return seed_rates(provider, model, day) is not None


def list_cost(
    provider: str,
    model: str,
    day: date,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> Decimal:
    """USD at the standard tier, ``0-200k``, cache writes at the 5-minute rate; 0 for an
    unpriced model."""
    rates = seed_rates(provider, model, day)
    if rates is None:
        return Decimal(0)
    per_million = (
        input_tokens * rates.input
        + output_tokens * rates.output
        + cache_read_tokens * rates.cache_read
        + cache_write_tokens * rates.cache_write_5m
    )
    return per_million / PER_MILLION
