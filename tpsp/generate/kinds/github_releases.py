"""GitHub REST ``GET /repos/{owner}/{repo}/releases``: one JSON array page per repository.

Each repository ships a release most weeks, cut by someone of the team that owns it; now and
then a release candidate comes first, and the newest release may still be a draft."""

import random
from datetime import timedelta
from pathlib import Path

from tpsp.generate.files import write_json
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z
from tpsp.generate.world import Firm

KIND = "github_releases"


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    owners = {}
    for team in firm.teams:
        if team.in_org_map:
            owners.setdefault(team.repo, team)
    for index, repo in enumerate(sorted(owners), start=1):
        team = owners[repo]
        releases = []
        minor = rng.randint(1, 30)
        for day in firm.days:
            if day.weekday() != 1 or rng.random() < 0.2:
                continue
            author = rng.choices(team.people, weights=team.member_weights)[0]
            created = firm.work_instant(rng, day)
            minor += 1
            if rng.random() < 0.15:
                releases.append(
                    _release(rng, firm, repo, f"v2.{minor}.0-rc.1", author.login, created, True)
                )
                created += timedelta(hours=rng.uniform(2, 6))
            releases.append(
                _release(rng, firm, repo, f"v2.{minor}.0", author.login, created, False)
            )
            written.identities.add(author.login)
        if releases:
            releases[-1]["draft"] = True
            releases[-1]["published_at"] = None
            releases.sort(key=lambda release: release["created_at"], reverse=True)
            write_json(folder / f"repo{index:02d}_releases.json", releases)
    return written


def _release(rng, firm: Firm, repo: str, tag: str, login: str, created, prerelease: bool) -> dict:
    api = f"https://api.github.com/repos/{firm.slug}/{repo}"
    release_id = rng.randint(100_000_000, 300_000_000)
    published = min(
        created + timedelta(minutes=rng.uniform(5, 90)), firm.export_at - timedelta(seconds=1)
    )
    return {
        "url": f"{api}/releases/{release_id}",
        "assets_url": f"{api}/releases/{release_id}/assets",
        "html_url": f"https://github.com/{firm.slug}/{repo}/releases/tag/{tag}",
        "id": release_id,
        "node_id": "RE_" + hex_id(rng, 16),
        "tag_name": tag,
        "target_commitish": "main",
        "name": f"{repo} {tag}",
        "draft": False,
        "prerelease": prerelease,
        "created_at": iso_z(created),
        "published_at": iso_z(published),
        "author": {"login": login, "type": "User"},
        "assets": [],
        "body": f"## What's changed\n* Release {tag} of {repo}",
    }
