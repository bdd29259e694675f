"""``linear_issues``: Linear's CSV export of issues (Settings → Import / export → Export CSV).

The export's columns are ``ID, Team, Title, Description, Status, Estimate, Priority, Project
ID, Project, Creator, Assignee, Labels, Cycle Number, Cycle Name, Cycle Start, Cycle End,
Created, Updated, Started, Triaged, Completed, Canceled, Archived, Due Date, Parent issue,
Initiatives, Project Milestone ID, Project Milestone, SLA Status`` and then ``Roadmaps`` or
(newer) ``UUID, Time in status (minutes), Related to, Blocked by, Duplicate of``; a row may
stop short of the header when its last cells are empty, which is read as empty cells.

Landed shape: a CSV per UTC day of ``Created`` with the columns ``ID`` (``a_`` + hmac of
the issue identifier lower case, ``eng-123``), ``Status`` (Linear's default state names;
a workspace's own state names become ``Other``), ``Priority``, ``Estimate``, ``Labels``
(allow-listed label names, lower case, comma-separated), ``Created``, ``Started``,
``Completed`` and ``Canceled`` floored to the hour (``YYYY-MM-DDTHH:00:00Z``) and
``team_id`` from ``Assignee`` (else ``Creator``), as Linear exports it (an email address).
Team, title, description, project, cycle and people columns are dropped.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.hashing import artifact_pseudonym, normalize_issue_key
from tpsp.anonymize.io import dump_csv, iter_csv
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at, keep_latest
from tpsp.anonymize.kinds.fields import LABELS, allowed_labels, iso_hour, required_iso_hour
from tpsp.anonymize.records import RecordError

FORMATS = ("csv",)
COLUMNS = (
    "ID",
    "Status",
    "Priority",
    "Estimate",
    "Labels",
    "Created",
    "Started",
    "Completed",
    "Canceled",
    "team_id",
)
REQUIRED = ("ID", "Status", "Created", "Completed", "Canceled")
STATUSES = frozenset(
    {"Backlog", "Todo", "In Progress", "In Review", "Done", "Canceled", "Duplicate", "Triage"}
)
OTHER_STATUS = "Other"
PRIORITIES = frozenset({"No priority", "Urgent", "High", "Medium", "Low"})
# Status and priority names are left to the leak scan: a team may be called "Done".
CONSTANTS = LABELS

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(COLUMNS)

KNOWN_FIELDS = frozenset(
    {
        *("ID", "Team", "Title", "Description", "Status", "Estimate", "Priority"),
        *("Project ID", "Project", "Creator", "Assignee", "Labels", "Cycle Number"),
        *("Cycle Name", "Cycle Start", "Cycle End", "Created", "Updated", "Started"),
        *("Triaged", "Completed", "Canceled", "Archived", "Due Date", "Parent issue"),
        *("Initiatives", "Project Milestone ID", "Project Milestone", "SLA Status"),
        *("Roadmaps", "UUID", "Time in status (minutes)", "Related to", "Blocked by"),
        "Duplicate of",
    }
)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return iter_csv(handle, REQUIRED, pad_short_rows=True)


def serialize(content: list[dict[str, str]]) -> bytes:
    return dump_csv(COLUMNS, [[row[column] for column in COLUMNS] for row in content])


def count_rows(content: list[dict[str, str]]) -> int:
    return len(content)


def _estimate(value: str) -> str:
    if not value.strip():
        return ""
    try:
        number = float(value)
    except ValueError as exc:
        raise RecordError("Estimate is not a number") from exc
    if not math.isfinite(number):
        raise RecordError("Estimate is not a finite number")
    return f"{number:g}"


def _issue(row: dict[str, str], ctx: KindContext) -> dict[str, str]:
    try:
        key = normalize_issue_key(row["ID"])
    except ValueError as exc:
        raise RecordError(f"ID: {exc}") from exc
    status = row["Status"].strip()
    priority = row.get("Priority", "").strip()
    person = (row.get("Assignee") or "").strip() or (row.get("Creator") or "").strip()
    return {
        "ID": artifact_pseudonym(ctx.secret, key),
        "Status": status if status in STATUSES else OTHER_STATUS,
        "Priority": priority if priority in PRIORITIES else "",
        "Estimate": _estimate(row.get("Estimate", "")),
        "Labels": ",".join(allowed_labels(row.get("Labels", ""))),
        "Created": required_iso_hour(row["Created"], "Created"),
        "Started": iso_hour(row.get("Started"), "Started") or "",
        "Completed": iso_hour(row["Completed"], "Completed") or "",
        "Canceled": iso_hour(row["Canceled"], "Canceled") or "",
        "team_id": ctx.teams.for_identity(person or None),
    }


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    kept: dict[str, tuple[Any, dict[str, str]]] = {}
    rows_in = duplicates = 0
    for number, row in enumerate(documents, start=1):
        if number == 1:
            ctx.note_fields(row, KNOWN_FIELDS)
        with at(f"row {number}"):
            landed = _issue(row, ctx)
        rows_in += 1
        duplicates += keep_latest(kept, landed["ID"], row.get("Updated"), landed)
    days: dict[date, list[dict[str, str]]] = defaultdict(list)
    for _, landed in kept.values():
        days[date.fromisoformat(landed["Created"][:10])].append(landed)
    for issues in days.values():
        issues.sort(key=lambda issue: (issue["Created"], issue["ID"]))
    return KindOutput(days=dict(days), rows_in=rows_in, rows_out=len(kept), duplicates=duplicates)
