"""Gate for ``copilot_usage_metrics``: landed Copilot usage metrics, one team-day per row.

Row columns: the line's counts and flags, ``totals_by_cli`` fields as dotted paths
(``totals_by_cli.token_usage.prompt_tokens_sum``), the breakdowns ``totals_by_ide``,
``totals_by_feature`` and ``totals_by_model_feature`` as JSON text, and
``_breakdown_min_count``: the smallest count of any breakdown entry.
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
    numeric,
    pick,
    read_jsonl,
    require,
    to_frame,
    unknown_fields,
)
from tpsp.anonymize.kinds.copilot_usage_metrics import BREAKDOWNS, COUNTS, FLAGS
from tpsp.anonymize.kinds.copilot_usage_metrics import CLI_COUNTS as LANDED_CLI_COUNTS

NATURAL_KEY = ("day", "team_id")
BREAKDOWN_MIN_COUNT = "_breakdown_min_count"

# the landed fields are the anonymizer's: one definition for both sides of the landing
CLI_COUNTS = tuple(f"totals_by_cli.{field}" for field in LANDED_CLI_COUNTS)
FIELDS = ("day", "team_id", *COUNTS, *FLAGS)
DROPPED = ("user_id", "user_login", "organization_id", "enterprise_id")
REQUIRED = ("day", "team_id", *COUNTS)


def looks_like(sample: Any) -> bool:
    """A Copilot usage metrics line: a ``day`` with its code generation counts."""
    return (
        isinstance(sample, dict) and "day" in sample and "code_generation_activity_count" in sample
    )


def flatten(path: Path) -> pd.DataFrame:
    rows = []
    for number, line in enumerate(read_jsonl(path), start=1):
        rows.append(_row(require(line, dict, f"line {number}")))
    return to_frame(rows, path, integers=(*COUNTS, *CLI_COUNTS), iso_timestamps=("day",))


def _row(line: dict[str, Any]) -> dict[str, Any]:
    cli = line.get("totals_by_cli")
    row = pick(line, (*FIELDS, *BREAKDOWNS)) | (
        pick({"totals_by_cli": cli}, CLI_COUNTS) if cli else {}
    )
    row[RECORD_DATE] = iso_date(row.get("day"))
    row[DROPPED_FIELDS] = dropped_fields(line, DROPPED)
    row[BREAKDOWN_MIN_COUNT] = _min_count(line)
    mapped = {*FIELDS, *(f"{name}.{key}" for name, keys in BREAKDOWNS.items() for key in COUNTS)}
    row[UNMAPPED_TEXT] = join_text(leftover_text(line, mapped))
    known = (*FIELDS, *BREAKDOWNS, *CLI_COUNTS)
    row[UNKNOWN_FIELDS] = join_fields(
        unknown_fields(line, known)
        + [
            f"{name}.{field}"
            for name, keys in BREAKDOWNS.items()
            for entry in line.get(name) or []
            if isinstance(entry, dict)
            for field in entry
            if field not in (*keys, *COUNTS)
        ]
    )
    return row


def _min_count(line: dict[str, Any]) -> int | float | None:
    values = [
        numeric(entry.get(count))
        for name in BREAKDOWNS
        for entry in line.get(name) or []
        if isinstance(entry, dict)
        for count in COUNTS
        if count in entry
    ]
    found = [value for value in values if value is not None]
    return min(found) if found else None


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "copilot_usage_metrics",
        checks.columns_present(REQUIRED),
        checks.not_null(REQUIRED),
        checks.matching(["day"], checks.DATE),
        checks.in_date_folder(),
        checks.counts((*COUNTS, *CLI_COUNTS)),
        checks.booleans(FLAGS),
        checks.at_least_zero([BREAKDOWN_MIN_COUNT]),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
