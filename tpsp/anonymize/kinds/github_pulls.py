"""``github_pulls``: pages of GitHub's REST list of pull requests (JSON arrays).

Landed shape: a JSON array of pull requests per UTC day of ``created_at``, sorted by
``created_at`` then ``artifact_key``. Kept: ``artifact_key`` (from ``base.repo.full_name`` and
``number``; ``number`` itself is removed), ``state``, ``created_at``, ``closed_at``, ``merged_at``
floored to the hour, ``draft``, ``labels`` (``{"name"}`` objects, allow-listed names only, lower
case, sorted), ``head.ref``, ``base.ref`` and ``base.repo.full_name`` hashed, ``additions``,
``deletions`` and ``team_id`` (from ``user.login``). Everything else is dropped.

A pull request listed twice (pages shift while they are fetched) lands once: the copy with
the latest ``updated_at``. Top-level fields GitHub does not document are reported.
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
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, array_items, at, keep_latest
from tpsp.anonymize.records import (
    RecordError,
    as_list,
    as_mapping,
    as_optional_int,
    as_text,
    dig,
)
from tpsp.anonymize.timefloor import floor_iso, format_iso_z

FORMATS = ("json", "jsonl")

LABELS = frozenset({"feature", "enhancement", "bug", "fix", "chore", "docs", "refactor", "test"})
STATES = frozenset({"open", "closed"})  # the usual values; others land for the gates
CONSTANTS = LABELS | STATES

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("artifact_key", "state", "created_at", "closed_at", "merged_at", "draft"),
        *("labels[].name", "head.ref", "base.ref", "base.repo.full_name"),
        *("additions", "deletions", "team_id"),
    }
)

# The documented fields of a pull request (list and single endpoints).
KNOWN_FIELDS = frozenset(
    {
        *("url", "id", "node_id", "html_url", "diff_url", "patch_url", "issue_url"),
        *("commits_url", "review_comments_url", "review_comment_url", "comments_url"),
        *("statuses_url", "number", "state", "locked", "title", "user", "body", "labels"),
        *("milestone", "active_lock_reason", "created_at", "updated_at", "closed_at"),
        *("merged_at", "merge_commit_sha", "assignee", "assignees", "requested_reviewers"),
        *("requested_teams", "head", "base", "_links", "author_association", "auto_merge"),
        *("draft", "merged", "mergeable", "rebaseable", "mergeable_state", "merged_by"),
        *("comments", "review_comments", "maintainer_can_modify", "commits", "additions"),
        *("deletions", "changed_files"),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    """Pull request objects: a page is an array; a ``.jsonl`` line is a page or one PR."""
    return array_items(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    return len(content)


def _timestamp(value: Any, what: str) -> str | None:
    if value is None:
        return None
    try:
        return format_iso_z(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not an ISO 8601 timestamp") from exc


def _labels(raw: Any) -> list[dict[str, str]]:
    names = set()
    for label in as_list(raw if raw is not None else [], "labels"):
        name = label.get("name") if isinstance(label, Mapping) else label
        if isinstance(name, str) and name.strip().lower() in LABELS:
            names.add(name.strip().lower())
    return [{"name": name} for name in sorted(names)]


def _hashed_ref(pull: Mapping[str, Any], path: str, ctx: KindContext) -> str | None:
    value = dig(pull, path)
    return id_pseudonym(ctx.secret, as_text(value, path)) if value is not None else None


def _pull(pull: Mapping[str, Any], ctx: KindContext) -> dict[str, Any]:
    repo = as_text(dig(pull, "base.repo.full_name"), "base.repo.full_name")
    number = pull.get("number")
    if isinstance(number, bool) or not isinstance(number, int | str):
        raise RecordError("number is missing or not an integer")
    try:
        key = normalize_pr_key(repo, number)
    except ValueError as exc:
        raise RecordError(f"base.repo.full_name or number: {exc}") from exc
    state = as_text(pull.get("state"), "state")
    draft = pull.get("draft")
    if draft is not None and not isinstance(draft, bool):
        raise RecordError("draft is not a boolean")
    login = dig(pull, "user.login")
    return {
        "artifact_key": artifact_pseudonym(ctx.secret, key),
        "state": state,
        "created_at": _timestamp(as_text(pull.get("created_at"), "created_at"), "created_at"),
        "closed_at": _timestamp(pull.get("closed_at"), "closed_at"),
        "merged_at": _timestamp(pull.get("merged_at"), "merged_at"),
        "draft": draft,
        "labels": _labels(pull.get("labels")),
        "head": {"ref": _hashed_ref(pull, "head.ref", ctx)},
        "base": {
            "ref": _hashed_ref(pull, "base.ref", ctx),
            "repo": {"full_name": id_pseudonym(ctx.secret, repo_from_url(repo))},
        },
        "additions": as_optional_int(pull.get("additions"), "additions"),
        "deletions": as_optional_int(pull.get("deletions"), "deletions"),
        "team_id": ctx.teams.for_identity(login if isinstance(login, str) else None),
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, Any]]] = {}
    rows_in = duplicates = 0
    for index, pull in enumerate(documents):
        with at(f"pull request {index + 1}"):
            pull = as_mapping(pull, "pull request")
            ctx.note_fields(pull, KNOWN_FIELDS)
            landed = _pull(pull, ctx)
        rows_in += 1
        duplicates += keep_latest(kept, landed["artifact_key"], pull.get("updated_at"), landed)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["created_at"][:10])].append(landed)
    for pulls in days.values():
        pulls.sort(key=lambda pull: (pull["created_at"], pull["artifact_key"]))
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
