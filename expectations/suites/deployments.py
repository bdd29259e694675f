"""Gate for ``deployments``: landed deployment records with their latest status, one per row."""

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
    to_frame,
    unknown_fields,
)

NATURAL_KEY = ("deployment_id",)

TIMESTAMPS = ("created_at", "status_at")
HASHED_FIELDS = ("deployment_id", "repository", "ref", "sha")
FIELDS = (
    *HASHED_FIELDS,
    "environment",
    "production_environment",
    "transient_environment",
    *TIMESTAMPS,
    "status",
    "team_id",
)
DROPPED = ("url", "description", "payload", "creator", "statuses_url", "original_environment")
ENVIRONMENTS = ("production", "staging", "development", "other")
STATES = ("error", "failure", "inactive", "in_progress", "queued", "pending", "success")
REQUIRED = ("deployment_id", "environment", "created_at", "repository", "team_id")
PRESENT = (*REQUIRED, "production_environment", "status", "status_at")


def looks_like(sample: Any) -> bool:
    """A landed array of deployments: objects with ``deployment_id``."""
    return (
        isinstance(sample, list)
        and bool(sample)
        and isinstance(sample[0], dict)
        and "deployment_id" in sample[0]
    )


def flatten(path: Path) -> pd.DataFrame:
    deployments = require(read_json(path), list, "the page")
    rows = []
    for deployment in deployments:
        deployment = require(deployment, dict, "a deployment")
        row = pick(deployment, FIELDS)
        row[RECORD_DATE] = iso_date(row.get("created_at"))
        row[DROPPED_FIELDS] = dropped_fields(deployment, DROPPED)
        row[UNMAPPED_TEXT] = join_text(leftover_text(deployment, FIELDS))
        row[UNKNOWN_FIELDS] = join_fields(unknown_fields(deployment, (*FIELDS, *DROPPED)))
        rows.append(row)
    return to_frame(rows, path, iso_timestamps=TIMESTAMPS)


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "deployments",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.booleans(["production_environment", "transient_environment"]),
        checks.one_of(["environment"], ENVIRONMENTS),
        checks.one_of(["status"], STATES),
        checks.matching(TIMESTAMPS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(HASHED_FIELDS, checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
