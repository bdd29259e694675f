"""``anthropic_usage``: pages of Anthropic's Admin API messages usage report.

Landed shape: the same page shape, one page per UTC day (``has_more`` false, ``next_page``
null), buckets with ``starting_at``/``ending_at`` floored to the hour, and results
re-aggregated per (``model``, ``workspace_id``, ``context_window``, ``service_tier``, team):
token counts summed, ``api_key_id`` dropped, ``workspace_id`` hashed, ``team_id`` added.
The person is ``api_key_id``.
"""

from collections.abc import Iterable
from typing import Any, TextIO

from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, parse_json_documents
from tpsp.anonymize.kinds.usage_pages import ANTHROPIC_BUCKETS, count_results, land_daily_pages
from tpsp.anonymize.records import as_int, as_mapping, as_optional_text, dig

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


RESULT_FIELDS = frozenset(
    {
        *("uncached_input_tokens", "cache_creation", "cache_read_input_tokens"),
        *("output_tokens", "server_tool_use", "api_key_id", "workspace_id", "model"),
        *("service_tier", "context_window"),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Results of the day's page: one per team-level group."""
    return count_results(content)


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
    return land_daily_pages(
        documents, ctx, ANTHROPIC_BUCKETS, RESULT_FIELDS, _add_result, _landed_result
    )
