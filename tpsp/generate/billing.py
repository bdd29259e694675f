"""What the vendors bill for the usage the firm's exports hold.

Every usage writer records each token a vendor would bill as a ``BilledUsage`` line, while it
writes the export, without drawing a random number; the cost-report writers then price the
lines of their provider, so a firm's cost reports and usage exports tell the same story.

Token types: ``input`` (uncached), ``output``, ``cache_read``, ``cache_write_5m``,
``cache_write_1h``. A request whose input, cache reads and writes included, exceeds
``LONG_CONTEXT_TOKENS`` is billed in the ``200k-1M`` context-window class.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tpsp.generate.prices import (
    LONG_CONTEXT,
    PER_MILLION,
    SHORT_CONTEXT,
    STANDARD,
    has_seed_price,
    vendor_rates,
)

TOKEN_TYPES = ("input", "output", "cache_read", "cache_write_5m", "cache_write_1h")
LONG_CONTEXT_TOKENS = 200_000


@dataclass(frozen=True)
class BilledUsage:
    provider: str  # "openai" | "anthropic"
    day: date  # UTC day of the request (or of the vendor's daily bucket)
    model: str
    service_tier: str  # "standard" | "batch" | ...
    context_window_class: str  # "0-200k" | "200k-1M"
    token_type: str  # one of TOKEN_TYPES
    tokens: int


# provider, day, model, service tier, context-window class, token type
PriceKey = tuple[str, date, str, str, str, str]


def context_class(request_input_tokens: int) -> str:
    """The class of one request from its whole input: uncached, cache reads and writes."""
    return LONG_CONTEXT if request_input_tokens > LONG_CONTEXT_TOKENS else SHORT_CONTEXT


def bill(
    billed: list[BilledUsage],
    provider: str,
    day: date,
    model: str,
    tokens: dict[str, int],
    service_tier: str = STANDARD,
    context_window_class: str = SHORT_CONTEXT,
) -> None:
    """Append one line per token type with tokens; zero counts bill nothing."""
    for token_type, count in tokens.items():
        if token_type not in TOKEN_TYPES:
            raise ValueError(f"unknown billed token type {token_type}")
        if count > 0:
            billed.append(
                BilledUsage(
                    provider, day, model, service_tier, context_window_class, token_type, count
                )
            )


def billed_tokens(lines: Iterable[BilledUsage]) -> dict[PriceKey, int]:
    """Tokens per day x model x tier x context class x token type, per provider."""
    totals: dict[PriceKey, int] = defaultdict(int)
    for line in lines:
        key = (
            line.provider,
            line.day,
            line.model,
            line.service_tier,
            line.context_window_class,
            line.token_type,
        )
        totals[key] += line.tokens
    return dict(totals)


def price(
    key: PriceKey, tokens: int, context_as: str | None = None, write_1h_as: str = ""
) -> Decimal:
    """USD the vendor bills for ``tokens`` of ``key``; ``context_as`` and ``write_1h_as``
    price them as another context class or token type (how a naive pricer gets them wrong)."""
    provider, day, model, tier, context, token_type = key
    rates = vendor_rates(provider, model, day, tier, context_as or context)
    rate = rates.per_token_type(
        write_1h_as if write_1h_as and token_type == "cache_write_1h" else token_type
    )
    return tokens * rate / PER_MILLION


def priced(lines: Iterable[BilledUsage]) -> dict[PriceKey, tuple[int, Decimal]]:
    """Tokens and vendor cost per price key."""
    return {key: (tokens, price(key, tokens)) for key, tokens in billed_tokens(lines).items()}


def is_seed_priced(key: PriceKey) -> bool:
    provider, day, model = key[0], key[1], key[2]
    return has_seed_price(provider, model, day)
