"""``claude_code_otel``: Claude Code's OpenTelemetry metrics as OTLP/JSON, as an OpenTelemetry
Collector's file exporter writes them: one ``{"resourceMetrics": [...]}`` object per line.

Claude Code (``CLAUDE_CODE_ENABLE_TELEMETRY=1``, ``OTEL_METRICS_EXPORTER=otlp``) exports Sum
metrics under ``resourceMetrics[].scopeMetrics[].metrics[]`` with their ``sum.dataPoints``:
``claude_code.token.usage`` (attributes ``type`` = ``input``, ``output``, ``cacheRead`` or
``cacheCreation``, and ``model``; ``input`` excludes cached tokens), ``claude_code.cost.usage``
(USD, ``model``), ``claude_code.session.count``, ``claude_code.commit.count``,
``claude_code.pull_request.count`` and ``claude_code.lines_of_code.count`` (``type`` =
``added`` or ``removed``); every data point carries the standard attributes ``session.id``,
``user.account_uuid``, ``user.id``, ``organization.id``, ``terminal.type``, ``app.version``
and, for OAuth users, ``user.email``. Values are ``asInt`` (a JSON string: OTLP/JSON writes
64-bit integers as strings) or ``asDouble``; timestamps are Unix nanoseconds as strings;
temporality is delta (Claude Code's default) or cumulative, both read.

Landed shape: the same OTLP nesting, one line per UTC day, one ``resourceMetrics`` holding
the kept metrics; each data point is the sum of one metric per session, model, ``type``, team
and UTC hour, as a delta with ``startTimeUnixNano`` = ``timeUnixNano`` = the hour. Data point
attributes kept: ``session.id`` hashed (``h_``), ``model``, ``type`` and the added
``tpsp.team_id`` (from ``user.email``, else ``user.account_uuid``, else ``user.id``). Other
attributes and resource attributes are dropped, ``service.name`` excepted. A data point
exported twice (same series and times, in one file or several) counts once; the kind merges
its files (collectors rotate them mid-hour) and lands ``claude_code_otel.jsonl`` per day.
Metrics Claude Code documents but tpsp does not use (``code_edit_tool.decision``,
``active_time.total``) are dropped; unknown metric names are reported.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import dump_jsonl
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at, parse_json_documents
from tpsp.anonymize.records import RecordError, as_count, as_int, as_list, as_mapping
from tpsp.anonymize.timefloor import NANOS_PER_HOUR, day_of_unix_nanos

FORMATS = ("jsonl", "json")
MERGES_FILES = True

TOKEN_USAGE = "claude_code.token.usage"
COST_USAGE = "claude_code.cost.usage"
KEPT_METRICS = {
    TOKEN_USAGE: "tokens",
    COST_USAGE: "USD",
    "claude_code.session.count": "count",
    "claude_code.commit.count": "count",
    "claude_code.pull_request.count": "count",
    "claude_code.lines_of_code.count": "count",
}
KNOWN_METRICS = frozenset(
    {*KEPT_METRICS, "claude_code.code_edit_tool.decision", "claude_code.active_time.total"}
)
SESSION_ID = "session.id"
TEAM_ID = "tpsp.team_id"
IDENTITY_ATTRIBUTES = ("user.email", "user.account_uuid", "user.id")
SERVICE_NAME = "service.name"
SERVICE = "claude-code"
SCOPE = "com.anthropic.claude_code"
DELTA, CUMULATIVE = 1, 2
TEMPORALITIES = {
    "AGGREGATION_TEMPORALITY_DELTA": DELTA,
    "AGGREGATION_TEMPORALITY_CUMULATIVE": CUMULATIVE,
}
CONSTANTS = frozenset(
    {
        *KEPT_METRICS,
        *KEPT_METRICS.values(),
        *("input", "output", "cacheRead", "cacheCreation", "added", "removed"),
        SESSION_ID,
        TEAM_ID,
        SERVICE_NAME,
        SERVICE,
        SCOPE,
        "model",
        "type",
    }
)

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
_METRIC = "resourceMetrics[].scopeMetrics[].metrics[]"
_POINT = f"{_METRIC}.sum.dataPoints[]"
LANDED_FIELDS = frozenset(
    {
        f"resourceMetrics[].resource.attributes[{SERVICE_NAME}]",
        "resourceMetrics[].scopeMetrics[].scope.name",
        *(f"{_METRIC}.{field}" for field in ("name", "unit")),
        *(f"{_METRIC}.sum.{field}" for field in ("aggregationTemporality", "isMonotonic")),
        *(f"{_POINT}.{field}" for field in ("startTimeUnixNano", "timeUnixNano")),
        *(f"{_POINT}.{field}" for field in ("asInt", "asDouble")),
        *(f"{_POINT}.attributes[{key}]" for key in (TEAM_ID, SESSION_ID, "model", "type")),
    }
)

# metric, hashed session, model, type, team, hour in Unix nanoseconds
GroupKey = tuple[str, str | None, str | None, str | None, str, int]


@dataclass
class _Partial:
    groups: dict[GroupKey, Decimal] = field(default_factory=dict)
    # cumulative points: (series, start) -> time -> (group key without hour, value)
    cumulative: dict[tuple[int, int], dict[int, tuple[tuple, Decimal]]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_jsonl(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    """Data points of the day: one per metric, session, model, type, team and hour."""
    return sum(
        len(metric["sum"]["dataPoints"])
        for line in content
        for resource in line["resourceMetrics"]
        for scope in resource["scopeMetrics"]
        for metric in scope["metrics"]
    )


def attribute_values(raw: Any, what: str) -> dict[str, Any]:
    """OTLP ``[{"key", "value": {"stringValue"|"intValue"|...}}]`` as ``{key: value}``."""
    values: dict[str, Any] = {}
    for item in as_list(raw if raw is not None else [], what):
        item = as_mapping(item, what)
        key, value = item.get("key"), item.get("value")
        if not isinstance(key, str) or not isinstance(value, Mapping):
            raise RecordError(f"{what} holds an entry without key or value")
        for kind in ("stringValue", "intValue", "doubleValue", "boolValue"):
            if kind in value:
                values[key] = value[kind]
                break
    return values


def _value(point: Mapping[str, Any], metric: str) -> Decimal:
    if "asInt" in point:
        return Decimal(as_int(point["asInt"], "asInt"))
    value = point.get("asDouble")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError("a data point has neither asInt nor asDouble")
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise RecordError("asDouble is not a number") from exc
    if not number.is_finite():
        raise RecordError("asDouble is not a finite number")
    if metric != COST_USAGE and number != number.to_integral_value():
        raise RecordError(f"{metric} is not a whole number")
    return number


def _temporality(value: Any) -> int:
    if isinstance(value, str):
        value = TEMPORALITIES.get(value)
    if value not in (DELTA, CUMULATIVE):
        raise RecordError("sum.aggregationTemporality is neither delta nor cumulative")
    return value


def _text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{what} is not text")
    return value


def _digest(*parts: object) -> int:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _points(
    metric: Mapping[str, Any], resource: dict[str, Any], ctx: KindContext
) -> Iterable[tuple[tuple, int, int, int, Decimal, int]]:
    """(group key without hour, series digest, start, time, value, temporality) per point."""
    name = metric["name"]
    data = as_mapping(metric.get("sum"), "sum")
    temporality = _temporality(data.get("aggregationTemporality"))
    for d, point in enumerate(as_list(data.get("dataPoints", []), "sum.dataPoints")):
        with at(f"dataPoints[{d}]"):
            point = as_mapping(point, "data point")
            attrs = attribute_values(point.get("attributes"), "attributes")
            session = _text(attrs.get(SESSION_ID), SESSION_ID)
            identity = next(
                (
                    value
                    for source in (attrs, resource)
                    for key in IDENTITY_ATTRIBUTES
                    if isinstance(value := source.get(key), str) and value.strip()
                ),
                None,
            )
            key = (
                name,
                id_pseudonym(ctx.secret, session) if session else None,
                _text(attrs.get("model"), "model"),
                _text(attrs.get("type"), "type"),
                ctx.teams.for_identity(identity),
            )
            start = as_count(point.get("startTimeUnixNano", 0), "startTimeUnixNano")
            time = as_count(point.get("timeUnixNano"), "timeUnixNano")
            series = _digest(*key[:4], identity)
            yield key, series, start, time, _value(point, name), temporality


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    seen: set[int] = ctx.shared.setdefault("points", set())
    landed: set[int] = set()
    partial = _Partial()
    rows_in = duplicates = 0
    for line, document in enumerate(documents, start=1):
        with at(f"object {line}"):
            export = as_mapping(document, "export")
            for r, resource_metrics in enumerate(
                as_list(export.get("resourceMetrics"), "resourceMetrics")
            ):
                with at(f"resourceMetrics[{r}]"):
                    resource_metrics = as_mapping(resource_metrics, "resourceMetrics entry")
                    resource = as_mapping(resource_metrics.get("resource") or {}, "resource")
                    resource_attrs = attribute_values(resource.get("attributes"), "resource")
                    scopes = as_list(resource_metrics.get("scopeMetrics", []), "scopeMetrics")
                    for s, scope in enumerate(scopes):
                        metrics = as_mapping(scope, "scopeMetrics entry").get("metrics", [])
                        for m, metric in enumerate(as_list(metrics, "metrics")):
                            with at(f"scopeMetrics[{s}].metrics[{m}]"):
                                metric = as_mapping(metric, "metric")
                                name = metric.get("name")
                                if name not in KNOWN_METRICS:
                                    ctx.unknown_fields.add(f"metric {name}")
                                    continue
                                if name not in KEPT_METRICS:
                                    continue
                                for key, series, start, time, value, temporality in _points(
                                    metric, resource_attrs, ctx
                                ):
                                    rows_in += 1
                                    if temporality == CUMULATIVE:
                                        partial.cumulative[(series, start)][time] = (key, value)
                                        continue
                                    point = _digest(series, start, time)
                                    if point in seen or point in landed:
                                        duplicates += 1
                                        continue
                                    landed.add(point)
                                    hour = time - time % NANOS_PER_HOUR
                                    group = (*key, hour)
                                    partial.groups[group] = partial.groups.get(group, 0) + value
    seen |= landed
    return KindOutput(days={}, rows_in=rows_in, rows_out=0, duplicates=duplicates, partial=partial)


def _add_cumulative(
    groups: dict[GroupKey, Decimal],
    cumulative: dict[tuple[int, int], dict[int, tuple[tuple, Decimal]]],
) -> None:
    """Cumulative points become deltas: each point's value minus the series' previous one
    (the first point of a series counts from its start; a drop is a counter reset)."""
    for points in cumulative.values():
        previous = Decimal(0)
        for time in sorted(points):
            key, value = points[time]
            delta = value - previous if value >= previous else value
            previous = value
            hour = time - time % NANOS_PER_HOUR
            group = (*key, hour)
            groups[group] = groups.get(group, 0) + delta


def _attribute(key: str, value: str) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": value}}


def _data_point(key: GroupKey, value: Decimal) -> dict[str, Any]:
    metric, session, model, type_, team, hour = key
    attributes = [_attribute(TEAM_ID, team)]
    for name, text in (("model", model), (SESSION_ID, session), ("type", type_)):
        if text is not None:
            attributes.append(_attribute(name, text))
    attributes.sort(key=lambda item: item["key"])
    point: dict[str, Any] = {
        "attributes": attributes,
        "startTimeUnixNano": str(hour),
        "timeUnixNano": str(hour),
    }
    if metric == COST_USAGE:
        point["asDouble"] = float(value)
    else:
        point["asInt"] = str(int(value))
    return point


def merge(outputs: list[KindOutput]) -> KindOutput:
    groups: dict[GroupKey, Decimal] = {}
    cumulative: dict[tuple[int, int], dict[int, tuple[tuple, Decimal]]] = defaultdict(dict)
    for output in outputs:
        partial: _Partial = output.partial
        for key, value in partial.groups.items():
            groups[key] = groups.get(key, 0) + value
        for series, points in partial.cumulative.items():
            cumulative[series].update(points)
    _add_cumulative(groups, cumulative)
    by_day: dict[date, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    ordered = sorted(groups, key=lambda key: (key[5], key[0], *(str(part) for part in key[1:5])))
    for key in ordered:
        by_day[day_of_unix_nanos(key[5])][key[0]].append(_data_point(key, groups[key]))
    days = {
        day: [
            {
                "resourceMetrics": [
                    {
                        "resource": {"attributes": [_attribute(SERVICE_NAME, SERVICE)]},
                        "scopeMetrics": [
                            {
                                "scope": {"name": SCOPE},
                                "metrics": [
                                    {
                                        "name": name,
                                        "unit": KEPT_METRICS[name],
                                        "sum": {
                                            "aggregationTemporality": DELTA,
                                            "isMonotonic": True,
                                            "dataPoints": metrics[name],
                                        },
                                    }
                                    for name in sorted(metrics)
                                ],
                            }
                        ],
                    }
                ]
            }
        ]
        for day, metrics in by_day.items()
    }
    return KindOutput(
        days=days,
        rows_in=sum(output.rows_in for output in outputs),
        rows_out=len(groups),
        duplicates=sum(output.duplicates for output in outputs),
    )
