"""``github_issues``: pages of GitHub's REST list of repository issues (JSON arrays),
``GET /repos/{owner}/{repo}/issues?state=all``.

GitHub lists pull requests among issues; a row carrying a ``pull_request`` object is one and is
skipped (pull requests come from ``github_pulls``). Landed shape: a JSON array of issues per
UTC day of ``created_at``, sorted by ``created_at`` then ``artifact_key``. Kept:
``artifact_key`` (``a_`` + hmac of ``owner/repo#number``, the repository read from
``repository_url`` or ``html_url``; issues and pull requests share a repository's numbers, so
keys never collide), ``state``, ``state_reason`` (``completed``, ``not_planned``,
``duplicate``, ``reopened`` or null), ``created_at`` and ``closed_at`` floored to the hour,
``labels`` (``{"name"}`` objects, allow-listed names only), ``type`` (``{"name"}`` when it is
one of GitHub's issue types Bug, Feature or Task, else null), the repository hashed, and
``team_id`` from ``assignee.login`` (else ``user.login``). Title, body and people are dropped.
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
    first_text,
    github_repo,
    iso_hour,
    required_iso_hour,
)
from tpsp.anonymize.records import RecordError, as_mapping, as_optional_text, as_text, dig

FORMATS = ("json", "jsonl")
STATES = frozenset({"open", "closed"})
STATE_REASONS = frozenset({"completed", "not_planned", "duplicate", "reopened"})
ISSUE_TYPES = frozenset({"Bug", "Feature", "Task"})
CONSTANTS = LABELS | STATES | STATE_REASONS

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("artifact_key", "state", "state_reason", "created_at", "closed_at"),
        *("labels[].name", "type.name", "repository", "team_id"),
    }
)

KNOWN_FIELDS = frozenset(
    {
        *("id", "node_id", "url", "repository_url", "labels_url", "comments_url"),
        *("events_url", "html_url", "number", "state", "state_reason", "title", "body"),
        *("user", "labels", "assignee", "assignees", "milestone", "locked"),
        *("active_lock_reason", "comments", "pull_request", "closed_at", "created_at"),
        *("updated_at", "closed_by", "author_association", "draft", "reactions"),
        *("timeline_url", "performed_via_github_app", "type", "sub_issues_summary"),
        *("issue_dependencies_summary", "parent_issue_url", "repository", "body_html"),
        *("body_text", "text_matches", "score"),
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return array_items(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    return len(content)


def _issue_type(raw: Any) -> dict[str, str] | None:
    name = raw.get("name") if isinstance(raw, Mapping) else raw
    return {"name": name} if isinstance(name, str) and name in ISSUE_TYPES else None


def _issue(issue: Mapping[str, Any], ctx: KindContext) -> dict[str, Any]:
    repo = github_repo(issue, "repository_url", "html_url", "url")
    number = issue.get("number")
    if isinstance(number, bool) or not isinstance(number, int | str):
        raise RecordError("number is missing or not an integer")
    try:
        key = normalize_pr_key(repo, number)
    except ValueError as exc:
        raise RecordError(f"number: {exc}") from exc
    login = first_text(issue, ("assignee.login", "user.login"))
    return {
        "artifact_key": artifact_pseudonym(ctx.secret, key),
        "state": as_text(issue.get("state"), "state"),
        "state_reason": as_optional_text(issue.get("state_reason"), "state_reason"),
        "created_at": required_iso_hour(issue.get("created_at"), "created_at"),
        "closed_at": iso_hour(issue.get("closed_at"), "closed_at"),
        "labels": [{"name": name} for name in allowed_labels(issue.get("labels"))],
        "type": _issue_type(issue.get("type")),
        "repository": id_pseudonym(ctx.secret, repo),
        "team_id": ctx.teams.for_identity(login),
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, Any]]] = {}
    rows_in = duplicates = 0
    for index, issue in enumerate(documents):
        with at(f"issue {index + 1}"):
            issue = as_mapping(issue, "issue")
            ctx.note_fields(issue, KNOWN_FIELDS)
            rows_in += 1
            if issue.get("pull_request") is not None or dig(issue, "pull_request.url"):
                continue  # a pull request listed among the issues
            landed = _issue(issue, ctx)
        duplicates += keep_latest(kept, landed["artifact_key"], issue.get("updated_at"), landed)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["created_at"][:10])].append(landed)
    for issues in days.values():
        issues.sort(key=lambda issue: (issue["created_at"], issue["artifact_key"]))
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
