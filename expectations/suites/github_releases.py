"""Gate for ``github_releases``: landed release pages, one release per row."""

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

NATURAL_KEY = ("artifact_key",)

TIMESTAMPS = ("created_at", "published_at")
FIELDS = ("artifact_key", "draft", "prerelease", *TIMESTAMPS, "repository", "team_id")
DROPPED = ("tag_name", "name", "body", "author", "assets", "html_url")
REQUIRED = ("artifact_key", "draft", "prerelease", "created_at", "repository", "team_id")
PRESENT = (*REQUIRED, "published_at")


def looks_like(sample: Any) -> bool:
    """A landed array of releases: ``artifact_key`` beside ``prerelease``."""
    return (
        isinstance(sample, list)
        and bool(sample)
        and isinstance(sample[0], dict)
        and {"artifact_key", "prerelease"} <= set(sample[0])
    )


def flatten(path: Path) -> pd.DataFrame:
    releases = require(read_json(path), list, "the page")
    rows = []
    for release in releases:
        release = require(release, dict, "a release")
        row = pick(release, FIELDS)
        row[RECORD_DATE] = iso_date(row.get("created_at"))
        row[DROPPED_FIELDS] = dropped_fields(release, DROPPED)
        row[UNMAPPED_TEXT] = join_text(leftover_text(release, FIELDS))
        row[UNKNOWN_FIELDS] = join_fields(unknown_fields(release, (*FIELDS, *DROPPED)))
        rows.append(row)
    return to_frame(rows, path, iso_timestamps=TIMESTAMPS)


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "github_releases",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.booleans(["draft", "prerelease"]),
        checks.matching(TIMESTAMPS, checks.ISO_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["artifact_key"], checks.ARTIFACT_KEY),
        checks.matching(["repository"], checks.HASHED_ID),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
