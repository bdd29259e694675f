"""Gate for ``jira_issues``: landed REST search pages, one issue per row.

Row columns: ``key``, ``id`` and the kept fields as dotted paths (``fields.created``,
``fields.status.statusCategory.key``, ``fields.team_id``, ...). A null parent object
(``"resolution": null``) gives null children.
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

NATURAL_KEY = ("key",)

STORY_POINTS = "fields.customfield_10016"
TIMESTAMPS = ("fields.created", "fields.resolutiondate")
TEXT_FIELDS = (
    "key",
    "id",
    "fields.issuetype.name",
    "fields.status.name",
    "fields.status.statusCategory.key",
    "fields.resolution.name",
    *TIMESTAMPS,
    "fields.team_id",
)
FIELDS = (*TEXT_FIELDS, STORY_POINTS)
NAMES = (
    "fields.issuetype.name",
    "fields.status.name",
    "fields.status.statusCategory.key",
    "fields.resolution.name",
)
DROPPED = ("fields.summary", "fields.assignee", "fields.labels")

REQUIRED = (
    "key",
    "id",
    "fields.issuetype.name",
    "fields.status.name",
    "fields.status.statusCategory.key",
    "fields.created",
    "fields.team_id",
)
PRESENT = (*REQUIRED, "fields.resolution.name", "fields.resolutiondate")
PAGE_KEYS = ("issues", "isLast", "nextPageToken")


def looks_like(sample: object) -> bool:
    """A search page: an object holding ``issues``."""
    return isinstance(sample, dict) and isinstance(sample.get("issues"), list)


def flatten(path: Path) -> pd.DataFrame:
    page = require(read_json(path), dict, "the page")
    page_text = leftover_text(page, {"issues"})
    page_unknown = unknown_fields(page, PAGE_KEYS)
    rows = []
    for issue in require(page.get("issues"), list, "issues"):
        issue = require(issue, dict, "an issue")
        row = pick(issue, FIELDS)
        row[RECORD_DATE] = iso_date(row.get("fields.created"))
        row[DROPPED_FIELDS] = dropped_fields(issue, DROPPED)
        row[UNMAPPED_TEXT] = join_text(page_text + leftover_text(issue, FIELDS))
        row[UNKNOWN_FIELDS] = join_fields(
            page_unknown + unknown_fields(issue, (*FIELDS, *DROPPED), "issues.")
        )
        rows.append(row)
    return to_frame(rows, path, numbers=(STORY_POINTS,), iso_timestamps=TIMESTAMPS)


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "jira_issues",
        checks.columns_present(PRESENT),
        checks.not_null(REQUIRED),
        checks.strings(NAMES),
        checks.amounts([STORY_POINTS]),
        checks.matching(TIMESTAMPS, checks.JIRA_HOUR),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["key"], checks.ARTIFACT_KEY),
        checks.matching(["id"], checks.HASHED_ID),
        checks.matching(["fields.team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
