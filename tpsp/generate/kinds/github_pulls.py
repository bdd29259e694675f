"""GitHub REST `GET /repos/{owner}/{repo}/pulls?state=all`: JSON array pages per repository.

Pages hold 100 pull requests, newest first (the endpoint's default order); objects also
carry `additions` and `deletions` as the single pull request endpoint reports them.
"""

import random
from datetime import timedelta
from pathlib import Path

from tpsp.generate.files import write_json
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z
from tpsp.generate.world import BOT_LOGIN, Firm, PullRequest

KIND = "github_pulls"
PER_PAGE = 100
LABEL_COLORS = {
    "feature": "a2eeef",
    "enhancement": "84b6eb",
    "bug": "d73a4a",
    "chore": "fef2c0",
    "docs": "0075ca",
    "refactor": "c5def5",
}


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    gz = firm.spec.index % 2 == 1
    suffix = ".json.gz" if gz else ".json"
    user_ids: dict[str, int] = {}
    repos: dict[str, list[PullRequest]] = {}
    for pr in firm.prs:
        repos.setdefault(pr.repo, []).append(pr)
    for index, repo in enumerate(sorted(repos), start=1):
        prs = sorted(repos[repo], key=lambda p: p.number, reverse=True)
        for start in range(0, len(prs), PER_PAGE):
            page = [_pull(rng, firm, pr, user_ids) for pr in prs[start : start + PER_PAGE]]
            # files are numbered, not named after the repository: names travel to the landing
            name = f"repo{index:02d}_pulls_p{start // PER_PAGE + 1:03d}{suffix}"
            write_json(folder / name, page, gz=gz)
        written.identities.update(pr.author_login for pr in prs)
    return written


def _pull(rng: random.Random, firm: Firm, pr: PullRequest, user_ids: dict[str, int]) -> dict:
    full_name = f"{firm.slug}/{pr.repo}"
    api = f"https://api.github.com/repos/{full_name}"
    user_id = user_ids.setdefault(pr.author_login, rng.randint(1_000_000, 190_000_000))
    updated = pr.closed or min(
        pr.created + timedelta(hours=rng.uniform(0.5, 72)), firm.export_at - timedelta(seconds=1)
    )
    return {
        "url": f"{api}/pulls/{pr.number}",
        "id": rng.randint(1_500_000_000, 2_900_000_000),
        "html_url": f"https://github.com/{full_name}/pull/{pr.number}",
        "number": pr.number,
        "state": pr.state,
        "locked": False,
        "title": pr.title,
        "user": {
            "login": pr.author_login,
            "id": user_id,
            "type": "Bot" if pr.author_login == BOT_LOGIN else "User",
        },
        "body": pr.body,
        "labels": [
            {"id": rng.randint(10**9, 9 * 10**9), "name": name, "color": LABEL_COLORS[name]}
            for name in pr.labels
        ],
        "created_at": iso_z(pr.created),
        "updated_at": iso_z(updated),
        "closed_at": iso_z(pr.closed) if pr.closed else None,
        "merged_at": iso_z(pr.merged) if pr.merged else None,
        "merge_commit_sha": hex_id(rng, 40) if pr.merged else None,
        "draft": pr.draft,
        "head": {
            "label": f"{firm.slug}:{pr.head_ref}",
            "ref": pr.head_ref,
            "sha": hex_id(rng, 40),
            "repo": {"full_name": full_name},
        },
        "base": {
            "label": f"{firm.slug}:main",
            "ref": "main",
            "sha": hex_id(rng, 40),
            "repo": {"full_name": full_name},
        },
        "author_association": "NONE" if pr.author_login == BOT_LOGIN else "MEMBER",
        "additions": pr.additions,
        "deletions": pr.deletions,
    }
