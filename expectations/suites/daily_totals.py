"""Gate for ``daily_totals``: the consortium's minimal CSV, one CSV row per row.

Every column must be in the header; an empty count or cycle time is unknown (null), not
zero, so only the natural key must be filled in.
"""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
import pandas as pd

from expectations import checks
from expectations.flatten import (
    DROPPED_FIELDS,
    RECORD_DATE,
    UNKNOWN_FIELDS,
    UNMAPPED_TEXT,
    iso_date,
    join_fields,
    join_text,
    leftover_text,
    read_csv,
    to_frame,
)

NATURAL_KEY = ("date", "team", "model_class")

COUNT_FIELDS = ("tokens_consumed", "completed_tasks", "shipped_artifacts", "defect_count")
COLUMNS = ("date", "team", "model_class", *COUNT_FIELDS, "cycle_time_hours")
REQUIRED = NATURAL_KEY
MODEL_CLASSES = ("frontier", "mid", "small")


def looks_like(sample: object) -> bool:
    """A CSV whose header has the minimal export's token column."""
    return isinstance(sample, list) and "tokens_consumed" in sample


def flatten(path: Path) -> pd.DataFrame:
    header, records = read_csv(path)
    present = [column for column in COLUMNS if column in header]
    rows = []
    for record in records:
        row = {column: record[column] for column in present}
        row[RECORD_DATE] = iso_date(row.get("date"))
        row[DROPPED_FIELDS] = None
        row[UNMAPPED_TEXT] = join_text(leftover_text(record, COLUMNS))
        row[UNKNOWN_FIELDS] = join_fields(set(header) - set(COLUMNS))
        rows.append(row)
    return to_frame(
        rows, path, integers=COUNT_FIELDS, numbers=("cycle_time_hours",), iso_timestamps=["date"]
    )


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "daily_totals",
        checks.columns_present(COLUMNS),
        checks.not_null(REQUIRED),
        checks.matching(["date"], checks.DATE),
        checks.counts(COUNT_FIELDS),
        checks.amounts(["cycle_time_hours"]),
        checks.one_of(["model_class"], MODEL_CLASSES),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["team"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
