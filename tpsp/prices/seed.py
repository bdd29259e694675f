"""Rows of `seeds/model_prices.csv` from `genai-prices`: one per model, service tier,
context-window class and validity period, with a rate per token type.

Rules the package leaves implicit, made explicit here:
- OpenAI bills no cache writes: prompt caching is automatic and written tokens are ordinary
  input, so both cache-write rates equal the input rate.
- A tier that lists no rate for a token type (OpenAI's batch tier has no cached-input rate)
  takes the standard rate scaled by the tier's input discount.
- Anthropic's Message Batches API halves every rate of every model; where the package has
  no batch variant for a model, the batch row is the standard row halved.
- A model without a long-context tier has one rate for every request size: its
  `200k-1M` row repeats the `0-200k` rates, so usage that names a context window is priced
  whatever the model.
"""

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tpsp.prices.catalog import CATALOG, CatalogModel

SEED_COLUMNS = (
    "provider",
    "model_pattern",
    "model_class",
    "service_tier",
    "context_window_class",
    "valid_from",
    "valid_to",
    "input_per_mtok_usd",
    "output_per_mtok_usd",
    "cache_read_per_mtok_usd",
    "cache_write_5m_per_mtok_usd",
    "cache_write_1h_per_mtok_usd",
)
TOKEN_FIELDS = {  # seed column -> genai-prices ModelPrice field
    "input_per_mtok_usd": "input_mtok",
    "output_per_mtok_usd": "output_mtok",
    "cache_read_per_mtok_usd": "cache_read_mtok",
    "cache_write_5m_per_mtok_usd": "cache_write_mtok",
    "cache_write_1h_per_mtok_usd": "cache_write_1h_mtok",
}
CONTEXT_CLASSES = (("0-200k", None), ("200k-1M", 200_000))  # class, tier start in tokens
TIERS = (  # seed service tier -> genai-prices variant condition
    ("standard", None),
    ("batch", {"processing": "batch"}),
    ("flex", {"service_tier": "flex"}),
    ("priority", {"service_tier": "priority"}),
)
HALF = Decimal("0.5")


def price_rows() -> list[dict[str, str]]:
    """Every seed row for the catalog, in a stable order."""
    from genai_prices import data

    providers = {provider.id: provider for provider in data.providers}
    rows: list[dict[str, str]] = []
    for entry in CATALOG:
        model = next(m for m in providers[entry.provider].models if m.id == entry.package_id)
        for valid_from, valid_to, standard in _periods(entry, model.prices):
            for tier, condition in TIERS:
                prices = _tier_prices(entry, model, tier, condition, standard)
                if prices is None:
                    continue
                for context_class, tier_start in CONTEXT_CLASSES:
                    rates = {
                        column: _rate(prices, field, tier_start)
                        for column, field in TOKEN_FIELDS.items()
                    }
                    rows.append(_row(entry, tier, context_class, valid_from, valid_to, rates))
    return rows


def write_seed(path: Path) -> int:
    """Rewrite the seed at `path`; returns the number of rows."""
    rows = price_rows()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SEED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _periods(entry: CatalogModel, prices) -> Iterator[tuple[date, date | None, object]]:
    """(valid_from, valid_to inclusive, ModelPrice) per price period since the release."""
    if not isinstance(prices, list):
        yield entry.released, None, prices
        return
    starts = [
        (getattr(conditional.constraint, "start_date", None) or entry.released, conditional)
        for conditional in prices
    ]
    starts.sort(key=lambda item: item[0])
    for index, (start, conditional) in enumerate(starts):
        following = starts[index + 1][0] if index + 1 < len(starts) else None
        if following is not None and following <= entry.released:
            continue
        valid_to = following - timedelta(days=1) if following is not None else None
        yield max(start, entry.released), valid_to, conditional.prices


def _tier_prices(entry, model, tier: str, condition, standard):
    """The tier's ModelPrice, filled in by the rules above; None when the tier has no rates."""
    from genai_prices.types import ModelPrice

    if condition is None:
        return _openai_cache_writes(entry, standard)
    variant = next((v for v in model.price_variants or [] if v.when == condition), None)
    if variant is None:
        if tier == "batch" and entry.provider == "anthropic":
            return _scaled(standard, HALF)
        return None
    prices = variant.prices
    if isinstance(prices, list):
        prices = prices[-1].prices
    if _base(prices.input_mtok) is None:
        return None
    discount = _base(prices.input_mtok) / _base(standard.input_mtok)
    filled = {
        field: getattr(prices, field) or _scale(getattr(standard, field), discount)
        for field in TOKEN_FIELDS.values()
    }
    return _openai_cache_writes(entry, ModelPrice(**filled))


def _openai_cache_writes(entry: CatalogModel, prices):
    if entry.provider != "openai":
        return prices
    from genai_prices.types import ModelPrice

    fields = {field: getattr(prices, field) for field in TOKEN_FIELDS.values()}
    fields["cache_write_mtok"] = fields["cache_write_1h_mtok"] = prices.input_mtok
    return ModelPrice(**fields)


def _scaled(prices, factor: Decimal):
    from genai_prices.types import ModelPrice

    return ModelPrice(
        **{field: _scale(getattr(prices, field), factor) for field in TOKEN_FIELDS.values()}
    )


def _scale(value, factor: Decimal):
    from genai_prices.types import Tier, TieredPrices

    if value is None:
        return None
    if isinstance(value, TieredPrices):
        return TieredPrices(
            base=value.base * factor,
            tiers=[Tier(start=tier.start, price=tier.price * factor) for tier in value.tiers],
        )
    return value * factor


def _base(value) -> Decimal | None:
    return getattr(value, "base", value)


def _rate(prices, field: str, tier_start: int | None) -> Decimal | None:
    value = getattr(prices, field)
    if value is None or tier_start is None or not hasattr(value, "tiers"):
        return _base(value)
    applicable = [tier.price for tier in value.tiers if tier.start <= tier_start]
    return applicable[-1] if applicable else value.base


def _row(
    entry: CatalogModel,
    tier: str,
    context_class: str,
    valid_from: date,
    valid_to: date | None,
    rates: dict[str, Decimal | None],
) -> dict[str, str]:
    return {
        "provider": entry.provider,
        "model_pattern": entry.pattern,
        "model_class": entry.model_class,
        "service_tier": tier,
        "context_window_class": context_class,
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat() if valid_to else "",
        **{column: _decimal_text(rate) for column, rate in rates.items()},
    }


def _decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")
