"""Gate for ``linear_issues``: the landed CSV of Linear issues, one CSV row per row."""

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

NATURAL_KEY = ("ID",)

TIMESTAMPS = ("Created", "Started", "Completed", "Canceled")
COLUMNS = ("ID", "Status", "Priority", "Estimate", "Labels", *TIMESTAMPS, "team_id")
DROPPED = ("Team", "Title", "Description", "Creator", "Assignee", "Project", "Cycle Name")
STATUSES = (
    "Backlog",
    "Todo",
    "In Progress",
    "In Review",
    "Done",
    "Canceled",
    "Duplicate",
    "Triage",
    "Other",
)
PRIORITIES = ("No priority", "Urgent", "High", "Medium", "Low")
LABELS = (
    "bug",
    "chore",
    "docs",
    "enhancement",
    "feature",
    "fix",
    "improvement",
    "refactor",
    "test",
)
LABEL_LIST = rf"^(?:(?:{'|'.join(LABELS)})(?:,|$))*$"
REQUIRED = ("ID", "Status", "Created", "team_id")


def looks_like(sample: object) -> bool:
    """A CSV with Linear's ``ID``, ``Status`` and ``Created`` columns."""
    return isinstance(sample, list) and {"ID", "Status", "Created"} <= set(sample)


def flatten(path: Path) -> pd.DataFrame:
    header, records = read_csv(path)
    present = [column for column in COLUMNS if column in header]
    unknown = join_fields(set(header) - set(COLUMNS) - set(DROPPED))
    rows = []
    for record in records:
        row = {column: record[column] for column in present}
        row[RECORD_DATE] = iso_date(row.get("Created"))
        row[DROPPED_FIELDS] = join_fields(c for c in DROPPED if record.get(c) is not None)
        row[UNMAPPED_TEXT] = join_text(leftover_text(record, COLUMNS))
        row[UNKNOWN_FIELDS] = unknown
        rows.append(row)
    return to_frame(rows, path, numbers=("Estimate",), iso_timestamps=TIMESTAMPS)


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "linear_issues",
        checks.columns_present(COLUMNS),
        checks.not_null(REQUIRED),
        checks.one_of(["Status"], STATUSES),
        checks.one_of(["Priority"], PRIORITIES),
        checks.amounts(["Estimate"]),
        checks.matching(["Labels"], LABEL_LIST),
        checks.matching(TIMESTAMPS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["ID"], checks.ARTIFACT_KEY),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
