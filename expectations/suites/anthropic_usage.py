"""Gate for ``anthropic_usage``: landed Admin API messages usage pages, one result per row.

Row columns: the bucket's ``starting_at`` and ``ending_at`` and the result's fields, nested
ones as dotted paths (``cache_creation.ephemeral_5m_input_tokens``,
``server_tool_use.web_search_requests``).
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
    "workspace_id",
    "context_window",
    "service_tier",
    "team_id",
)

BUCKET_FIELDS = ("starting_at", "ending_at")
TOKEN_FIELDS = (
    "uncached_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens",
    "cache_creation.ephemeral_1h_input_tokens",
    "cache_read_input_tokens",
    "output_tokens",
    "server_tool_use.web_search_requests",
)
TEXT_FIELDS = ("workspace_id", "model", "service_tier", "context_window", "team_id")
RESULT_FIELDS = (*TOKEN_FIELDS, *TEXT_FIELDS)
FIELDS = (*BUCKET_FIELDS, *RESULT_FIELDS)
DROPPED = ("api_key_id",)

REQUIRED = (
    *BUCKET_FIELDS,
    "uncached_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens",
    "cache_creation.ephemeral_1h_input_tokens",
    "cache_read_input_tokens",
    "output_tokens",
    "model",
    "service_tier",
    "context_window",
    "team_id",
)
PRESENT = (*REQUIRED, "workspace_id")
PAGE_KEYS = ("data", "has_more", "next_page")
BUCKET_KEYS = (*BUCKET_FIELDS, "results")


def looks_like(sample: Any) -> bool:
    """A page of daily buckets with ``starting_at`` (OpenAI's pages say ``"object": "page"``)."""
    if not isinstance(sample, dict) or "object" in sample:
        return False
    if not isinstance(sample.get("data"), list):
        return False
    return all(isinstance(b, dict) and "starting_at" in b for b in sample["data"][:1])


def flatten(path: Path) -> pd.DataFrame:
    rows = page_rows(
        path,
        page_keys=PAGE_KEYS,
        bucket_keys=BUCKET_KEYS,
        bucket_fields=BUCKET_FIELDS,
        result_keys=(*RESULT_FIELDS, *DROPPED),
        row=_row,
    )
    return to_frame(rows, path, integers=TOKEN_FIELDS, iso_timestamps=BUCKET_FIELDS)


def _row(bucket: dict[str, Any], result: dict[str, Any], text: list[str]) -> dict[str, Any]:
    row = pick(bucket, BUCKET_FIELDS) | pick(result, RESULT_FIELDS)
    row[RECORD_DATE] = iso_date(row.get("starting_at"))
    row[DROPPED_FIELDS] = dropped_fields(result, DROPPED)
    row[UNMAPPED_TEXT] = join_text(text + leftover_text(result, {*RESULT_FIELDS}))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "anthropic_usage",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.strings(("model", "service_tier", "context_window")),
        checks.counts(TOKEN_FIELDS),
        checks.matching(BUCKET_FIELDS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["workspace_id"], checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
