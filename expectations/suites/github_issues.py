"""Gate for ``github_issues``: landed issue pages (pull requests already left out), one issue
per row. ``labels`` holds the label names sorted and comma-joined; ``type.name`` the issue
type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd

from expectations import checks
from expectations.flatten import (
    DROPPED_FIELDS,
    RECORD_DATE,
    UNKNOWN_FIELDS,
    UNMAPPED_TEXT,
    dropped_fields,
    iso_date,
    join_fields,
    join_text,
    leftover_text,
    pick,
    read_json,
    require,
    scalar,
    to_frame,
    unknown_fields,
)

NATURAL_KEY = ("artifact_key",)

TIMESTAMPS = ("created_at", "closed_at")
FIELDS = (
    "artifact_key",
    "state",
    "state_reason",
    *TIMESTAMPS,
    "labels",
    "type.name",
    "repository",
    "team_id",
)
DROPPED = ("number", "title", "body", "user", "assignee", "assignees", "pull_request")
STATES = ("open", "closed")
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")
ISSUE_TYPES = ("Bug", "Feature", "Task")
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

REQUIRED = ("artifact_key", "state", "created_at", "repository", "team_id")
PRESENT = (*REQUIRED, "state_reason", "closed_at", "labels", "type")


def looks_like(sample: Any) -> bool:
    """A landed array of issues: ``artifact_key`` beside ``state_reason``."""
    return (
        isinstance(sample, list)
        and bool(sample)
        and isinstance(sample[0], dict)
        and {"artifact_key", "state_reason"} <= set(sample[0])
    )


def flatten(path: Path) -> pd.DataFrame:
    issues = require(read_json(path), list, "the page")
    rows = [_row(require(issue, dict, "an issue")) for issue in issues]
    return to_frame(rows, path, iso_timestamps=TIMESTAMPS)


def _label_names(labels: Any) -> Any:
    if not isinstance(labels, list) or not all(
        isinstance(label, dict) and isinstance(label.get("name"), str) for label in labels
    ):
        return scalar(labels)
    return ",".join(sorted(label["name"] for label in labels))


def _row(issue: dict[str, Any]) -> dict[str, Any]:
    row = pick(issue, [field for field in FIELDS if field != "labels"])
    if "type" in issue:
        row["type"] = scalar(issue["type"])
    if "labels" in issue:
        row["labels"] = _label_names(issue["labels"])
    row[RECORD_DATE] = iso_date(row.get("created_at"))
    row[DROPPED_FIELDS] = dropped_fields(issue, DROPPED)
    labels = issue.get("labels")
    label_text = leftover_text(labels, {"name"}) if isinstance(labels, list) else []
    row[UNMAPPED_TEXT] = join_text(leftover_text(issue, FIELDS) + label_text)
    row[UNKNOWN_FIELDS] = join_fields(unknown_fields(issue, (*FIELDS, *DROPPED)))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "github_issues",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.one_of(["state"], STATES),
        checks.one_of(["state_reason"], STATE_REASONS),
        checks.one_of(["type.name"], ISSUE_TYPES),
        checks.matching(["labels"], LABEL_LIST),
        checks.matching(TIMESTAMPS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["artifact_key"], checks.ARTIFACT_KEY),
        checks.matching(["repository"], checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
