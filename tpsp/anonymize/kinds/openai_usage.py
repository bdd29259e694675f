"""``openai_usage``: pages of OpenAI's organization Usage API for completions.

Landed shape: the same page shape, one page per UTC day (``has_more`` false, ``next_page``
null), buckets with ``start_time``/``end_time`` floored to the hour, and results re-aggregated
per (``model``, ``project_id``, team): token and request counts summed, ``user_id`` and
``api_key_id`` dropped, ``project_id`` hashed, ``team_id`` added; ``batch`` kept when all rows of
a group agree on it, else null.
The person is ``user_id``; a row without one falls back to ``api_key_id``.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, parse_json_documents
from tpsp.anonymize.kinds.usage_pages import count_results, land_daily_pages, openai_buckets
from tpsp.anonymize.records import RecordError, as_int, as_mapping, as_optional_text

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
BUCKETS = openai_buckets(PAGE, BUCKET)


RESULT_FIELDS = frozenset(
    {
        *COUNTS,
        *("object", "project_id", "user_id", "api_key_id", "model", "batch", "service_tier"),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per team-level group."""
    return count_results(content)


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
    return land_daily_pages(documents, ctx, BUCKETS, RESULT_FIELDS, _add_result, _landed_result)
