"""``otel_genai_spans``: OTLP/JSON trace exports of GenAI calls, one span per call.

Landed shape: the same ``resourceSpans[].scopeSpans[].spans[]`` nesting, one landed line per
raw line and UTC day, a single ``scopeSpans`` entry per resource (the scope is dropped), one
span per raw GenAI span (a span without ``gen_ai.operation.name`` carries no tokens and is left
out). Kept per span: ``traceId`` and ``spanId`` hashed, ``kind`` and ``status.code`` as OTLP
integers (``status.message`` dropped), ``startTimeUnixNano`` floored to the hour, ``name``
replaced by the operation name, and the allow-listed attributes below. ``tpsp.duration_ms``
replaces ``endTimeUnixNano``; ``tpsp.artifact_key`` replaces ``vcs.change.id`` (when the span
also names its repository); ``tpsp.team_id`` replaces the person (``user.email``). The
resource keeps only ``service.name``, and only when it is a workflow tag; any other service
name (or none) becomes ``other``.

A span exported twice (a retried batch) lands once: later copies of a ``spanId`` already
seen in the file are dropped.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import (
    artifact_pseudonym,
    id_pseudonym,
    normalize_pr_key,
    repo_from_url,
)
from tpsp.anonymize.io import dump_jsonl
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at, parse_json_documents
from tpsp.anonymize.records import (
    RecordError,
    as_count,
    as_int,
    as_list,
    as_mapping,
    as_text,
)
from tpsp.anonymize.timefloor import day_of_unix_nanos, floor_unix_nanos

FORMATS = ("jsonl", "json")

# The workflow tags of seeds/workflow_taxonomy.csv: the only service names that are landed.
WORKFLOW_TAGS = frozenset(
    {
        "agentic_coding",
        "chat",
        "code-review",
        "code_completion",
        "coding-agent",
        "completion",
        "doc_summary",
        "docs-summarizer",
        "embeddings",
        "execute_tool",
        "ide-chat",
        "invoke_agent",
        "other",
        "pr-review-bot",
        "review",
        "text_completion",
    }
)
OTHER = "other"

OPERATION = "gen_ai.operation.name"
STRING_ATTRIBUTES = (
    OPERATION,
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.response.model",
)
TOKEN_ATTRIBUTES = (
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
)
IDENTITY_ATTRIBUTES = ("user.email", "enduser.id", "user.id")
CHANGE_ID = "vcs.change.id"
HEAD_REF = "vcs.ref.head.name"
REPOSITORY_URL = "vcs.repository.url.full"
ARTIFACT_KEY = "tpsp.artifact_key"
TEAM_ID = "tpsp.team_id"
DURATION_MS = "tpsp.duration_ms"
SERVICE_NAME = "service.name"

# OTLP/JSON writes enums as integers; some exporters write their names instead.
SPAN_KINDS = {
    "SPAN_KIND_UNSPECIFIED": 0,
    "SPAN_KIND_INTERNAL": 1,
    "SPAN_KIND_SERVER": 2,
    "SPAN_KIND_CLIENT": 3,
    "SPAN_KIND_PRODUCER": 4,
    "SPAN_KIND_CONSUMER": 5,
}
STATUS_CODES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}

CONSTANTS = frozenset(
    {
        *WORKFLOW_TAGS,
        OTHER,
        *STRING_ATTRIBUTES,
        *TOKEN_ATTRIBUTES,
        HEAD_REF,
        REPOSITORY_URL,
        ARTIFACT_KEY,
        TEAM_ID,
        DURATION_MS,
        SERVICE_NAME,
    }
)

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
_SPAN = "resourceSpans[].scopeSpans[].spans[]"
LANDED_FIELDS = frozenset(
    {
        f"resourceSpans[].resource.attributes[{SERVICE_NAME}]",
        *(f"{_SPAN}.{field}" for field in ("traceId", "spanId", "name", "kind")),
        *(f"{_SPAN}.{field}" for field in ("startTimeUnixNano", "status.code")),
        *(
            f"{_SPAN}.attributes[{key}]"
            for key in (
                *STRING_ATTRIBUTES,
                *TOKEN_ATTRIBUTES,
                *(REPOSITORY_URL, ARTIFACT_KEY, HEAD_REF, TEAM_ID, DURATION_MS),
            )
        ),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_jsonl(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    """Spans of the day."""
    return sum(
        len(scope["spans"])
        for line in content
        for resource in line["resourceSpans"]
        for scope in resource["scopeSpans"]
    )


def _attribute_values(raw: Any, what: str) -> dict[str, Any]:
    """OTLP ``[{"key", "value": {"stringValue"|"intValue"|...}}]`` as ``{key: value}``."""
    values: dict[str, Any] = {}
    for item in as_list(raw if raw is not None else [], what):
        item = as_mapping(item, what)
        key = item.get("key")
        value = item.get("value")
        if not isinstance(key, str) or not isinstance(value, Mapping):
            raise RecordError(f"{what} holds an entry without key or value")
        for field in ("stringValue", "intValue", "doubleValue", "boolValue"):
            if field in value:
                values[key] = value[field]
                break
    return values


def _string(key: str, value: str) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": value}}


def _int(key: str, value: int) -> dict[str, Any]:
    return {"key": key, "value": {"intValue": str(value)}}


def _workflow_tag(service_name: Any) -> str:
    if isinstance(service_name, str) and service_name.strip().lower() in WORKFLOW_TAGS:
        return service_name.strip().lower()
    return OTHER


def _identity(span_attrs: dict[str, Any], resource_attrs: dict[str, Any]) -> str | None:
    for attrs in (span_attrs, resource_attrs):
        for key in IDENTITY_ATTRIBUTES:
            value = attrs.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _vcs_value(key: str, span_attrs: dict[str, Any], resource_attrs: dict[str, Any]) -> Any:
    value = span_attrs.get(key)
    return value if value is not None else resource_attrs.get(key)


def _attributes(
    attrs: dict[str, Any], resource_attrs: dict[str, Any], ctx: KindContext
) -> list[dict[str, Any]]:
    """The allow-listed span attributes, VCS ones hashed, plus the team pseudonym."""
    kept: list[dict[str, Any]] = []
    for key in STRING_ATTRIBUTES:
        if attrs.get(key) is not None:
            kept.append(_string(key, as_text(attrs[key], key)))
    for key in TOKEN_ATTRIBUTES:
        if attrs.get(key) is not None:
            kept.append(_int(key, as_int(attrs[key], key)))

    repo_url = _vcs_value(REPOSITORY_URL, attrs, resource_attrs)
    repo = None
    if repo_url is not None:
        try:
            repo = repo_from_url(as_text(repo_url, REPOSITORY_URL))
        except ValueError as exc:
            raise RecordError(f"{REPOSITORY_URL}: {exc}") from exc
        kept.append(_string(REPOSITORY_URL, id_pseudonym(ctx.secret, repo)))
    change = _vcs_value(CHANGE_ID, attrs, resource_attrs)
    if change is not None and repo is not None:
        try:
            key = normalize_pr_key(repo, change)
        except ValueError as exc:
            raise RecordError(f"{CHANGE_ID}: {exc}") from exc
        kept.append(_string(ARTIFACT_KEY, artifact_pseudonym(ctx.secret, key)))
    head_ref = _vcs_value(HEAD_REF, attrs, resource_attrs)
    if head_ref is not None:
        kept.append(_string(HEAD_REF, id_pseudonym(ctx.secret, as_text(head_ref, HEAD_REF))))

    identity = _identity(attrs, resource_attrs)
    kept.append(_string(TEAM_ID, ctx.teams.for_identity(identity)))
    return kept


def _span(
    span: Mapping[str, Any], resource_attrs: dict[str, Any], ctx: KindContext
) -> tuple[date, dict[str, Any]] | None:
    """The landed span and its day; None for a span that is not a GenAI operation."""
    attrs = _attribute_values(span.get("attributes"), "attributes")
    if attrs.get(OPERATION) is None:
        return None
    operation = as_text(attrs[OPERATION], OPERATION)
    start = as_count(span.get("startTimeUnixNano"), "startTimeUnixNano")
    end = as_count(span.get("endTimeUnixNano"), "endTimeUnixNano")
    if end < start:
        raise RecordError("endTimeUnixNano is before startTimeUnixNano")
    attributes = _attributes(attrs, resource_attrs, ctx)
    attributes.append(_int(DURATION_MS, (end - start) // 1_000_000))
    attributes.sort(key=lambda attribute: attribute["key"])
    floored = floor_unix_nanos(start)
    landed: dict[str, Any] = {
        "traceId": id_pseudonym(ctx.secret, as_text(span.get("traceId"), "traceId")),
        "spanId": id_pseudonym(ctx.secret, as_text(span.get("spanId"), "spanId")),
        "name": operation,
        "startTimeUnixNano": str(floored),
        "attributes": attributes,
    }
    kind = _enum(span.get("kind"), SPAN_KINDS)
    if kind is not None:
        landed["kind"] = kind
    status = span.get("status")
    if isinstance(status, Mapping):
        code = _enum(status.get("code"), STATUS_CODES)
        landed["status"] = {"code": code} if code is not None else {}
    return day_of_unix_nanos(floored), landed


def _enum(value: Any, names: dict[str, int]) -> int | None:
    """An OTLP enum as its integer; an unknown name or type is dropped."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return names.get(value) if isinstance(value, str) else None


def _resource_spans(
    resource_spans: Any, ctx: KindContext, seen: set[str]
) -> tuple[dict[date, dict[str, Any]], int, int]:
    """One landed ``resourceSpans`` entry per day for one raw entry, its span count and the
    number of spans dropped as already seen."""
    resource_spans = as_mapping(resource_spans, "resourceSpans entry")
    resource = resource_spans.get("resource") or {}
    resource_attrs = _attribute_values(
        as_mapping(resource, "resource").get("attributes"), "resource.attributes"
    )
    spans_by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    count = duplicates = 0
    for s, scope_spans in enumerate(as_list(resource_spans.get("scopeSpans", []), "scopeSpans")):
        spans = as_mapping(scope_spans, "scopeSpans entry").get("spans", [])
        for p, span in enumerate(as_list(spans, "spans")):
            count += 1
            with at(f"scopeSpans[{s}].spans[{p}]"):
                kept = _span(as_mapping(span, "span"), resource_attrs, ctx)
            if kept is None:
                continue
            day, landed = kept
            if landed["spanId"] in seen:
                duplicates += 1
                continue
            seen.add(landed["spanId"])
            spans_by_day[day].append(landed)
    resource_out = {
        "attributes": [_string(SERVICE_NAME, _workflow_tag(resource_attrs.get(SERVICE_NAME)))]
    }
    landed_days = {
        day: {"resource": resource_out, "scopeSpans": [{"spans": spans}]}
        for day, spans in spans_by_day.items()
    }
    return landed_days, count, duplicates


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    rows_in = rows_out = duplicates = 0
    seen: set[str] = set()  # span pseudonyms already landed from this file
    for line, document in enumerate(documents, start=1):
        by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
        with at(f"object {line}"):
            entries = as_list(as_mapping(document, "export").get("resourceSpans"), "resourceSpans")
            for r, entry in enumerate(entries):
                with at(f"resourceSpans[{r}]"):
                    landed_days, count, dropped = _resource_spans(entry, ctx, seen)
                rows_in += count
                duplicates += dropped
                for day, landed in landed_days.items():
                    by_day[day].append(landed)
                    rows_out += len(landed["scopeSpans"][0]["spans"])
        for day in sorted(by_day):
            days[day].append({"resourceSpans": by_day[day]})
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=rows_out, duplicates=duplicates)
