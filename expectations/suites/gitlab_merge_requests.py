"""Gate for ``gitlab_merge_requests``: landed merge request pages, one merge request per row.

Row columns: the kept fields; ``labels`` holds the label names sorted and comma-joined.
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

TIMESTAMPS = ("created_at", "merged_at", "closed_at")
HASHED_FIELDS = ("source_branch", "target_branch", "project")
FIELDS = ("artifact_key", "state", *TIMESTAMPS, "draft", "labels", *HASHED_FIELDS, "team_id")
DROPPED = ("iid", "title", "description", "author", "web_url", "references")
STATES = ("opened", "closed", "locked", "merged")
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

REQUIRED = ("artifact_key", "state", "created_at", "project", "team_id")
PRESENT = (*REQUIRED, *TIMESTAMPS[1:], "draft", "labels", "source_branch", "target_branch")


def looks_like(sample: Any) -> bool:
    """A landed array of merge requests: ``artifact_key`` beside ``source_branch``."""
    return (
        isinstance(sample, list)
        and bool(sample)
        and isinstance(sample[0], dict)
        and {"artifact_key", "source_branch"} <= set(sample[0])
    )


def flatten(path: Path) -> pd.DataFrame:
    mrs = require(read_json(path), list, "the page")
    rows = [_row(require(mr, dict, "a merge request")) for mr in mrs]
    return to_frame(rows, path, iso_timestamps=TIMESTAMPS)


def _row(mr: dict[str, Any]) -> dict[str, Any]:
    row = pick(mr, [field for field in FIELDS if field != "labels"])
    if "labels" in mr:
        labels = mr["labels"]
        names_only = isinstance(labels, list) and all(isinstance(n, str) for n in labels)
        row["labels"] = ",".join(sorted(labels)) if names_only else scalar(labels)
    row[RECORD_DATE] = iso_date(row.get("created_at"))
    row[DROPPED_FIELDS] = dropped_fields(mr, DROPPED)
    row[UNMAPPED_TEXT] = join_text(leftover_text(mr, FIELDS))
    row[UNKNOWN_FIELDS] = join_fields(unknown_fields(mr, (*FIELDS, *DROPPED)))
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "gitlab_merge_requests",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.booleans(["draft"]),
        checks.one_of(["state"], STATES),
        checks.matching(["labels"], LABEL_LIST),
        checks.matching(TIMESTAMPS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["artifact_key"], checks.ARTIFACT_KEY),
        checks.matching(HASHED_FIELDS, checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
