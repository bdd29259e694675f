"""``gitlab_merge_requests``: pages of GitLab's REST list of merge requests (JSON arrays),
``GET /projects/:id/merge_requests?state=all`` or ``GET /groups/:id/merge_requests``.

Landed shape: a JSON array of merge requests per UTC day of ``created_at``, sorted by
``created_at`` then ``artifact_key``. Kept: ``artifact_key`` (``a_`` + hmac of
``<project path>#<iid>``, the project path read from ``references.full`` or ``web_url``, so
the key is the one an OTel span naming the same repository and change gets), ``state``
(``opened``, ``closed``, ``locked`` or ``merged``), ``created_at``, ``merged_at``,
``closed_at`` floored to the hour, ``draft`` (or the older ``work_in_progress``), ``labels``
(allow-listed names, lower case), ``source_branch``, ``target_branch`` and the project path
hashed (``h_``), and ``team_id`` from ``author.username``. Everything else is dropped.
GitLab's list endpoint reports no line counts, so a merge request has no size.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import artifact_pseudonym, id_pseudonym, normalize_pr_key
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, array_items, at, keep_latest
from tpsp.anonymize.kinds.fields import (
    LABELS,
    allowed_labels,
    iso_hour,
    optional_bool,
    required_iso_hour,
    url_path,
)
from tpsp.anonymize.records import RecordError, as_mapping, as_text, dig

FORMATS = ("json", "jsonl")
STATES = frozenset({"opened", "closed", "locked", "merged"})
CONSTANTS = LABELS | STATES

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("artifact_key", "state", "created_at", "merged_at", "closed_at", "draft"),
        *("labels[]", "source_branch", "target_branch", "project", "team_id"),
    }
)

KNOWN_FIELDS = frozenset(
    {
        *("id", "iid", "project_id", "title", "description", "state", "created_at"),
        *("updated_at", "merged_by", "merge_user", "merged_at", "closed_by", "closed_at"),
        *("target_branch", "source_branch", "user_notes_count", "upvotes", "downvotes"),
        *("author", "assignee", "assignees", "reviewers", "source_project_id"),
        *("target_project_id", "labels", "draft", "work_in_progress", "milestone"),
        *("merge_when_pipeline_succeeds", "merge_status", "detailed_merge_status", "sha"),
        *("merge_commit_sha", "squash_commit_sha", "discussion_locked", "prepared_at"),
        *("should_remove_source_branch", "force_remove_source_branch", "reference"),
        *("references", "web_url", "time_stats", "squash", "squash_on_merge"),
        *("task_completion_status", "has_conflicts", "blocking_discussions_resolved"),
        *("approvals_before_merge", "allow_collaboration", "allow_maintainer_to_push"),
        *("imported", "imported_from", "merge_after", "changes_count", "diff_refs"),
        *("merge_error", "rebase_in_progress", "first_contribution", "pipeline"),
        *("head_pipeline", "latest_build_started_at", "latest_build_finished_at"),
        *("first_deployed_to_production_at", "user", "subscribed", "overflow"),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return array_items(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    return len(content)


def project_path(mr: Mapping[str, Any]) -> str:
    """``group/subgroup/project`` from ``references.full`` (``group/project!12``) or from
    ``web_url`` (``https://gitlab.example.com/group/project/-/merge_requests/12``)."""
    full = dig(mr, "references.full")
    if isinstance(full, str) and "!" in full:
        path = full.rsplit("!", 1)[0].strip().strip("/")
        if path:
            return path.lower()
    web_url = mr.get("web_url")
    if isinstance(web_url, str) and "/-/merge_requests/" in web_url:
        path = url_path(web_url.split("/-/merge_requests/", 1)[0])
        if path:
            return path.lower()
    raise RecordError("references.full and web_url are missing: the project is unknown")


def _branch(mr: Mapping[str, Any], field: str, ctx: KindContext) -> str | None:
    value = mr.get(field)
    return id_pseudonym(ctx.secret, as_text(value, field)) if value is not None else None


def _merge_request(mr: Mapping[str, Any], ctx: KindContext) -> dict[str, Any]:
    iid = mr.get("iid")
    if isinstance(iid, bool) or not isinstance(iid, int | str):
        raise RecordError("iid is missing or not an integer")
    path = project_path(mr)
    try:
        key = normalize_pr_key(path, iid)
    except ValueError as exc:
        raise RecordError(f"iid: {exc}") from exc
    draft = optional_bool(mr.get("draft"), "draft")
    if draft is None:
        draft = optional_bool(mr.get("work_in_progress"), "work_in_progress")
    username = dig(mr, "author.username")
    return {
        "artifact_key": artifact_pseudonym(ctx.secret, key),
        "state": as_text(mr.get("state"), "state"),
        "created_at": required_iso_hour(mr.get("created_at"), "created_at"),
        "merged_at": iso_hour(mr.get("merged_at"), "merged_at"),
        "closed_at": iso_hour(mr.get("closed_at"), "closed_at"),
        "draft": draft,
        "labels": allowed_labels(mr.get("labels")),
        "source_branch": _branch(mr, "source_branch", ctx),
        "target_branch": _branch(mr, "target_branch", ctx),
        "project": id_pseudonym(ctx.secret, path),
        "team_id": ctx.teams.for_identity(username if isinstance(username, str) else None),
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, Any]]] = {}
    rows_in = duplicates = 0
    for index, mr in enumerate(documents):
        with at(f"merge request {index + 1}"):
            mr = as_mapping(mr, "merge request")
            ctx.note_fields(mr, KNOWN_FIELDS)
            landed = _merge_request(mr, ctx)
        rows_in += 1
        duplicates += keep_latest(kept, landed["artifact_key"], mr.get("updated_at"), landed)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["created_at"][:10])].append(landed)
    for mrs in days.values():
        mrs.sort(key=lambda mr: (mr["created_at"], mr["artifact_key"]))
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
