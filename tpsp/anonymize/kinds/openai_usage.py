"""``openai_usage``: pages of OpenAI's organization Usage API for completions.

Landed shape: the same page shape, one page per UTC day (``has_more`` false, ``next_page``
null), buckets with ``start_time``/``end_time`` floored to the hour, and results re-aggregated
per (``model``, ``project_id``, team): token and request counts summed, ``user_id`` and
``api_key_id`` dropped, ``project_id`` hashed, ``team_id`` added; ``batch`` kept when all rows of
a group agree on it, else null.
The person is ``user_id``; a row without one falls back to ``api_key_id``.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    as_count,
    as_int,
    as_mapping,
    as_optional_text,
)
from tpsp.anonymize.timefloor import day_of_unix_seconds, floor_unix_seconds

FORMATS = ("json", "jsonl")

COUNTS = (
    "input_tokens",
    "output_tokens",
    "input_cached_tokens",
    "input_audio_tokens",
    "output_audio_tokens",
    "num_model_requests",
)
PAGE = "page"
BUCKET = "bucket"
RESULT = "organization.usage.completions.result"
CONSTANTS = frozenset({PAGE, BUCKET, RESULT})

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("object", "has_more", "next_page"),
        *("data[].object", "data[].start_time", "data[].end_time"),
        *(f"data[].results[].{field}" for field in COUNTS),
        *(f"data[].results[].{field}" for field in ("object", "model", "project_id", "team_id")),
        "data[].results[].batch",
    }
)

GroupKey = tuple[str | None, str | None, str]  # model, hashed project id, team id
BucketKey = tuple[int, int | None]  # floored start_time and end_time


RESULT_FIELDS = frozenset(
    {
        *COUNTS,
        *("object", "project_id", "user_id", "api_key_id", "model", "batch", "service_tier"),
    }
)
PAGE_FIELDS = frozenset({"object", "data", "has_more", "next_page"})
BUCKET_FIELDS = frozenset({"object", "start_time", "end_time", "results"})


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per team-level group."""
    return sum(len(bucket["results"]) for bucket in content["data"])


class _Group:
    """Running sums of one (model, project, team) within a bucket."""

    def __init__(self, batch: bool | None) -> None:
        self.sums = dict.fromkeys(COUNTS, 0)
        self.batch = batch

    def add(self, result: Mapping[str, Any]) -> None:
        for field in COUNTS:
            self.sums[field] += as_int(result.get(field), field, default=0)
        if result.get("batch") != self.batch:
            self.batch = None


def _add_result(result: Any, ctx: KindContext, groups: dict[GroupKey, _Group]) -> None:
    result = as_mapping(result, "result")
    identity = result.get("user_id") or result.get("api_key_id")
    team_id = ctx.teams.for_identity(identity if isinstance(identity, str) else None)
    project_id = as_optional_text(result.get("project_id"), "project_id")
    model = as_optional_text(result.get("model"), "model")
    key = (model, id_pseudonym(ctx.secret, project_id) if project_id else None, team_id)
    batch = result.get("batch")
    if batch is not None and not isinstance(batch, bool):
        raise RecordError("batch is not a boolean")
    groups.setdefault(key, _Group(batch)).add(result)


def _bucket_key(bucket: dict[str, Any]) -> BucketKey:
    start = floor_unix_seconds(as_count(bucket.get("start_time"), "start_time"))
    end = bucket.get("end_time")
    floored_end = floor_unix_seconds(as_count(end, "end_time")) if end is not None else None
    if floored_end is not None and floored_end < start:
        raise RecordError("end_time is before start_time")
    return start, floored_end


def _landed_result(key: GroupKey, group: _Group) -> dict[str, Any]:
    model, project_id, team_id = key
    return {
        "object": RESULT,
        "model": model,
        "project_id": project_id,
        "team_id": team_id,
        "batch": group.batch,
        **group.sums,
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
        pages[day_of_unix_seconds(start)].append(
            {"object": BUCKET, "start_time": start, "end_time": end, "results": results}
        )
    days = {
        day: {"object": PAGE, "data": data, "has_more": False, "next_page": None}
        for day, data in pages.items()
    }
    return KindOutput(days=days, rows_in=rows_in, rows_out=rows_out, duplicates=duplicates)
