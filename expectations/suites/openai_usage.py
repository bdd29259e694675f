"""Gate for ``openai_usage``: landed Usage API completions pages, one result per row.

Row columns: the bucket's ``start_time`` and ``end_time`` (Unix seconds) and the result's
fields under their own names (``input_tokens``, ``model``, ``project_id``, ``team_id``, ...).
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
    TOKENS_PER_CALL,
    UNCACHED_INPUT_TOKENS,
    UNMAPPED_TEXT,
    as_int,
    dropped_fields,
    join_text,
    leftover_text,
    page_rows,
    pick,
    to_frame,
    uncached_input_tokens,
    utc_date,
)

NATURAL_KEY = ("start_time", "model", "project_id", "team_id")

BUCKET_FIELDS = ("start_time", "end_time")
TOKEN_FIELDS = (
    "input_tokens",
    "output_tokens",
    "input_cached_tokens",
    "input_audio_tokens",
    "output_audio_tokens",
    "num_model_requests",
)
RESULT_FIELDS = (*TOKEN_FIELDS, "object", "model", "project_id", "team_id", "batch")
DROPPED = ("user_id", "api_key_id")

REQUIRED = (
    *BUCKET_FIELDS,
    "input_tokens",
    "output_tokens",
    "input_cached_tokens",
    "num_model_requests",
    "model",
    "team_id",
)
PRESENT = (*REQUIRED, "project_id")
FIELDS = (*BUCKET_FIELDS, *RESULT_FIELDS)
PAGE_KEYS = ("object", "data", "has_more", "next_page")
BUCKET_KEYS = ("object", *BUCKET_FIELDS, "results")


def looks_like(sample: Any) -> bool:
    """A Usage API page: ``"object": "page"`` with buckets of ``start_time``."""
    return isinstance(sample, dict) and sample.get("object") == "page" and "data" in sample


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
        rows, path, integers=(*BUCKET_FIELDS, *TOKEN_FIELDS), unix_seconds=BUCKET_FIELDS
    )


def _tokens_per_call(result: dict[str, Any]) -> int | None:
    """The average call of the row: (input + output) / requests, rounded up."""
    tokens = [as_int(result.get(field)) for field in ("input_tokens", "output_tokens")]
    requests = as_int(result.get("num_model_requests"))
    if not all(isinstance(value, int) for value in [*tokens, requests]) or requests <= 0:
        return None
    return -(-sum(tokens) // requests)


def _row(bucket: dict[str, Any], result: dict[str, Any], text: list[str]) -> dict[str, Any]:
    row = pick(bucket, BUCKET_FIELDS) | pick(result, RESULT_FIELDS)
    row[RECORD_DATE] = utc_date(row.get("start_time"))
    row[UNCACHED_INPUT_TOKENS] = uncached_input_tokens(row, "input_tokens", "input_cached_tokens")
    row[TOKENS_PER_CALL] = _tokens_per_call(result)
    row[DROPPED_FIELDS] = dropped_fields(result, DROPPED)
    row[UNMAPPED_TEXT] = join_text(text + leftover_text(result, {*RESULT_FIELDS}))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "openai_usage",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.strings(("object", "model")),
        checks.counts((*BUCKET_FIELDS, *TOKEN_FIELDS)),
        checks.at_least_zero([UNCACHED_INPUT_TOKENS]),
        checks.unix_on_the_hour(BUCKET_FIELDS),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["project_id"], checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
