"""Jira Cloud REST `POST /rest/api/3/search/jql` pages: `issues`, `nextPageToken`, `isLast`.

Issues are ordered by creation, 50 per page; timestamps are in the firm's local offset.
The last page carries no `nextPageToken`, as Jira returns it. A firm chosen by the plan
gets one page truncated mid-file: its issues exist nowhere else.
"""

import json
import random
from pathlib import Path

from tpsp.generate.files import write_bytes, write_json
from tpsp.generate.ids import alnum
from tpsp.generate.kinds.base import Written
from tpsp.generate.plan import BadInput
from tpsp.generate.times import jira_timestamp
from tpsp.generate.world import Firm, Issue

KIND = "jira_issues"
PER_PAGE = 50
STATUS = {
    "done": ("Done", "done", "Done"),
    "cancelled": ("Cancelled", "done", "Won't Do"),
    "in_progress": ("In Progress", "indeterminate", None),
    "in_review": ("In Review", "indeterminate", None),
    "to_do": ("To Do", "new", None),
}


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    issues = sorted(firm.issues, key=lambda i: i.id)
    pages = [issues[i : i + PER_PAGE] for i in range(0, len(issues), PER_PAGE)]
    broken = (1 if len(pages) > 1 else 0) if firm.malformed_jira_page else None
    for number, chunk in enumerate(pages, start=1):
        is_last = number == len(pages)
        page: dict = {"issues": [_issue(firm, issue) for issue in chunk]}
        if not is_last:
            page["nextPageToken"] = alnum(rng, 48)
        page["isLast"] = is_last
        name = f"issues_p{number:03d}.json"
        if number - 1 == broken:
            text = json.dumps(page, separators=(",", ":"))
            write_bytes(folder / name, text[: int(len(text) * 0.55)].encode())
            written.bad_inputs.append(
                BadInput(KIND, f"{KIND}/{name}", None, "malformed_json", "anonymize_skips")
            )
            continue
        write_json(folder / name, page)
        written.identities.update(issue.assignee.jira_account_id for issue in chunk)
    return written


def _issue(firm: Firm, issue: Issue) -> dict:
    status, category, resolution = STATUS[issue.outcome]
    return {
        "id": str(issue.id),
        "key": issue.key,
        "fields": {
            "summary": issue.summary,
            "issuetype": {"name": issue.issuetype},
            "status": {"name": status, "statusCategory": {"key": category}},
            "resolution": {"name": resolution} if resolution else None,
            "created": jira_timestamp(issue.created, firm.timezone),
            "resolutiondate": (
                jira_timestamp(issue.resolved, firm.timezone) if issue.resolved else None
            ),
            "labels": issue.labels,
            "assignee": {
                "accountId": issue.assignee.jira_account_id,
                "emailAddress": issue.assignee.email,
                "displayName": issue.assignee.display_name,
            },
            "customfield_10016": issue.points,
        },
    }
