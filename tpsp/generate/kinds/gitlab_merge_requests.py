"""GitLab REST ``GET /projects/:id/merge_requests?state=all``: JSON array pages per project,
100 merge requests a page, newest first, timestamps with milliseconds as GitLab writes them."""

import random
from datetime import datetime, timedelta
from pathlib import Path

from tpsp.generate.files import write_json
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.world import Firm, PullRequest

KIND = "gitlab_merge_requests"
PER_PAGE = 100


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    host = f"https://gitlab.{firm.spec.domain}"
    user_ids: dict[str, int] = {}
    projects: dict[str, list[PullRequest]] = {}
    for pr in firm.prs:
        projects.setdefault(pr.repo, []).append(pr)
    for index, repo in enumerate(sorted(projects), start=1):
        project_id = rng.randint(100, 9_000)
        mrs = sorted(projects[repo], key=lambda p: p.number, reverse=True)
        for start in range(0, len(mrs), PER_PAGE):
            page = [
                _merge_request(rng, firm, host, project_id, mr, user_ids)
                for mr in mrs[start : start + PER_PAGE]
            ]
            write_json(
                folder / f"project{index:02d}_merge_requests_p{start // PER_PAGE + 1:03d}.json",
                page,
            )
        written.identities.update(mr.author_login for mr in mrs)
    return written


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _user(login: str, user_ids: dict[str, int], rng: random.Random, host: str) -> dict:
    uid = user_ids.setdefault(login, rng.randint(1_000, 900_000))
    return {
        "id": uid,
        "username": login,
        "name": login.replace("-", " ").title(),
        "state": "active",
        "locked": False,
        "avatar_url": None,
        "web_url": f"{host}/{login}",
    }


def _merge_request(
    rng: random.Random,
    firm: Firm,
    host: str,
    project_id: int,
    mr: PullRequest,
    user_ids: dict[str, int],
) -> dict:
    path = f"{firm.slug}/{mr.repo}"
    state = "merged" if mr.merged else ("closed" if mr.closed else "opened")
    updated = mr.closed or min(
        mr.created + timedelta(hours=rng.uniform(0.5, 48)), firm.export_at - timedelta(seconds=1)
    )
    author = _user(mr.author_login, user_ids, rng, host)
    title = ("Draft: " if mr.draft else "") + mr.title
    return {
        "id": rng.randint(10_000_000, 400_000_000),
        "iid": mr.number,
        "project_id": project_id,
        "title": title,
        "description": mr.body,
        "state": state,
        "created_at": _stamp(mr.created),
        "updated_at": _stamp(updated),
        "merged_by": author if mr.merged else None,
        "merge_user": author if mr.merged else None,
        "merged_at": _stamp(mr.merged) if mr.merged else None,
        "closed_by": author if state == "closed" else None,
        "closed_at": _stamp(mr.closed) if state == "closed" else None,
        "target_branch": "main",
        "source_branch": mr.head_ref,
        "user_notes_count": rng.randint(0, 12),
        "upvotes": 0,
        "downvotes": 0,
        "author": author,
        "assignees": [author],
        "assignee": author,
        "reviewers": [],
        "source_project_id": project_id,
        "target_project_id": project_id,
        "labels": list(mr.labels),
        "draft": mr.draft,
        "work_in_progress": mr.draft,
        "milestone": None,
        "merge_when_pipeline_succeeds": False,
        "merge_status": "can_be_merged",
        "detailed_merge_status": "mergeable" if state == "opened" else "not_open",
        "sha": hex_id(rng, 40),
        "merge_commit_sha": hex_id(rng, 40) if mr.merged else None,
        "squash_commit_sha": None,
        "discussion_locked": None,
        "should_remove_source_branch": None,
        "force_remove_source_branch": True,
        "prepared_at": _stamp(mr.created),
        "reference": f"!{mr.number}",
        "references": {
            "short": f"!{mr.number}",
            "relative": f"!{mr.number}",
            "full": f"{path}!{mr.number}",
        },
        "web_url": f"{host}/{path}/-/merge_requests/{mr.number}",
        "time_stats": {
            "time_estimate": 0,
            "total_time_spent": 0,
            "human_time_estimate": None,
            "human_total_time_spent": None,
        },
        "squash": False,
        "squash_on_merge": False,
        "task_completion_status": {"count": 0, "completed_count": 0},
        "has_conflicts": False,
        "blocking_discussions_resolved": True,
        "approvals_before_merge": None,
    }
