"""``anthropic_usage``: pages of Anthropic's Admin API messages usage report.

Landed shape: the same page shape, one page per UTC day (``has_more`` false, ``next_page``
null), buckets with ``starting_at``/``ending_at`` floored to the hour, and results
re-aggregated per (``model``, ``workspace_id``, ``context_window``, ``service_tier``, team):
token counts summed, ``api_key_id`` dropped, ``workspace_id`` hashed, ``team_id`` added.
The person is ``api_key_id``.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    none_first,
    parse_json_documents,
)
from tpsp.anonymize.kinds.usage_pages import collect_buckets
from tpsp.anonymize.records import (
    RecordError,
    as_int,
    as_mapping,
    as_optional_text,
    as_text,
    dig,
)
from tpsp.anonymize.timefloor import floor_iso, format_iso_z

FORMATS = ("json", "jsonl")

# Counts summed per group, by their dotted path in a result.
COUNTS = (
    "uncached_input_tokens",
    "cache_creation.ephemeral_5m_input_tokens",
    "cache_creation.ephemeral_1h_input_tokens",
    "cache_read_input_tokens",
    "output_tokens",
    "server_tool_use.web_search_requests",
)
CONSTANTS: frozenset[str] = frozenset()

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("has_more", "next_page", "data[].starting_at", "data[].ending_at"),
        *(f"data[].results[].{field}" for field in COUNTS),
        *(
            f"data[].results[].{field}"
            for field in ("model", "workspace_id", "context_window", "service_tier", "team_id")
        ),
    }
)

# model, hashed workspace id, context window, service tier, team id
GroupKey = tuple[str | None, str | None, str | None, str | None, str]
BucketKey = tuple[str, str | None]  # floored starting_at and ending_at, ISO with Z


RESULT_FIELDS = frozenset(
    {
        *("uncached_input_tokens", "cache_creation", "cache_read_input_tokens"),
        *("output_tokens", "server_tool_use", "api_key_id", "workspace_id", "model"),
        *("service_tier", "context_window"),
    }
)
PAGE_FIELDS = frozenset({"data", "has_more", "next_page"})
BUCKET_FIELDS = frozenset({"starting_at", "ending_at", "results"})


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per team-level group."""
    return sum(len(bucket["results"]) for bucket in content["data"])


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, dict[str, int]]) -> None:
    result = as_mapping(result, "result")
    api_key_id = result.get("api_key_id")
    team_id = ctx.teams.for_identity(api_key_id if isinstance(api_key_id, str) else None)
    workspace_id = as_optional_text(result.get("workspace_id"), "workspace_id")
    key = (
        as_optional_text(result.get("model"), "model"),
        id_pseudonym(ctx.secret, workspace_id) if workspace_id else None,
        as_optional_text(result.get("context_window"), "context_window"),
        as_optional_text(result.get("service_tier"), "service_tier"),
        team_id,
    )
    sums = groups.setdefault(key, dict.fromkeys(COUNTS, 0))
    for path in COUNTS:
        sums[path] += as_int(dig(result, path), path, default=0)


def _timestamp(value: Any, what: str) -> str:
    try:
        return format_iso_z(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not an ISO 8601 timestamp") from exc


def _bucket_key(bucket: dict[str, Any]) -> BucketKey:
    start = _timestamp(bucket.get("starting_at"), "starting_at")
    end = bucket.get("ending_at")
    return start, _timestamp(end, "ending_at") if end is not None else None


def _landed_result(key: GroupKey, sums: dict[str, int]) -> dict[str, Any]:
    model, workspace_id, context_window, service_tier, team_id = key
    return {
        "uncached_input_tokens": sums["uncached_input_tokens"],
        "cache_creation": {
            "ephemeral_5m_input_tokens": sums["cache_creation.ephemeral_5m_input_tokens"],
            "ephemeral_1h_input_tokens": sums["cache_creation.ephemeral_1h_input_tokens"],
        },
        "cache_read_input_tokens": sums["cache_read_input_tokens"],
        "output_tokens": sums["output_tokens"],
        "server_tool_use": {"web_search_requests": sums["server_tool_use.web_search_requests"]},
        "model": model,
        "workspace_id": workspace_id,
        "context_window": context_window,
        "service_tier": service_tier,
        "team_id": team_id,
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    collected = collect_buckets(
        documents, ctx, (PAGE_FIELDS, BUCKET_FIELDS, RESULT_FIELDS), _bucket_key, _add_result
    )
    buckets, rows_in, duplicates = collected.buckets, collected.rows_in, collected.duplicates

    pages: dict[date, list[dict[str, Any]]] = defaultdict(list)
    rows_out = 0
    for (start, end), groups in sorted(buckets.items(), key=lambda item: none_first(item[0])):
        if not groups:
            continue  # a day without usage: nothing to land
        results = [_landed_result(key, groups[key]) for key in sorted(groups, key=none_first)]
        rows_out += len(results)
        pages[date.fromisoformat(start[:10])].append(
            {"starting_at": start, "ending_at": end, "results": results}
        )
    days = {
        day: {"data": data, "has_more": False, "next_page": None} for day, data in pages.items()
    }
    return KindOutput(days=days, rows_in=rows_in, rows_out=rows_out, duplicates=duplicates)
