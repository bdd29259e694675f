"""Linear's CSV export of issues (Settings → Import / export → Export CSV): one file with
Linear's 30 columns, a UTF-8 BOM, people as email addresses, labels comma-separated in one
quoted cell, timestamps in ISO 8601 with milliseconds."""

import csv
import io
import random
from datetime import datetime
from pathlib import Path

from tpsp.generate.files import write_bytes
from tpsp.generate.kinds.base import Written
from tpsp.generate.world import Firm, Issue

KIND = "linear_issues"
HEADER = (
    "ID",
    "Team",
    "Title",
    "Description",
    "Status",
    "Estimate",
    "Priority",
    "Project ID",
    "Project",
    "Creator",
    "Assignee",
    "Labels",
    "Cycle Number",
    "Cycle Name",
    "Cycle Start",
    "Cycle End",
    "Created",
    "Updated",
    "Started",
    "Triaged",
    "Completed",
    "Canceled",
    "Archived",
    "Due Date",
    "Parent issue",
    "Initiatives",
    "Project Milestone ID",
    "Project Milestone",
    "SLA Status",
    "Roadmaps",
)
STATUS = {
    "done": "Done",
    "cancelled": "Canceled",
    "in_progress": "In Progress",
    "in_review": "In Review",
    "to_do": "Todo",
}
LABELS = {"Bug": "Bug", "Story": "Feature", "Task": "Improvement"}
PRIORITIES = ("No priority", "Urgent", "High", "Medium", "Low")


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for issue in sorted(firm.issues, key=lambda i: (i.created, i.key)):
        writer.writerow(_row(rng, issue))
        written.identities.add(issue.assignee.email)
    write_bytes(folder / "Linear issues export.csv", ("\ufeff" + buffer.getvalue()).encode())
    return written


def _row(rng: random.Random, issue: Issue) -> list[str]:
    started = issue.created if issue.outcome != "to_do" else None
    values = dict.fromkeys(HEADER, "")
    values |= {
        "ID": issue.key,
        "Team": issue.team.replace("-", " ").title(),
        "Title": issue.summary,
        "Description": f"{issue.summary}, as discussed.",
        "Status": STATUS[issue.outcome],
        "Estimate": f"{issue.points:g}" if issue.points is not None else "",
        "Priority": rng.choice(PRIORITIES),
        "Creator": issue.assignee.email,
        "Assignee": issue.assignee.email,
        "Labels": ", ".join(sorted({LABELS[issue.issuetype], *issue.labels[:1]})),
        "Created": _stamp(issue.created),
        "Updated": _stamp(issue.resolved or issue.created),
        "Started": _stamp(started),
        "Completed": _stamp(issue.resolved) if issue.outcome == "done" else "",
        "Canceled": _stamp(issue.resolved) if issue.outcome == "cancelled" else "",
    }
    return [values[column] for column in HEADER]
