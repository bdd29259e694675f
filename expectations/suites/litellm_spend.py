"""Gate for ``litellm_spend``: the landed CSV of a LiteLLM proxy's spend per team and hour,
one CSV row per row."""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
import pandas as pd

from expectations import checks
from expectations.flatten import (
    DROPPED_FIELDS,
    RECORD_DATE,
    TOKENS_PER_CALL,
    UNCACHED_INPUT_TOKENS,
    UNKNOWN_FIELDS,
    UNMAPPED_TEXT,
    as_int,
    iso_date,
    join_fields,
    join_text,
    leftover_text,
    read_csv,
    to_frame,
    uncached_input_tokens,
)
from tpsp.anonymize.kinds.otel_genai_spans import WORKFLOW_TAGS

NATURAL_KEY = (
    "startTime",
    "team_id",
    "custom_llm_provider",
    "model",
    "status",
    "cache_hit",
    "workflow_tag",
)
COUNTS = (
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "max_request_tokens",
)
COLUMNS = (*NATURAL_KEY, *COUNTS, "spend")
DROPPED = ("request_id", "user", "api_key", "messages", "response", "metadata", "end_user")
STATUSES = ("success", "failure", "other")


def looks_like(sample: object) -> bool:
    """A CSV of LiteLLM spend: ``startTime`` beside ``prompt_tokens``."""
    return isinstance(sample, list) and {"startTime", "prompt_tokens"} <= set(sample)


def flatten(path: Path) -> pd.DataFrame:
    header, records = read_csv(path)
    present = [column for column in COLUMNS if column in header]
    unknown = join_fields(set(header) - set(COLUMNS) - set(DROPPED))
    rows = []
    for record in records:
        row = {column: record[column] for column in present}
        row[RECORD_DATE] = iso_date(row.get("startTime"))
        row[UNCACHED_INPUT_TOKENS] = uncached_input_tokens(
            row, "prompt_tokens", "cache_read_input_tokens"
        )
        largest = as_int(row.get("max_request_tokens"))
        row[TOKENS_PER_CALL] = largest if isinstance(largest, int) else None
        row[DROPPED_FIELDS] = join_fields(c for c in DROPPED if record.get(c) is not None)
        row[UNMAPPED_TEXT] = join_text(leftover_text(record, COLUMNS))
        row[UNKNOWN_FIELDS] = unknown
        rows.append(row)
    return to_frame(rows, path, integers=COUNTS, numbers=("spend",), iso_timestamps=("startTime",))


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "litellm_spend",
        checks.columns_present(COLUMNS),
        checks.not_null(COLUMNS),
        checks.counts(COUNTS),
        checks.amounts(["spend"]),
        checks.at_least_zero([UNCACHED_INPUT_TOKENS]),
        checks.one_of(["status"], STATUSES),
        checks.one_of(["cache_hit"], ("true", "false")),
        checks.one_of(["workflow_tag"], WORKFLOW_TAGS),
        checks.matching(["startTime"], checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
