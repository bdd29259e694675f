"""Gate for ``anthropic_cost_report``: landed Admin API cost report pages, one result per row.

Row columns: the bucket's ``starting_at`` and ``ending_at`` and the result's fields under
their own names (``amount``, a decimal string in cents, ``currency``, ``cost_type``,
``token_type``, ``model``, ``context_window``, ``service_tier``).
"""

from __future__ import annotations

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
    iso_date,
    join_text,
    leftover_text,
    page_rows,
    pick,
    to_frame,
)

NATURAL_KEY = (
    "starting_at",
    "model",
    "cost_type",
    "token_type",
    "context_window",
    "service_tier",
    "currency",
)

BUCKET_FIELDS = ("starting_at", "ending_at")
TEXT_FIELDS = ("currency", "cost_type", "token_type", "model", "context_window", "service_tier")
RESULT_FIELDS = ("amount", *TEXT_FIELDS)
OPTIONAL = ("inference_geo", "speed")  # documented groupings tpsp does not land
DROPPED = ("workspace_id", "description")

REQUIRED = (*BUCKET_FIELDS, "amount", "currency")
PRESENT = (*REQUIRED, "cost_type", "token_type", "model", "context_window", "service_tier")
PAGE_KEYS = ("data", "has_more", "next_page")
BUCKET_KEYS = (*BUCKET_FIELDS, "results")

COST_TYPES = ("tokens", "web_search", "code_execution")
TOKEN_TYPES = (
    "uncached_input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens",
    "cache_creation.ephemeral_1h_input_tokens",
)
CONTEXT_WINDOWS = ("0-200k", "200k-1M")
SERVICE_TIERS = ("standard", "batch")


def looks_like(sample: Any) -> bool:
    """A page of daily buckets with ``starting_at`` whose first result has an ``amount``."""
    if not isinstance(sample, dict) or "object" in sample:
        return False
    buckets = sample.get("data")
    if not isinstance(buckets, list) or not buckets:
        return False
    results = buckets[0].get("results") if isinstance(buckets[0], dict) else None
    if "starting_at" not in buckets[0] or not isinstance(results, list):
        return False
    return all(isinstance(r, dict) and "amount" in r for r in results[:1]) and bool(results)


def flatten(path: Path) -> pd.DataFrame:
    rows = page_rows(
        path,
        page_keys=PAGE_KEYS,
        bucket_keys=BUCKET_KEYS,
        bucket_fields=BUCKET_FIELDS,
        result_keys=(*RESULT_FIELDS, *DROPPED, *OPTIONAL),
        row=_row,
    )
    return to_frame(rows, path, numbers=("amount",), iso_timestamps=BUCKET_FIELDS)


def _row(bucket: dict[str, Any], result: dict[str, Any], text: list[str]) -> dict[str, Any]:
    row = pick(bucket, BUCKET_FIELDS) | pick(result, RESULT_FIELDS)
    row[RECORD_DATE] = iso_date(row.get("starting_at"))
    row[DROPPED_FIELDS] = dropped_fields(result, DROPPED)
    row[UNMAPPED_TEXT] = join_text(text + leftover_text(result, {*RESULT_FIELDS}))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "anthropic_cost_report",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.strings(TEXT_FIELDS),
        checks.amounts(["amount"]),
        checks.one_of(["currency"], ["USD"]),
        checks.one_of(["cost_type"], COST_TYPES),
        checks.one_of(["token_type"], TOKEN_TYPES),
        checks.one_of(["context_window"], CONTEXT_WINDOWS),
        checks.one_of(["service_tier"], SERVICE_TIERS),
        checks.matching(BUCKET_FIELDS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
