"""Gate for ``otel_genai_spans``: landed OTLP/JSON trace export, one span per row.

Row columns: the span fields ``traceId``, ``spanId``, ``name``, ``kind``,
``startTimeUnixNano``, ``status.code``; the resource attribute ``service.name``; and every
kept span attribute under its own key (``gen_ai.usage.input_tokens``, ``tpsp.team_id``, ...).
Attribute values are unwrapped from their OTLP ``{"stringValue"|"intValue"|...}`` object.
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
    TOKENS_PER_CALL,
    UNCACHED_INPUT_TOKENS,
    UNKNOWN_FIELDS,
    UNMAPPED_TEXT,
    as_int,
    join_fields,
    join_text,
    leftover_text,
    pick,
    read_jsonl,
    require,
    scalar,
    to_frame,
    uncached_input_tokens,
    unknown_fields,
    utc_date,
)

NATURAL_KEY = ("spanId",)

SPAN_FIELDS = ("traceId", "spanId", "name", "kind", "startTimeUnixNano", "status.code")
RESOURCE_ATTRIBUTES = ("service.name",)
TOKEN_ATTRIBUTES = (
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
)
SPAN_ATTRIBUTES = (
    "gen_ai.operation.name",
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.response.model",
    *TOKEN_ATTRIBUTES,
    "tpsp.duration_ms",
    "tpsp.artifact_key",
    "tpsp.team_id",
    "vcs.ref.head.name",
    "vcs.repository.url.full",
)
CACHED = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_creation.input_tokens")
FIELDS = (*SPAN_FIELDS, *RESOURCE_ATTRIBUTES, *SPAN_ATTRIBUTES)
DROPPED_SPAN_FIELDS = ("endTimeUnixNano",)
DROPPED_ATTRIBUTES = ("user.email", "vcs.change.id")

REQUIRED = (
    "traceId",
    "spanId",
    "name",
    "startTimeUnixNano",
    "service.name",
    "gen_ai.operation.name",
    "tpsp.duration_ms",
    "tpsp.team_id",
)
HASHED_FIELDS = ("traceId", "spanId", "vcs.ref.head.name", "vcs.repository.url.full")
KNOWN_SPAN_KEYS = (*SPAN_FIELDS, *DROPPED_SPAN_FIELDS, "attributes")


def looks_like(sample: object) -> bool:
    """An OTLP trace export: an object holding ``resourceSpans``."""
    return isinstance(sample, dict) and "resourceSpans" in sample


TEXT_FIELDS = (  # the string fields no format pattern already checks
    "name",
    "startTimeUnixNano",
    "service.name",
    "gen_ai.operation.name",
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.response.model",
)


def flatten(path: Path) -> pd.DataFrame:
    rows = []
    for number, export in enumerate(read_jsonl(path), start=1):
        export = require(export, dict, f"line {number}")
        resource_spans = require(export.get("resourceSpans"), list, f"line {number} resourceSpans")
        for resource_span in resource_spans:
            rows.extend(_resource_rows(require(resource_span, dict, "a resourceSpans item")))
    return to_frame(
        rows,
        path,
        integers=(*TOKEN_ATTRIBUTES, "tpsp.duration_ms"),
        unix_nanos=("startTimeUnixNano",),
    )


def _resource_rows(resource_span: dict[str, Any]) -> list[dict[str, Any]]:
    resource = require(resource_span.get("resource") or {}, dict, "resource")
    resource_attributes = _attributes(resource.get("attributes"))
    envelope_text = leftover_text(resource_span, {"resource", "scopeSpans"})
    envelope_text += leftover_text(resource, {"attributes"})
    envelope_text += leftover_text(resource_attributes, RESOURCE_ATTRIBUTES)
    rows = []
    for scope_span in require(resource_span.get("scopeSpans") or [], list, "scopeSpans"):
        scope_span = require(scope_span, dict, "a scopeSpans item")
        scope_text = envelope_text + leftover_text(scope_span, {"spans"})
        for span in require(scope_span.get("spans") or [], list, "spans"):
            rows.append(_row(require(span, dict, "a span"), resource_attributes, scope_text))
    return rows


def _row(span: dict[str, Any], resource: dict[str, Any], text: list[str]) -> dict[str, Any]:
    attributes = _attributes(span.get("attributes"))
    row = pick(span, SPAN_FIELDS)
    row |= {key: resource[key] for key in RESOURCE_ATTRIBUTES if key in resource}
    row |= {key: attributes[key] for key in SPAN_ATTRIBUTES if key in attributes}
    row[RECORD_DATE] = utc_date(row.get("startTimeUnixNano"), per_second=1_000_000_000)
    row[UNCACHED_INPUT_TOKENS] = uncached_input_tokens(row, "gen_ai.usage.input_tokens", *CACHED)
    call = [as_int(row.get(key)) for key in TOKEN_ATTRIBUTES[:2]]
    row[TOKENS_PER_CALL] = sum(call) if all(isinstance(value, int) for value in call) else None
    row[UNKNOWN_FIELDS] = join_fields(
        unknown_fields(span, KNOWN_SPAN_KEYS)
        + [
            f"attributes.{key}"
            for key in attributes
            if key not in SPAN_ATTRIBUTES and key not in DROPPED_ATTRIBUTES
        ]
    )
    dropped = [field for field in DROPPED_SPAN_FIELDS if span.get(field) is not None]
    dropped += [key for key in DROPPED_ATTRIBUTES if attributes.get(key) is not None]
    row[DROPPED_FIELDS] = ",".join(sorted(dropped)) or None
    row[UNMAPPED_TEXT] = join_text(
        text
        + leftover_text(span, {*SPAN_FIELDS, "attributes"})
        + leftover_text(attributes, SPAN_ATTRIBUTES)
    )
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
        "otel_genai_spans",
        checks.columns_present(REQUIRED),
        checks.not_null(REQUIRED),
        checks.strings(TEXT_FIELDS),
        checks.counts((*TOKEN_ATTRIBUTES, "tpsp.duration_ms")),
        checks.at_least_zero([UNCACHED_INPUT_TOKENS]),
        checks.unix_on_the_hour(["startTimeUnixNano"]),
        checks.in_date_folder(),
        checks.unique_in_file(NATURAL_KEY),
        checks.equal("name", "gen_ai.operation.name"),
        checks.matching(HASHED_FIELDS, checks.HASHED_ID),
        checks.matching(["tpsp.artifact_key"], checks.ARTIFACT_KEY),
        checks.matching(["tpsp.team_id"], checks.TEAM_ID),
        checks.nothing_dropped_left(),
        checks.no_pii(),
    )
