"""``github_pulls``: pages of GitHub's REST list of pull requests (JSON arrays).

Landed shape: a JSON array of pull requests per UTC day of ``created_at``, sorted by
``created_at`` then ``artifact_key``. Kept: ``artifact_key`` (from ``base.repo.full_name`` and
``number``; ``number`` itself is removed), ``state``, ``created_at``, ``closed_at``, ``merged_at``
floored to the hour, ``draft``, ``labels`` (``{"name"}`` objects, allow-listed names only, lower
case, sorted), ``head.ref``, ``base.ref`` and ``base.repo.full_name`` hashed, ``additions``,
``deletions`` and ``team_id`` (from ``user.login``). Everything else is dropped.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from tpsp.anonymize.hashing import (
    artifact_pseudonym,
    id_pseudonym,
    normalize_pr_key,
    repo_from_url,
)
from tpsp.anonymize.io import dump_json, parse_json, parse_jsonl
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at
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


def parse(text: str, fmt: str) -> list[Any]:
    """Pull request objects: a page is an array; a ``.jsonl`` line is a page or one PR."""
    documents = parse_jsonl(text) if fmt == "jsonl" else [parse_json(text)]
    pulls: list[Any] = []
    for document in documents:
        pulls.extend(document if isinstance(document, list) else [document])
    return pulls


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


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


def transform(documents: list[Any], ctx: KindContext) -> KindOutput:
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for index, pull in enumerate(documents):
        with at(f"pull request {index + 1}"):
            landed = _pull(as_mapping(pull, "pull request"), ctx)
        days[date.fromisoformat(landed["created_at"][:10])].append(landed)
    for pulls in days.values():
        pulls.sort(key=lambda pull: (pull["created_at"], pull["artifact_key"]))
    return KindOutput(days=dict(days), rows_in=len(documents), rows_out=len(documents))
