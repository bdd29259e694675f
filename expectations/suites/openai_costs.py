"""Gate for ``openai_costs``: landed Costs API pages, one result per row.

Row columns: the bucket's ``start_time`` and ``end_time`` (Unix seconds), the result's
``object`` and ``line_item``, and ``amount.value`` / ``amount.currency`` as dotted paths.
``_line_item_part`` is what the line item bills after the model (``input``, ``cached
input``, ``output``), null for an item without one (``web search tool calls``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd

from expectations import checks
from expectations.flatten import (
    DROPPED_FIELDS,
    RECORD_DATE,
    UNMAPPED_TEXT,
    dropped_fields,
    join_text,
    leftover_text,
    page_rows,
    pick,
    to_frame,
    utc_date,
)

LINE_ITEM_PART = "_line_item_part"
NATURAL_KEY = ("start_time", "line_item", "amount.currency")

BUCKET_FIELDS = ("start_time", "end_time")
RESULT_FIELDS = ("object", "line_item", "amount.value", "amount.currency")
DROPPED = ("project_id",)

REQUIRED = (*BUCKET_FIELDS, "object", "amount.value", "amount.currency")
PRESENT = (*REQUIRED, "line_item")
PAGE_KEYS = ("object", "data", "has_more", "next_page")
BUCKET_KEYS = ("object", *BUCKET_FIELDS, "results")

# "[<tier> | ]<model>, <part>[, long context]"; the part is what the vendor bills
_LINE_ITEM = re.compile(r"^(?:[a-z]+ \| )?[^,]+, (?P<part>[a-z ]+?)(?:, long context)?$")
LINE_ITEM_PARTS = ("input", "cached input", "output", "cache writes")


def looks_like(sample: Any) -> bool:
    """A page whose first bucket's first result is an ``organization.costs.result``."""
    if not isinstance(sample, dict) or sample.get("object") != "page":
        return False
    buckets = sample.get("data")
    if not isinstance(buckets, list) or not buckets or not isinstance(buckets[0], dict):
        return False
    results = buckets[0].get("results")
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        return False
    return results[0].get("object") == "organization.costs.result"


def line_item_part(line_item: Any) -> str | None:
    """The billed part of a model line item; the whole text after the model when it does not
    follow the usual form (so an unknown part fails the gate), null without a comma."""
    if not isinstance(line_item, str) or ", " not in line_item:
        return None
    match = _LINE_ITEM.match(line_item)
    return match.group("part") if match else line_item.split(", ", 1)[1]


def flatten(path: Path) -> pd.DataFrame:
    rows = page_rows(
        path,
        page_keys=PAGE_KEYS,
        bucket_keys=BUCKET_KEYS,
        bucket_fields=BUCKET_FIELDS,
        result_keys=(*RESULT_FIELDS, *DROPPED),
        row=_row,
    )
    return to_frame(
        rows,
        path,
        integers=BUCKET_FIELDS,
        numbers=("amount.value",),
        unix_seconds=BUCKET_FIELDS,
    )


def _row(bucket: dict[str, Any], result: dict[str, Any], text: list[str]) -> dict[str, Any]:
    row = pick(bucket, BUCKET_FIELDS) | pick(result, RESULT_FIELDS)
    row[RECORD_DATE] = utc_date(row.get("start_time"))
    row[LINE_ITEM_PART] = line_item_part(row.get("line_item"))
    row[DROPPED_FIELDS] = dropped_fields(result, DROPPED)
    row[UNMAPPED_TEXT] = join_text(text + leftover_text(result, {*RESULT_FIELDS, "amount"}))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "openai_costs",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.strings(("object", "line_item", "amount.currency")),
        checks.one_of(["object"], ["organization.costs.result"]),
        checks.counts(BUCKET_FIELDS),
        checks.amounts(["amount.value"]),
        checks.one_of(["amount.currency"], ["usd"]),
        checks.one_of([LINE_ITEM_PART], LINE_ITEM_PARTS),
        checks.unix_on_the_hour(BUCKET_FIELDS),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
