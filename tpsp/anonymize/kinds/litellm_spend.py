"""``litellm_spend``: a LiteLLM proxy's spend log (the ``LiteLLM_SpendLogs`` table) as CSV,
e.g. ``\\copy (select * from "LiteLLM_SpendLogs" where ...) to 'spend.csv' csv header``.

One row per proxied request: ``request_id, call_type, api_key, spend, total_tokens,
prompt_tokens, completion_tokens, startTime, endTime, completionStartTime, model, model_id,
model_group, custom_llm_provider, api_base, user, metadata, cache_hit, cache_key,
request_tags, team_id, organization_id, end_user, requester_ip_address, messages, response,
session_id, status, ...``. Timestamps are UTC (``2026-03-02 10:15:03.123`` as Postgres writes a
``timestamp(3)``, or ISO 8601); ``cache_hit`` is ``True``/``False`` (or ``t``/``f``);
``request_tags`` is a JSON array; ``metadata`` is JSON whose ``usage_object`` carries the
provider's cache counts (``prompt_tokens_details.cached_tokens``,
``cache_read_input_tokens``, ``cache_creation_input_tokens``).

Token semantics: LiteLLM's ``prompt_tokens`` follows OpenAI's convention and *includes* the
cached (cache-read) prompt tokens, for Anthropic models too (LiteLLM adds
``cache_read_input_tokens`` to Anthropic's ``input_tokens``), while cache-creation tokens
stay outside it. Staging subtracts cache reads only. Without a ``metadata`` column the cache
counts are unknown and land as 0.

Landed shape: per-request rows never leave the firm. Requests are summed per UTC hour of
``startTime``, team, provider, model, status, ``cache_hit`` and workflow tag into a CSV per
day with the columns below; ``max_request_tokens`` keeps the largest single request so the
gates can still check a per-call plausibility bound. Requests are de-duplicated on
``request_id`` across all spend-log files of the run (exports of overlapping periods), so the
kind merges its files and lands ``litellm_spend.csv`` per day. The person is ``user`` (else
``end_user``); messages, responses, keys, IP addresses and metadata are dropped.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from tpsp.anonymize.io import dump_csv, iter_csv
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at
from tpsp.anonymize.kinds.otel_genai_spans import WORKFLOW_TAGS
from tpsp.anonymize.records import RecordError, as_int, dig
from tpsp.anonymize.timefloor import floor_iso, format_iso_z

FORMATS = ("csv",)
MERGES_FILES = True
REQUIRED = ("request_id", "startTime", "model", "prompt_tokens", "completion_tokens", "spend")
COUNTS = (
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
)
COLUMNS = (
    "startTime",
    "team_id",
    "custom_llm_provider",
    "model",
    "status",
    "cache_hit",
    "workflow_tag",
    *COUNTS,
    "max_request_tokens",
    "spend",
)
STATUSES = frozenset({"success", "failure"})
OTHER = "other"
CONSTANTS = STATUSES | {OTHER, "true", "false"}

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(COLUMNS)

KNOWN_FIELDS = frozenset(
    {
        *("request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens"),
        *("completion_tokens", "startTime", "endTime", "completionStartTime", "model"),
        *("model_id", "model_group", "custom_llm_provider", "api_base", "user", "metadata"),
        *("cache_hit", "cache_key", "request_tags", "team_id", "organization_id"),
        *("end_user", "requester_ip_address", "messages", "response", "session_id"),
        *("status", "mcp_namespaced_tool_name", "agent_id", "proxy_server_request"),
    }
)
_TRUE = frozenset({"true", "t", "1", "yes"})
_FALSE = frozenset({"false", "f", "0", "no", ""})

# hour, team, provider, model, status, cache hit, workflow tag
GroupKey = tuple[str, str, str, str, str, bool, str]


class _Sums:
    __slots__ = ("counts", "max_request_tokens", "spend")

    def __init__(self) -> None:
        self.counts = [0] * len(COUNTS)
        self.max_request_tokens = 0
        self.spend = Decimal(0)

    def add(self, other: "_Sums") -> None:
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.max_request_tokens = max(self.max_request_tokens, other.max_request_tokens)
        self.spend += other.spend


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return iter_csv(handle, REQUIRED)


def serialize(content: list[dict[str, str]]) -> bytes:
    return dump_csv(COLUMNS, [[row[column] for column in COLUMNS] for row in content])


def count_rows(content: list[dict[str, str]]) -> int:
    return len(content)


def _count(row: Mapping[str, str], column: str) -> int:
    value = (row.get(column) or "").strip()
    return as_int(value, column) if value else 0


def _spend(value: str) -> Decimal:
    try:
        spend = Decimal(value.strip() or "0")
    except InvalidOperation as exc:
        raise RecordError("spend is not a number") from exc
    if not spend.is_finite():
        raise RecordError("spend is not a finite number")
    return spend


def _flag(value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RecordError("cache_hit is not True or False")


def _workflow_tag(value: str | None) -> str:
    """The first request tag that is a workflow tag (``review`` or ``workflow:review``)."""
    text = (value or "").strip()
    if not text:
        return OTHER
    try:
        tags = json.loads(text)
    except ValueError:
        tags = text.strip("{}").split(",")  # Postgres array literal
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, str):
            name = tag.strip().strip('"').lower().removeprefix("workflow:")
            if name in WORKFLOW_TAGS:
                return name
    return OTHER


def _cache_counts(metadata: str | None) -> tuple[int, int]:
    """Cache reads and writes from ``metadata.usage_object``; (0, 0) when not there."""
    if not metadata or "usage_object" not in metadata:
        return 0, 0
    try:
        usage = dig(json.loads(metadata), "usage_object")
    except ValueError as exc:
        raise RecordError("metadata is not valid JSON") from exc
    if not isinstance(usage, Mapping):
        return 0, 0
    read = usage.get("cache_read_input_tokens")
    if read is None:
        read = dig(usage, "prompt_tokens_details.cached_tokens")
    write = usage.get("cache_creation_input_tokens")
    return (
        as_int(read, "usage_object cache reads", default=0),
        as_int(write, "usage_object cache writes", default=0),
    )


def _provider_and_model(row: Mapping[str, str]) -> tuple[str, str]:
    model = row["model"].strip()
    provider = (row.get("custom_llm_provider") or "").strip().lower()
    if "/" in model:  # "anthropic/claude-sonnet-4-5": LiteLLM's provider-prefixed name
        prefix, _, rest = model.partition("/")
        provider, model = provider or prefix.lower(), rest
    if not model:
        raise RecordError("model is empty")
    return provider or OTHER, model


def _request(row: Mapping[str, str], ctx: KindContext) -> tuple[GroupKey, _Sums]:
    try:
        hour = format_iso_z(floor_iso(row["startTime"]))
    except ValueError as exc:
        raise RecordError("startTime is not a timestamp") from exc
    provider, model = _provider_and_model(row)
    status = (row.get("status") or "success").strip().lower()
    person = (row.get("user") or "").strip() or (row.get("end_user") or "").strip()
    key: GroupKey = (
        hour,
        ctx.teams.for_identity(person or None),
        provider,
        model,
        status if status in STATUSES else OTHER,
        _flag(row.get("cache_hit")),
        _workflow_tag(row.get("request_tags")),
    )
    sums = _Sums()
    prompt, completion = _count(row, "prompt_tokens"), _count(row, "completion_tokens")
    total = _count(row, "total_tokens") if (row.get("total_tokens") or "").strip() else None
    total = prompt + completion if total is None else total
    cache_read, cache_write = _cache_counts(row.get("metadata"))
    sums.counts = [1, prompt, completion, total, cache_read, cache_write]
    sums.max_request_tokens = total + cache_write
    sums.spend = _spend(row["spend"])
    return key, sums


def _request_digest(request_id: str) -> int:
    digest = hashlib.blake2b(request_id.strip().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    seen: set[int] = ctx.shared.setdefault("request_ids", set())
    landed: set[int] = set()
    groups: dict[GroupKey, _Sums] = {}
    rows_in = duplicates = 0
    for number, row in enumerate(documents, start=1):
        if number == 1:
            ctx.note_fields(row, KNOWN_FIELDS)
        with at(f"row {number}"):
            request_id = row["request_id"].strip()
            if not request_id:
                raise RecordError("request_id is empty")
            key, sums = _request(row, ctx)
        rows_in += 1
        digest = _request_digest(request_id)
        if digest in seen or digest in landed:
            duplicates += 1
            continue
        landed.add(digest)
        if key in groups:
            groups[key].add(sums)
        else:
            groups[key] = sums
    seen |= landed  # only now: a file that fails part-way leaves no request behind
    return KindOutput(days={}, rows_in=rows_in, rows_out=0, duplicates=duplicates, partial=groups)


def _format_spend(spend: Decimal) -> str:
    text = format(spend.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def merge(outputs: list[KindOutput]) -> KindOutput:
    groups: dict[GroupKey, _Sums] = {}
    for output in outputs:
        for key, sums in output.partial.items():
            groups.setdefault(key, _Sums()).add(sums)
    days: dict[date, list[dict[str, str]]] = defaultdict(list)
    for key in sorted(groups):
        hour, team_id, provider, model, status, cache_hit, workflow_tag = key
        sums = groups[key]
        days[date.fromisoformat(hour[:10])].append(
            {
                "startTime": hour,
                "team_id": team_id,
                "custom_llm_provider": provider,
                "model": model,
                "status": status,
                "cache_hit": "true" if cache_hit else "false",
                "workflow_tag": workflow_tag,
                **{column: str(count) for column, count in zip(COUNTS, sums.counts, strict=True)},
                "max_request_tokens": str(sums.max_request_tokens),
                "spend": _format_spend(sums.spend),
            }
        )
    return KindOutput(
        days=dict(days),
        rows_in=sum(output.rows_in for output in outputs),
        rows_out=len(groups),
        duplicates=sum(output.duplicates for output in outputs),
    )
