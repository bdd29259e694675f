"""``anthropic_cost_report``: pages of Anthropic's Admin API cost report.

Landed shape: the same page shape, one page per UTC day of the bucket start (``has_more``
false, ``next_page`` null), buckets with ``starting_at``/``ending_at`` floored to the hour,
and results re-aggregated per (``model``, ``cost_type``, ``token_type``, ``context_window``,
``service_tier``, ``currency``): ``amount`` summed exactly, still a decimal string in cents.
``workspace_id`` (a firm identifier) and ``description`` (free text) do not land, so results
that differ only by workspace become one. A bucket repeated in the file (a page fetched twice)
counts as duplicates; a day re-sent in a later export lands in its own file and the warehouse
keeps the latest.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, parse_json_documents
from tpsp.anonymize.kinds.usage_pages import ANTHROPIC_BUCKETS, count_results, land_daily_pages
from tpsp.anonymize.records import as_decimal, as_mapping, as_optional_text

FORMATS = ("json", "jsonl")
CONSTANTS: frozenset[str] = frozenset()

GROUP_FIELDS = ("model", "cost_type", "token_type", "context_window", "service_tier", "currency")

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("has_more", "next_page", "data[].starting_at", "data[].ending_at"),
        "data[].results[].amount",
        *(f"data[].results[].{field}" for field in GROUP_FIELDS),
    }
)

GroupKey = tuple[str | None, ...]  # the GROUP_FIELDS of a result

# documented fields that do not land: identifiers, free text, optional groupings
RESULT_FIELDS = frozenset(
    {"amount", *GROUP_FIELDS, "workspace_id", "description", "inference_geo", "speed"}
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per cost line."""
    return count_results(content)


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, Decimal]) -> None:
    result = as_mapping(result, "result")
    key = tuple(as_optional_text(result.get(field), field) for field in GROUP_FIELDS)
    groups[key] = groups.get(key, Decimal(0)) + as_decimal(result.get("amount"), "amount")


def _landed_result(key: GroupKey, amount: Decimal) -> dict[str, Any]:
    return {"amount": format(amount, "f"), **dict(zip(GROUP_FIELDS, key, strict=True))}


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    return land_daily_pages(
        documents, ctx, ANTHROPIC_BUCKETS, RESULT_FIELDS, _add_result, _landed_result
    )
