"""Gate for ``github_pulls``: landed REST pull request pages, one pull request per row.

Row columns: the kept fields, nested ones as dotted paths (``head.ref``,
``base.repo.full_name``); ``labels`` holds the label names sorted and comma-joined.
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

TIMESTAMPS = ("created_at", "closed_at", "merged_at")
HASHED_FIELDS = ("head.ref", "base.ref", "base.repo.full_name")
FIELDS = (
    "artifact_key",
    "state",
    *TIMESTAMPS,
    "draft",
    "labels",
    *HASHED_FIELDS,
    "additions",
    "deletions",
    "team_id",
)
DROPPED = ("number", "title", "body", "user")
STATES = ("open", "closed")
LABELS = ("bug", "chore", "docs", "enhancement", "feature", "fix", "refactor", "test")
LABEL_LIST = rf"^(?:(?:{'|'.join(LABELS)})(?:,|$))*$"

REQUIRED = (
    "artifact_key",
    "state",
    "created_at",
    "draft",
    *HASHED_FIELDS,
    "additions",
    "deletions",
    "team_id",
)
PRESENT = (*REQUIRED, "closed_at", "merged_at", "labels")


def looks_like(sample: Any) -> bool:
    """A landed array of pull requests: ``artifact_key`` beside ``base`` and ``head``."""
    return (
        isinstance(sample, list)
        and bool(sample)
        and isinstance(sample[0], dict)
        and {"artifact_key", "base", "head"} <= set(sample[0])
    )


def flatten(path: Path) -> pd.DataFrame:
    pulls = require(read_json(path), list, "the page")
    rows = [_row(require(pull, dict, "a pull request")) for pull in pulls]
    return to_frame(rows, path, integers=("additions", "deletions"), iso_timestamps=TIMESTAMPS)


def _row(pull: dict[str, Any]) -> dict[str, Any]:
    row = pick(pull, [field for field in FIELDS if field != "labels"])
    if "labels" in pull:
        row["labels"] = _label_names(pull["labels"])
    row[RECORD_DATE] = iso_date(row.get("created_at"))
    row[DROPPED_FIELDS] = dropped_fields(pull, DROPPED)
    labels = pull.get("labels")
    label_text = leftover_text(labels, {"name"}) if isinstance(labels, list) else []
    row[UNMAPPED_TEXT] = join_text(leftover_text(pull, FIELDS) + label_text)
    row[UNKNOWN_FIELDS] = join_fields(unknown_fields(pull, (*FIELDS, *DROPPED)))
    return row


def _label_names(labels: Any) -> Any:
    """``[{"name": "bug"}, ...]`` as ``"bug,..."``; any other shape as its JSON text."""
    if not isinstance(labels, list) or not all(
        isinstance(label, dict) and isinstance(label.get("name"), str) for label in labels
    ):
        return scalar(labels)
    return ",".join(sorted(label["name"] for label in labels))


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "github_pulls",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.booleans(["draft"]),
        checks.counts(("additions", "deletions")),
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
