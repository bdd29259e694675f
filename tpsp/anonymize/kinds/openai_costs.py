"""``openai_costs``: pages of OpenAI's organization Costs API.

Landed shape: the same page shape, one page per UTC day of the bucket start (``has_more``
false, ``next_page`` null), buckets with ``start_time``/``end_time`` floored to the hour, and
results re-aggregated per (``line_item``, ``amount.currency``): ``amount.value`` summed
exactly (as decimals, landed as a JSON number in the currency's unit). ``project_id`` (a
firm identifier) does not land, so results that differ only by project become one. A bucket
repeated in the file (a page fetched twice) counts as duplicates; a day re-sent in a later
export lands in its own file and the warehouse keeps the latest.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.anthropic_cost_report import amount_of
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    none_first,
    parse_json_documents,
)
from tpsp.anonymize.kinds.usage_pages import collect_buckets
from tpsp.anonymize.records import RecordError, as_count, as_mapping, as_optional_text
from tpsp.anonymize.timefloor import day_of_unix_seconds, floor_unix_seconds

FORMATS = ("json", "jsonl")
PAGE = "page"
BUCKET = "bucket"
RESULT = "organization.costs.result"
CONSTANTS = frozenset({PAGE, BUCKET, RESULT})

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("object", "has_more", "next_page"),
        *("data[].object", "data[].start_time", "data[].end_time"),
        *("data[].results[].object", "data[].results[].line_item"),
        *("data[].results[].amount.value", "data[].results[].amount.currency"),
    }
)

GroupKey = tuple[str | None, str | None]  # line item, currency
BucketKey = tuple[int, int | None]  # floored start_time and end_time

RESULT_FIELDS = frozenset({"object", "amount", "line_item", "project_id"})
PAGE_FIELDS = frozenset({"object", "data", "has_more", "next_page"})
BUCKET_FIELDS = frozenset({"object", "start_time", "end_time", "results"})


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per line item."""
    return sum(len(bucket["results"]) for bucket in content["data"])


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, Decimal]) -> None:
    result = as_mapping(result, "result")
    amount = as_mapping(result.get("amount"), "amount")
    key = (
        as_optional_text(result.get("line_item"), "line_item"),
        as_optional_text(amount.get("currency"), "amount.currency"),
    )
    groups[key] = groups.get(key, Decimal(0)) + amount_of(amount.get("value"))


def _bucket_key(bucket: dict[str, Any]) -> BucketKey:
    start = floor_unix_seconds(as_count(bucket.get("start_time"), "start_time"))
    end = bucket.get("end_time")
    floored_end = floor_unix_seconds(as_count(end, "end_time")) if end is not None else None
    if floored_end is not None and floored_end < start:
        raise RecordError("end_time is before start_time")
    return start, floored_end


def _landed_result(key: GroupKey, value: Decimal) -> dict[str, Any]:
    line_item, currency = key
    return {
        "object": RESULT,
        "amount": {"value": float(value), "currency": currency},
        "line_item": line_item,
    }


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
        pages[day_of_unix_seconds(start)].append(
            {"object": BUCKET, "start_time": start, "end_time": end, "results": results}
        )
    days = {
        day: {"object": PAGE, "data": data, "has_more": False, "next_page": None}
        for day, data in pages.items()
    }
    return KindOutput(
        days=days,
        rows_in=collected.rows_in,
        rows_out=rows_out,
        duplicates=collected.duplicates,
    )
