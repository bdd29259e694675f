"""Gate for ``claude_code_analytics``: landed Claude Code Analytics API pages, one row per
team-level record and model.

Row columns: the record's fields as dotted paths (``actor.type``,
``core_metrics.lines_of_code.added``, ``tool_actions.edit_tool.accepted``) and, for each
entry of ``model_breakdown``, ``model``, ``tokens.*`` and ``estimated_cost.*``; a record without
a model breakdown is one row with those columns null.
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
    to_frame,
    unknown_fields,
)
from tpsp.anonymize.kinds.claude_code_analytics import CORE_COUNTS as LANDED_CORE_COUNTS
from tpsp.anonymize.kinds.claude_code_analytics import DECISIONS, TOKENS, TOOLS

NATURAL_KEY = ("date", "team_id", "actor.type", "customer_type", "model", "estimated_cost.currency")

# the landed fields are the anonymizer's: one definition for both sides of the landing
CORE_COUNTS = tuple(f"core_metrics.{field}" for field in LANDED_CORE_COUNTS)
TOOL_COUNTS = tuple(f"tool_actions.{tool}.{decision}" for tool in TOOLS for decision in DECISIONS)
TOKEN_FIELDS = tuple(f"tokens.{name}" for name in TOKENS)
RECORD_FIELDS = ("date", "actor.type", "team_id", "customer_type", *CORE_COUNTS, *TOOL_COUNTS)
MODEL_FIELDS = ("model", *TOKEN_FIELDS, "estimated_cost.currency", "estimated_cost.amount")
DROPPED = (
    "actor.email_address",
    "actor.api_key_name",
    "organization_id",
    "subscription_type",
    "terminal_type",
)
REQUIRED = ("date", "actor.type", "team_id", *CORE_COUNTS)
PAGE_KEYS = ("data", "has_more", "next_page")
ACTOR_TYPES = ("api_actor", "user_actor")
CUSTOMER_TYPES = ("api", "subscription")


def looks_like(sample: Any) -> bool:
    """A page whose records carry Claude Code's ``core_metrics``."""
    if not isinstance(sample, dict) or not isinstance(sample.get("data"), list):
        return False
    return all(isinstance(r, dict) and "core_metrics" in r for r in sample["data"][:1])


def flatten(path: Path) -> pd.DataFrame:
    page = require(read_json(path), dict, "the page")
    page_text = leftover_text(page, {"data"})
    page_unknown = unknown_fields(page, PAGE_KEYS)
    rows = []
    for record in require(page.get("data"), list, "data"):
        record = require(record, dict, "a record")
        models = require(record.get("model_breakdown") or [{}], list, "model_breakdown")
        for model in models:
            rows.append(_row(record, require(model, dict, "a model breakdown"), page_text))
            rows[-1][UNKNOWN_FIELDS] = join_fields(
                page_unknown
                + unknown_fields(record, (*RECORD_FIELDS, *DROPPED, "model_breakdown"), "data.")
                + unknown_fields(model, MODEL_FIELDS, "data.model_breakdown.")
            )
    return to_frame(
        rows,
        path,
        integers=(*CORE_COUNTS, *TOOL_COUNTS, *TOKEN_FIELDS),
        numbers=("estimated_cost.amount",),
        iso_timestamps=("date",),
    )


def _row(record: dict[str, Any], model: dict[str, Any], text: list[str]) -> dict[str, Any]:
    row = pick(record, RECORD_FIELDS) | pick(model, MODEL_FIELDS)
    row[RECORD_DATE] = iso_date(row.get("date"))
    row[DROPPED_FIELDS] = dropped_fields(record, DROPPED)
    row[UNMAPPED_TEXT] = join_text(
        text
        + leftover_text(record, {*RECORD_FIELDS, "model_breakdown"})
        + leftover_text(model, MODEL_FIELDS)
    )
    return row


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "claude_code_analytics",
        checks.columns_present((*REQUIRED, "customer_type")),
        checks.not_null(REQUIRED),
        checks.matching(["date"], checks.DATE),
        checks.in_date_folder(),
        checks.one_of(["actor.type"], ACTOR_TYPES),
        checks.one_of(["customer_type"], CUSTOMER_TYPES),
        checks.strings(("model", "estimated_cost.currency")),
        checks.counts((*CORE_COUNTS, *TOOL_COUNTS, *TOKEN_FIELDS)),
        checks.amounts(("estimated_cost.amount",)),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
