"""``openai_costs``: pages of OpenAI's organization Costs API.

Landed shape: the same page shape, one page per UTC day of the bucket start (``has_more``
false, ``next_page`` null), buckets with ``start_time``/``end_time`` floored to the hour, and
results re-aggregated per (``line_item``, ``amount.currency``): ``amount.value`` summed
exactly (as decimals, landed as a JSON number in the currency's unit). ``project_id`` (a
firm identifier) does not land, so results that differ only by project become one. A bucket
repeated in the file (a page fetched twice) counts as duplicates; a day re-sent in a later
export lands in its own file and the warehouse keeps the latest.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, parse_json_documents
from tpsp.anonymize.kinds.usage_pages import count_results, land_daily_pages, openai_buckets
from tpsp.anonymize.records import as_decimal, as_mapping, as_optional_text

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
BUCKETS = openai_buckets(PAGE, BUCKET)

RESULT_FIELDS = frozenset({"object", "amount", "line_item", "project_id"})


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per line item."""
    return count_results(content)


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, Decimal]) -> None:
    result = as_mapping(result, "result")
    amount = as_mapping(result.get("amount"), "amount")
    key = (
        as_optional_text(result.get("line_item"), "line_item"),
        as_optional_text(amount.get("currency"), "amount.currency"),
    )
    groups[key] = groups.get(key, Decimal(0)) + as_decimal(amount.get("value"), "amount")


def _landed_result(key: GroupKey, value: Decimal) -> dict[str, Any]:
    line_item, currency = key
    return {
        "object": RESULT,
        "amount": {"value": float(value), "currency": currency},
        "line_item": line_item,
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    return land_daily_pages(documents, ctx, BUCKETS, RESULT_FIELDS, _add_result, _landed_result)
