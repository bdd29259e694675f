"""GitHub REST ``GET /repos/{owner}/{repo}/issues?state=all``: JSON array pages per repository,
100 a page, newest first. As on GitHub, pull requests are listed too (with a ``pull_request``
object), and issues share the repository's numbers with pull requests."""

import random
from pathlib import Path

from tpsp.generate.files import write_json
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z
from tpsp.generate.world import Firm, Issue, PullRequest

KIND = "github_issues"
PER_PAGE = 100
TYPES = {"Bug": "Bug", "Story": "Feature", "Task": "Task"}
LABELS = {"Bug": "bug", "Story": "enhancement", "Task": None}
STATES = {
    "done": ("closed", "completed"),
    "cancelled": ("closed", "not_planned"),
    "in_progress": ("open", None),
    "in_review": ("open", None),
    "to_do": ("open", None),
}


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    repo_of_team = {team.name: team.repo for team in firm.teams}
    items: dict[str, list[tuple[str, dict]]] = {}
    next_number: dict[str, int] = {}
    for pr in firm.prs:
        next_number[pr.repo] = max(next_number.get(pr.repo, 0), pr.number + 1)
        items.setdefault(pr.repo, []).append((iso_z(pr.created), _pull_row(firm, pr)))
    for issue in sorted(firm.issues, key=lambda i: (i.created, i.key)):
        repo = repo_of_team[issue.team]
        number = next_number.setdefault(repo, rng.randint(50, 400))
        next_number[repo] = number + 1
        items.setdefault(repo, []).append(
            (iso_z(issue.created), _issue(rng, firm, repo, number, issue))
        )
        written.identities.add(issue.assignee.login)
    for index, repo in enumerate(sorted(items), start=1):
        rows = [row for _, row in sorted(items[repo], key=lambda item: item[0], reverse=True)]
        for start in range(0, len(rows), PER_PAGE):
            name = f"repo{index:02d}_issues_p{start // PER_PAGE + 1:03d}.json"
            write_json(folder / name, rows[start : start + PER_PAGE])
    return written


def _user(login: str) -> dict:
    return {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"}


def _base(firm: Firm, repo: str, number: int) -> dict:
    api = f"https://api.github.com/repos/{firm.slug}/{repo}"
    return {
        "url": f"{api}/issues/{number}",
        "repository_url": api,
        "html_url": f"https://github.com/{firm.slug}/{repo}/issues/{number}",
        "number": number,
        "locked": False,
        "comments": 0,
        "author_association": "MEMBER",
        "active_lock_reason": None,
    }


def _pull_row(firm: Firm, pr: PullRequest) -> dict:
    api = f"https://api.github.com/repos/{firm.slug}/{pr.repo}"
    return _base(firm, pr.repo, pr.number) | {
        "title": pr.title,
        "user": _user(pr.author_login),
        "labels": [{"name": label} for label in pr.labels],
        "state": pr.state,
        "state_reason": None,
        "assignee": None,
        "assignees": [],
        "created_at": iso_z(pr.created),
        "updated_at": iso_z(pr.closed or pr.created),
        "closed_at": iso_z(pr.closed) if pr.closed else None,
        "draft": pr.draft,
        "pull_request": {
            "url": f"{api}/pulls/{pr.number}",
            "html_url": f"https://github.com/{firm.slug}/{pr.repo}/pull/{pr.number}",
            "merged_at": iso_z(pr.merged) if pr.merged else None,
        },
        "body": pr.body,
    }


def _issue(rng: random.Random, firm: Firm, repo: str, number: int, issue: Issue) -> dict:
    state, reason = STATES[issue.outcome]
    label = LABELS[issue.issuetype]
    closed = issue.resolved if state == "closed" else None
    assignee = _user(issue.assignee.login)
    return _base(firm, repo, number) | {
        "title": issue.summary,
        "user": assignee if rng.random() < 0.6 else _user(rng.choice(firm.teams[0].people).login),
        "labels": [{"name": label}] if label else [],
        "state": state,
        "state_reason": reason,
        "assignee": assignee,
        "assignees": [assignee],
        "type": {"name": TYPES[issue.issuetype]},
        "created_at": iso_z(issue.created),
        "updated_at": iso_z(closed or issue.created),
        "closed_at": iso_z(closed) if closed else None,
        "body": f"{issue.summary}\n\nReported in {issue.project_key}.",
    }
