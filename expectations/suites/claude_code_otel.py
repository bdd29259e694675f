"""Gate for ``claude_code_otel``: landed OTLP/JSON metrics, one data point per row.

Row columns: the metric's ``name``, ``unit`` and ``sum.aggregationTemporality``; the data
point's ``startTimeUnixNano``, ``timeUnixNano`` and ``value`` (``asInt`` or ``asDouble``); its
attributes under their own keys (``session.id``, ``model``, ``type``, ``tpsp.team_id``); and
the resource attribute ``service.name``.
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
    join_fields,
    join_text,
    leftover_text,
    read_jsonl,
    require,
    scalar,
    to_frame,
    unknown_fields,
    utc_date,
)

NATURAL_KEY = ("name", "session.id", "model", "type", "tpsp.team_id", "timeUnixNano")
METRICS = (
    "claude_code.token.usage",
    "claude_code.cost.usage",
    "claude_code.session.count",
    "claude_code.commit.count",
    "claude_code.pull_request.count",
    "claude_code.lines_of_code.count",
)
TYPES = ("input", "output", "cacheRead", "cacheCreation", "added", "removed")
TIMES = ("startTimeUnixNano", "timeUnixNano")
ATTRIBUTES = ("session.id", "model", "type", "tpsp.team_id")
DROPPED_ATTRIBUTES = ("user.email", "user.account_uuid", "user.id", "organization.id")
FIELDS = ("name", "unit", "temporality", *TIMES, "value", *ATTRIBUTES, "service.name")
REQUIRED = ("name", "temporality", *TIMES, "value", "tpsp.team_id", "service.name")
TEXT_FIELDS = ("name", "unit", "model", "type", "service.name")
# A Claude Code session cannot read or write this many tokens in one hour.
MAX_TOKENS_PER_SESSION_HOUR = 1_000_000_000
TOKEN_USAGE = "claude_code.token.usage"
COST_USAGE = "claude_code.cost.usage"
TOKEN_VALUE = "_token_value"  # the value of token.usage points: whole tokens
MODEL_OF_USAGE = "_model_of_usage"  # token and cost points name their model
KNOWN_POINT_KEYS = ("attributes", *TIMES, "asInt", "asDouble")
KNOWN_METRIC_KEYS = ("name", "unit", "description", "sum")


def looks_like(sample: object) -> bool:
    """An OTLP metrics export: an object holding ``resourceMetrics``."""
    return isinstance(sample, dict) and "resourceMetrics" in sample


def flatten(path: Path) -> pd.DataFrame:
    rows = []
    for number, export in enumerate(read_jsonl(path), start=1):
        export = require(export, dict, f"line {number}")
        entries = require(export.get("resourceMetrics"), list, f"line {number} resourceMetrics")
        for entry in entries:
            rows.extend(_resource_rows(require(entry, dict, "a resourceMetrics item")))
    return to_frame(
        rows,
        path,
        numbers=("value",),
        integers=(TOKEN_VALUE,),
        unix_nanos=TIMES,
    )


def _resource_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    resource = require(entry.get("resource") or {}, dict, "resource")
    resource_attributes = _attributes(resource.get("attributes"))
    text = leftover_text(resource_attributes, {"service.name"})
    rows = []
    for scope in require(entry.get("scopeMetrics") or [], list, "scopeMetrics"):
        scope = require(scope, dict, "a scopeMetrics item")
        for metric in require(scope.get("metrics") or [], list, "metrics"):
            metric = require(metric, dict, "a metric")
            data = require(metric.get("sum"), dict, "sum")
            for point in require(data.get("dataPoints") or [], list, "sum.dataPoints"):
                point = require(point, dict, "a data point")
                row = _row(metric, data, point, text)
                row["service.name"] = resource_attributes.get("service.name")
                rows.append(row)
    return rows


def _row(metric: dict, data: dict, point: dict, text: list[str]) -> dict[str, Any]:
    attributes = _attributes(point.get("attributes"))
    row: dict[str, Any] = {
        "name": metric.get("name"),
        "unit": metric.get("unit"),
        "temporality": data.get("aggregationTemporality"),
        "value": point.get("asInt", point.get("asDouble")),
    }
    row |= {key: point[key] for key in TIMES if key in point}
    row |= {key: attributes[key] for key in ATTRIBUTES if key in attributes}
    usage = row["name"] in (TOKEN_USAGE, COST_USAGE)
    row[TOKEN_VALUE] = row["value"] if row["name"] == TOKEN_USAGE else None
    row[MODEL_OF_USAGE] = attributes.get("model") if usage else "n/a"
    row[RECORD_DATE] = utc_date(row.get("timeUnixNano"), per_second=1_000_000_000)
    dropped = [key for key in DROPPED_ATTRIBUTES if attributes.get(key) is not None]
    row[DROPPED_FIELDS] = ",".join(sorted(dropped)) or None
    row[UNMAPPED_TEXT] = join_text(text + leftover_text(attributes, ATTRIBUTES))
    unknown = unknown_fields(point, KNOWN_POINT_KEYS) + unknown_fields(metric, KNOWN_METRIC_KEYS)
    unknown += [
        f"attributes.{key}"
        for key in attributes
        if key not in ATTRIBUTES and key not in DROPPED_ATTRIBUTES
    ]
    row[UNKNOWN_FIELDS] = join_fields(unknown)
    return row


def _attributes(attributes: Any) -> dict[str, Any]:
    """OTLP ``[{"key", "value": {"<type>Value": v}}]`` as ``{key: v}``."""
    unwrapped = {}
    for attribute in require(attributes or [], list, "attributes"):
        attribute = require(attribute, dict, "an attribute")
        value = attribute.get("value")
        if isinstance(value, dict) and len(value) == 1:
            (value,) = value.values()
        unwrapped[str(attribute.get("key"))] = scalar(value)
    return unwrapped


def build_suite() -> gx.ExpectationSuite:
    return checks.suite(
        "claude_code_otel",
        checks.columns_present(REQUIRED),
        checks.not_null(REQUIRED),
        checks.strings(TEXT_FIELDS),
        checks.one_of(["name"], METRICS),
        checks.one_of(["type"], TYPES),
        checks.one_of(["temporality"], [1]),
        checks.amounts(["value"]),
        checks.of_type([TOKEN_VALUE], "int"),
        [
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=TOKEN_VALUE, max_value=MAX_TOKENS_PER_SESSION_HOUR
            ),
        ],
        checks.not_null([MODEL_OF_USAGE]),
        checks.unix_on_the_hour(TIMES),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.matching(["session.id"], checks.HASHED_ID),
        checks.matching(["tpsp.team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
