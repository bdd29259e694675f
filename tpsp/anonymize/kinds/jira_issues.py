"""``jira_issues``: pages of Jira Cloud's REST issue search.

Landed shape: one page per UTC day of ``created`` (``{"issues": [...], "isLast": true}``),
issues sorted by ``created`` then ``key``. Kept per issue: ``id`` hashed, ``key`` as ``a_…``,
and under ``fields``: ``issuetype.name``, ``status.name``, ``status.statusCategory.key``,
``resolution.name`` (or null), ``created`` and ``resolutiondate`` in UTC floored to the hour in
Jira's format, ``customfield_10016`` (story points) and ``team_id`` (from
``assignee.accountId``; an unassigned issue belongs to ``unassigned``). Everything else,
``summary``, ``assignee`` and ``labels`` among it, is dropped.

An issue listed twice lands once (the copy with the latest ``fields.updated``). Page and
issue keys Jira does not document are reported; ``fields`` holds custom fields by design.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import artifact_pseudonym, id_pseudonym, normalize_issue_key
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    at,
    keep_latest,
    parse_json_documents,
)
from tpsp.anonymize.records import (
    RecordError,
    as_list,
    as_mapping,
    as_optional_text,
    as_text,
    dig,
)
from tpsp.anonymize.timefloor import floor_iso, format_jira

FORMATS = ("json", "jsonl")

STORY_POINTS = "customfield_10016"
STATUS_CATEGORIES = frozenset({"new", "indeterminate", "done", "undefined"})
CONSTANTS = STATUS_CATEGORIES

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("isLast", "issues[].id", "issues[].key"),
        *(
            f"issues[].fields.{field}"
            for field in (
                *("issuetype.name", "status.name", "status.statusCategory.key"),
                *("resolution.name", "created", "resolutiondate", STORY_POINTS, "team_id"),
            )
        ),
    }
)

# Keys of a search page (enhanced `/search/jql` and the older `/search`) and of an issue.
PAGE_FIELDS = frozenset(
    {
        *("issues", "nextPageToken", "isLast", "startAt", "maxResults", "total", "expand"),
        *("names", "schema", "warningMessages"),
    }
)
ISSUE_FIELDS = frozenset(
    {
        *("id", "key", "self", "expand", "fields", "changelog", "renderedFields", "names"),
        *("schema", "transitions", "operations", "editmeta", "versionedRepresentations"),
        "properties",
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    return len(content["issues"])


def _timestamp(value: Any, what: str) -> str | None:
    if value is None:
        return None
    try:
        return format_jira(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not a timestamp") from exc


def _story_points(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RecordError(f"{STORY_POINTS} is not a number")
    return value


def _issue(issue: Mapping[str, Any], ctx: KindContext) -> dict[str, Any]:
    fields = as_mapping(issue.get("fields"), "fields")
    try:
        key = normalize_issue_key(as_text(issue.get("key"), "key"))
    except ValueError as exc:
        raise RecordError(f"key: {exc}") from exc
    issue_id = issue.get("id")
    if isinstance(issue_id, bool) or not isinstance(issue_id, int | str):
        raise RecordError("id is missing")
    resolution = fields.get("resolution")
    account_id = dig(fields, "assignee.accountId")
    return {
        "id": id_pseudonym(ctx.secret, issue_id),
        "key": artifact_pseudonym(ctx.secret, key),
        "fields": {
            "issuetype": {"name": as_text(dig(fields, "issuetype.name"), "issuetype.name")},
            "status": {
                "name": as_optional_text(dig(fields, "status.name"), "status.name"),
                "statusCategory": {
                    "key": as_text(
                        dig(fields, "status.statusCategory.key"), "status.statusCategory.key"
                    )
                },
            },
            "resolution": (
                {"name": as_optional_text(dig(resolution, "name"), "resolution.name")}
                if resolution is not None
                else None
            ),
            "created": _timestamp(as_text(fields.get("created"), "created"), "created"),
            "resolutiondate": _timestamp(fields.get("resolutiondate"), "resolutiondate"),
            STORY_POINTS: _story_points(fields.get(STORY_POINTS)),
            "team_id": ctx.teams.for_identity(account_id if isinstance(account_id, str) else None),
        },
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, Any]]] = {}
    rows_in = duplicates = 0
    for p, page in enumerate(documents, start=1):
        with at(f"page {p}"):
            page = as_mapping(page, "page")
            ctx.note_fields(page, PAGE_FIELDS)
            issues = as_list(page.get("issues"), "issues")
            for i, issue in enumerate(issues):
                with at(f"issues[{i}]"):
                    issue = as_mapping(issue, "issue")
                    ctx.note_fields(issue, ISSUE_FIELDS)
                    landed = _issue(issue, ctx)
                updated = dig(issue, "fields.updated")
                duplicates += keep_latest(kept, landed["key"], updated, landed)
                rows_in += 1
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["fields"]["created"][:10])].append(landed)
    for issues in days.values():
        issues.sort(key=lambda issue: (issue["fields"]["created"], issue["key"]))
    pages = {day: {"issues": issues, "isLast": True} for day, issues in days.items()}
    return KindOutput(days=pages, rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
