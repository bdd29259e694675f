"""GitHub REST deployments, ``GET /repos/{owner}/{repo}/deployments``, and their statuses,
``GET .../deployments/{id}/statuses``: JSON array pages, written per month as two files.

Every weekday a repository deploys to staging, and most weekdays to production; about one
deployment in twelve fails and is followed by another the same day. A successful production
deployment turns the previous one ``inactive``, as GitHub does."""

import random
from datetime import timedelta
from pathlib import Path

from tpsp.generate.files import write_json
from tpsp.generate.ids import hex_id
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z, month_of
from tpsp.generate.world import Firm

KIND = "deployments"
BOT = {"login": "github-actions[bot]", "type": "Bot"}


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    owners = {}
    for team in firm.teams:
        if team.in_org_map:
            owners.setdefault(team.repo, team)
    deployments: dict[str, list[dict]] = {}
    statuses: dict[str, list[dict]] = {}
    next_id = rng.randint(1_000_000_000, 2_000_000_000)
    for repo in sorted(owners):
        team = owners[repo]
        api = f"https://api.github.com/repos/{firm.slug}/{repo}"
        last_production: dict | None = None
        for day in firm.days:
            if day.weekday() >= 5:
                continue
            for environment in ("staging", "production"):
                if environment == "production" and rng.random() < 0.3:
                    continue
                attempts = 2 if rng.random() < 0.08 else 1
                moment = firm.work_instant(rng, day)
                for attempt in range(attempts):
                    next_id += rng.randint(1, 40)
                    creator = rng.choices(team.people, weights=team.member_weights)[0]
                    written.identities.add(creator.login)
                    failed = attempt < attempts - 1
                    record = _deployment(rng, api, next_id, environment, creator.login, moment)
                    month = month_of(day)
                    deployments.setdefault(month, []).append(record)
                    done = min(
                        moment + timedelta(minutes=rng.uniform(3, 25)),
                        firm.export_at - timedelta(seconds=1),
                    )
                    for state, at in (
                        ("in_progress", moment + timedelta(minutes=1)),
                        ("failure" if failed else "success", done),
                    ):
                        statuses.setdefault(month, []).append(
                            _status(rng, api, next_id, environment, state, min(at, done))
                        )
                    if environment == "production" and not failed:
                        if last_production is not None:
                            statuses.setdefault(month, []).append(
                                _status(
                                    rng, api, last_production["id"], environment, "inactive", done
                                )
                            )
                        last_production = record
                    moment = done + timedelta(minutes=rng.uniform(10, 60))
    for month in sorted(deployments):
        write_json(
            folder / f"deployments_{month}.json",
            sorted(deployments[month], key=lambda d: d["id"], reverse=True),
        )
        write_json(folder / f"deployment_statuses_{month}.json", statuses[month])
    return written


def _deployment(rng, api: str, deployment_id: int, environment: str, login: str, moment) -> dict:
    return {
        "url": f"{api}/deployments/{deployment_id}",
        "id": deployment_id,
        "node_id": "DE_" + hex_id(rng, 16),
        "sha": hex_id(rng, 40),
        "ref": "main",
        "task": "deploy",
        "payload": {},
        "original_environment": environment,
        "environment": environment,
        "description": f"Deploy to {environment}",
        "creator": {"login": login, "type": "User"},
        "created_at": iso_z(moment),
        "updated_at": iso_z(moment),
        "statuses_url": f"{api}/deployments/{deployment_id}/statuses",
        "repository_url": api,
        "transient_environment": False,
        "production_environment": environment == "production",
    }


def _status(rng, api: str, deployment_id: int, environment: str, state: str, moment) -> dict:
    status_id = rng.randint(10_000_000_000, 20_000_000_000)
    return {
        "url": f"{api}/deployments/{deployment_id}/statuses/{status_id}",
        "id": status_id,
        "state": state,
        "creator": BOT,
        "description": f"Deployment {state}",
        "environment": environment,
        "target_url": "",
        "created_at": iso_z(moment),
        "updated_at": iso_z(moment),
        "deployment_url": f"{api}/deployments/{deployment_id}",
        "repository_url": api,
    }
