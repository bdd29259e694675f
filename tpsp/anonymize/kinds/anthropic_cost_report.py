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

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    none_first,
    parse_json_documents,
)
from tpsp.anonymize.kinds.usage_pages import collect_buckets
from tpsp.anonymize.records import RecordError, as_mapping, as_optional_text, as_text
from tpsp.anonymize.timefloor import floor_iso, format_iso_z

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
BucketKey = tuple[str, str | None]  # floored starting_at and ending_at, ISO with Z

# documented fields that do not land: identifiers, free text, optional groupings
RESULT_FIELDS = frozenset(
    {"amount", *GROUP_FIELDS, "workspace_id", "description", "inference_geo", "speed"}
)
PAGE_FIELDS = frozenset({"data", "has_more", "next_page"})
BUCKET_FIELDS = frozenset({"starting_at", "ending_at", "results"})


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per cost line."""
    return sum(len(bucket["results"]) for bucket in content["data"])


def amount_of(value: Any) -> Decimal:
    """A documented decimal string (a JSON number is read the same way), exactly."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError("amount is not a decimal string")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise RecordError("amount is not a decimal string") from exc
    if not amount.is_finite():
        raise RecordError("amount is not a finite number")
    return amount


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, Decimal]) -> None:
    result = as_mapping(result, "result")
    key = tuple(as_optional_text(result.get(field), field) for field in GROUP_FIELDS)
    groups[key] = groups.get(key, Decimal(0)) + amount_of(result.get("amount"))


def _timestamp(value: Any, what: str) -> str:
    try:
        return format_iso_z(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not an ISO 8601 timestamp") from exc


def _bucket_key(bucket: dict[str, Any]) -> BucketKey:
    start = _timestamp(bucket.get("starting_at"), "starting_at")
    end = bucket.get("ending_at")
    return start, _timestamp(end, "ending_at") if end is not None else None


def _landed_result(key: GroupKey, amount: Decimal) -> dict[str, Any]:
    return {"amount": format(amount, "f"), **dict(zip(GROUP_FIELDS, key, strict=True))}


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    collected = collect_buckets(
        documents, ctx, (PAGE_FIELDS, BUCKET_FIELDS, RESULT_FIELDS), _bucket_key, _add_result
    )
    pages: dict[date, list[dict[str, Any]]] = defaultdict(list)
    rows_out = 0
    for (start, end), groups in sorted(
        collected.buckets.items(), key=lambda item: none_first(item[0])
    ):
        if not groups:
            continue  # a day without cost: nothing to land
        results = [_landed_result(key, groups[key]) for key in sorted(groups, key=none_first)]
        rows_out += len(results)
        pages[date.fromisoformat(start[:10])].append(
            {"starting_at": start, "ending_at": end, "results": results}
        )
    days = {
        day: {"data": data, "has_more": False, "next_page": None} for day, data in pages.items()
    }
    return KindOutput(
        days=days,
        rows_in=collected.rows_in,
        rows_out=rows_out,
        duplicates=collected.duplicates,
    )
