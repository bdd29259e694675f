"""``deployments``: GitHub REST deployment records, ``GET /repos/{owner}/{repo}/deployments``
pages, with the statuses of each deployment, ``GET .../deployments/{id}/statuses`` pages.

Both endpoints return JSON arrays; a firm exports them into the same folder, in any files: a
deployment object is recognised by its ``statuses_url``, a status by its ``deployment_url``,
and statuses are joined to their deployment across files (the kind merges its files).

Landed shape: a JSON array of deployments per UTC day of ``created_at``, sorted by
``created_at`` then ``deployment_id``. Kept: ``deployment_id`` (``h_`` + hmac of the
deployment's API URL), ``environment`` as a class (``production``, ``staging``,
``development`` or ``other``; environment names are free text and never land),
``production_environment`` and ``transient_environment``, ``created_at`` floored to the hour,
``status`` (the state of the latest status other than ``inactive``, which GitHub sets on an
older deployment once a newer one succeeds; ``inactive`` only when there is no other) and
``status_at`` (its ``created_at``), the repository, ``ref`` and ``sha`` hashed, and
``team_id`` from ``creator.login``. Descriptions, payloads and URLs are dropped.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import id_pseudonym
from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import KindContext, KindOutput, array_items, at
from tpsp.anonymize.kinds.fields import (
    environment_class,
    github_repo,
    iso_hour,
    optional_bool,
    required_iso_hour,
)
from tpsp.anonymize.records import RecordError, as_mapping, as_text, dig

FORMATS = ("json", "jsonl")
MERGES_FILES = True
ENVIRONMENTS = frozenset({"production", "staging", "development", "other"})
STATES = frozenset({"error", "failure", "inactive", "in_progress", "queued", "pending", "success"})
CONSTANTS = ENVIRONMENTS | STATES

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("deployment_id", "environment", "production_environment", "transient_environment"),
        *("created_at", "status", "status_at", "repository", "ref", "sha", "team_id"),
    }
)

DEPLOYMENT_FIELDS = frozenset(
    {
        *("url", "id", "node_id", "sha", "ref", "task", "payload", "original_environment"),
        *("environment", "description", "creator", "created_at", "updated_at"),
        *("statuses_url", "repository_url", "transient_environment"),
        *("production_environment", "performed_via_github_app"),
    }
)
STATUS_FIELDS = frozenset(
    {
        *("url", "id", "node_id", "state", "creator", "description", "environment"),
        *("target_url", "log_url", "environment_url", "created_at", "updated_at"),
        *("deployment_url", "repository_url", "performed_via_github_app"),
    }
)


@dataclass
class _Partial:
    deployments: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    statuses: dict[str, dict[tuple[str, str], str]] = field(
        default_factory=lambda: defaultdict(dict)
    )


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return array_items(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_json(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    return len(content)


def _hashed(record: Mapping[str, Any], name: str, ctx: KindContext) -> str | None:
    value = record.get(name)
    return id_pseudonym(ctx.secret, as_text(value, name)) if value is not None else None


def _deployment(record: Mapping[str, Any], ctx: KindContext) -> tuple[str, dict[str, Any]]:
    url = as_text(record.get("url"), "url").strip().lower()
    repo = github_repo(record, "repository_url", "url")
    login = dig(record, "creator.login")
    production = optional_bool(record.get("production_environment"), "production_environment")
    return url, {
        "deployment_id": id_pseudonym(ctx.secret, url),
        "environment": environment_class(record.get("environment"), production),
        "production_environment": production,
        "transient_environment": optional_bool(
            record.get("transient_environment"), "transient_environment"
        ),
        "created_at": required_iso_hour(record.get("created_at"), "created_at"),
        "repository": id_pseudonym(ctx.secret, repo),
        "ref": _hashed(record, "ref", ctx),
        "sha": _hashed(record, "sha", ctx),
        "team_id": ctx.teams.for_identity(login if isinstance(login, str) else None),
    }


def _status(record: Mapping[str, Any]) -> tuple[str, tuple[str, str], str]:
    deployment_url = as_text(record.get("deployment_url"), "deployment_url").strip().lower()
    state = as_text(record.get("state"), "state").strip().lower()
    created = as_text(record.get("created_at"), "created_at")
    order = (created, f"{record.get('id', '')!s:>20}")
    return deployment_url, order, state


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    partial = _Partial()
    rows_in = 0
    for index, record in enumerate(documents):
        with at(f"object {index + 1}"):
            record = as_mapping(record, "object")
            if "deployment_url" in record:
                ctx.note_fields(record, STATUS_FIELDS)
                deployment_url, order, state = _status(record)
                partial.statuses[deployment_url][order] = state
                continue
            if "statuses_url" not in record and "environment" not in record:
                raise RecordError("neither a deployment nor a deployment status")
            ctx.note_fields(record, DEPLOYMENT_FIELDS)
            url, landed = _deployment(record, ctx)
        rows_in += 1
        version = record.get("updated_at") if isinstance(record.get("updated_at"), str) else ""
        seen = partial.deployments.get(url)
        if seen is None or version >= seen[0]:
            partial.deployments[url] = (version, landed)
    return KindOutput(days={}, rows_in=rows_in, rows_out=0, partial=partial)


def _with_status(landed: dict[str, Any], statuses: dict[tuple[str, str], str]) -> dict[str, Any]:
    ordered = sorted(statuses.items())
    active = [(order, state) for order, state in ordered if state != "inactive"]
    latest = (active or ordered or [None])[-1]
    status, status_at = (None, None) if latest is None else (latest[1], latest[0][0])
    return landed | {"status": status, "status_at": iso_hour(status_at, "status created_at")}


def merge(outputs: list[KindOutput]) -> KindOutput:
    deployments: dict[str, tuple[str, dict[str, Any]]] = {}
    statuses: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    duplicates = 0
    for output in outputs:
        partial: _Partial = output.partial
        for url, (version, landed) in partial.deployments.items():
            seen = deployments.get(url)
            duplicates += seen is not None
            if seen is None or version >= seen[0]:
                deployments[url] = (version, landed)
        for url, found in partial.statuses.items():
            statuses[url].update(found)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for url, (_, landed) in deployments.items():
        full = _with_status(landed, statuses.get(url, {}))
        days[date.fromisoformat(full["created_at"][:10])].append(full)
    for rows in days.values():
        rows.sort(key=lambda row: (row["created_at"], row["deployment_id"]))
    return KindOutput(
        days=dict(days),
        rows_in=sum(output.rows_in for output in outputs),
        rows_out=len(deployments),
        duplicates=duplicates,
    )
