"""The models tpsp prices: the seed's name patterns, classes and first days.

`package_id` is the model's id in `genai-prices`; `pattern` is the lower-case prefix the
warehouse matches usage model names against (the most specific prefix wins).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CatalogModel:
    provider: str
    pattern: str
    package_id: str
    model_class: str  # frontier | mid | small
    released: date  # the first day the seed prices the model


CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel("openai", "gpt-4.1-mini", "gpt-4.1-mini", "small", date(2025, 4, 14)),
    CatalogModel("openai", "gpt-4.1", "gpt-4.1", "mid", date(2025, 4, 14)),
    CatalogModel("openai", "gpt-4o", "gpt-4o", "mid", date(2024, 8, 6)),
    CatalogModel("openai", "o4-mini", "o4-mini", "small", date(2025, 4, 16)),
    CatalogModel("anthropic", "claude-haiku-4-5", "claude-haiku-4-5", "small", date(2025, 10, 15)),
    CatalogModel("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5", "mid", date(2025, 9, 29)),
    CatalogModel("anthropic", "claude-sonnet-4", "claude-sonnet-4-0", "mid", date(2025, 5, 22)),
    CatalogModel("anthropic", "claude-opus-4-1", "claude-opus-4-1", "frontier", date(2025, 8, 5)),
)
