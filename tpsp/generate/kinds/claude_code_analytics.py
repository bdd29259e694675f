"""Claude Code Analytics Admin API, ``GET /v1/organizations/usage_report/claude_code``: one
JSON page per file, as a firm saves each response of the daily report.

The report covers a single UTC day (``starting_at=YYYY-MM-DD``) and pages with ``limit``
(default 20), ``has_more`` and the opaque cursor ``next_page``. Each record of ``data`` is one
actor on that day: ``date`` (RFC 3339, midnight UTC), ``actor`` (``{"type": "user_actor",
"email_address"}`` for people signed in with OAuth, ``{"type": "api_actor", "api_key_name"}``
for API keys), ``organization_id``, ``customer_type`` (``api`` or ``subscription``),
``terminal_type``, ``core_metrics`` {``num_sessions``, ``lines_of_code`` {``added``,
``removed``}, ``commits_by_claude_code``, ``pull_requests_by_claude_code``}, ``tool_actions``
{``edit_tool``, ``multi_edit_tool``, ``write_tool``, ``notebook_edit_tool``: {``accepted``,
``rejected``}} and ``model_breakdown[]`` {``model``, ``tokens`` {``input``, ``output``,
``cache_read``, ``cache_creation``}, ``estimated_cost`` {``currency``, ``amount`` in cents}}.

The tokens are the firm's ``claude_code_otel`` budgets: per team, day and model they add up to
what the team's Claude Code telemetry reports, split over the people who used it that day
(``input`` excludes the cached tokens, as the telemetry's ``input`` type does). Pull requests
by Claude Code are some of the team's pull requests opened that day by those people; commits
and lines follow from them.
"""

import random
import uuid
from datetime import date
from pathlib import Path

from tpsp.generate.amounts import active_members, output_share, split_int
from tpsp.generate.files import write_json
from tpsp.generate.ids import alnum
from tpsp.generate.kinds.base import Written
from tpsp.generate.prices import list_cost
from tpsp.generate.world import Firm, Person, PullRequest, Team

KIND = "claude_code_analytics"
TELEMETRY_KIND = "claude_code_otel"
PER_PAGE = 20
USERS_SHARE = 0.5
API_KEY_SHARE = 0.15  # people who run Claude Code on an API key rather than signed in
CLAUDE_CODE_PR_SHARE = 0.6
TERMINALS = ("vscode", "iTerm.app", "tmux", "cursor")
EDIT_TOOLS = ("edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool")


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    budgets = _budgets_by_team_day(firm)
    organization = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    api_users = {
        person.email
        for team in firm.teams
        for person in team.people
        if rng.random() < API_KEY_SHARE
    }
    prs_by_team_day = _prs_by_team_day(firm)
    for day in firm.days:
        records = []
        for team in firm.teams:
            models = budgets.get((team.name, day))
            if not models:
                continue
            prs = prs_by_team_day.get((team.name, day), [])
            for person, tokens in _users_tokens(rng, team, day, models):
                api = person.email in api_users
                records.append(_record(rng, person, day, tokens, prs, api, organization))
                written.identities.add(person.anthropic_key_id if api else person.email)
        _write_pages(rng, folder, day, records)
    return written


def _budgets_by_team_day(firm: Firm) -> dict[tuple[str, date], dict[str, int]]:
    by_team_day: dict[tuple[str, date], dict[str, int]] = {}
    for budget in firm.budgets:
        if budget.kind == TELEMETRY_KIND and budget.tokens > 0:
            by_team_day.setdefault((budget.team, budget.day), {})[budget.model] = budget.tokens
    return by_team_day


def _prs_by_team_day(firm: Firm) -> dict[tuple[str, date], list[PullRequest]]:
    by_team_day: dict[tuple[str, date], list[PullRequest]] = {}
    for pr in firm.prs:
        if pr.team is not None:
            by_team_day.setdefault((pr.team, pr.created.date()), []).append(pr)
    return by_team_day


def _users_tokens(
    rng: random.Random, team: Team, day: date, models: dict[str, int]
) -> list[tuple[Person, dict[str, int]]]:
    """The day's Claude Code users of the team and their tokens per model; every token of
    the team-day goes to someone, so the team's totals are the telemetry's."""
    active = active_members(rng, team, day)
    users = rng.sample(active, max(1, round(len(active) * USERS_SHARE)))
    weights = [weight for _, weight in users]
    tokens: list[dict[str, int]] = [{} for _ in users]
    for model in sorted(models):
        for index, part in enumerate(split_int(models[model], weights)):
            if part > 0:
                tokens[index][model] = part
    return [(person, parts) for (person, _), parts in zip(users, tokens, strict=True) if parts]


def _record(
    rng: random.Random,
    person: Person,
    day: date,
    tokens_by_model: dict[str, int],
    team_prs: list[PullRequest],
    api: bool,
    organization: str,
) -> dict:
    own = [pr for pr in team_prs if pr.author_login == person.login]
    by_claude = [pr for pr in own if rng.random() < CLAUDE_CODE_PR_SHARE]
    added = sum(round(pr.additions * rng.uniform(0.4, 0.9)) for pr in by_claude)
    removed = sum(round(pr.deletions * rng.uniform(0.4, 0.9)) for pr in by_claude)
    added += rng.randint(0, 120)
    removed += rng.randint(0, 30)
    actor = (
        {"type": "api_actor", "api_key_name": person.anthropic_key_id}
        if api
        else {"type": "user_actor", "email_address": person.email}
    )
    return {
        "date": f"{day.isoformat()}T00:00:00Z",
        "actor": actor,
        "organization_id": organization,
        "customer_type": "api",
        "terminal_type": rng.choice(TERMINALS),
        "core_metrics": {
            "num_sessions": rng.randint(1, 3),
            "lines_of_code": {"added": added, "removed": removed},
            "commits_by_claude_code": len(by_claude) + rng.randint(0, 2),
            "pull_requests_by_claude_code": len(by_claude),
        },
        "tool_actions": _tool_actions(rng, added),
        "model_breakdown": [
            _model_usage(rng, model, day, tokens) for model, tokens in tokens_by_model.items()
        ],
    }


def _tool_actions(rng: random.Random, lines_added: int) -> dict:
    edits = max(1, lines_added // rng.randint(8, 20))
    shares = {"edit_tool": 0.6, "multi_edit_tool": 0.2, "write_tool": 0.15}
    actions = {}
    for tool in EDIT_TOOLS:
        accepted = round(edits * shares.get(tool, 0.0) * rng.uniform(0.7, 1.3))
        if tool == "notebook_edit_tool" and rng.random() < 0.1:
            accepted = rng.randint(1, 3)
        actions[tool] = {"accepted": accepted, "rejected": round(accepted * rng.uniform(0, 0.2))}
    return actions


def _model_usage(rng: random.Random, model: str, day: date, tokens: int) -> dict:
    output = max(1, round(tokens * output_share(rng)))
    prompt = tokens - output
    cache_read = round(prompt * rng.uniform(0.55, 0.85))
    cache_creation = round(prompt * rng.uniform(0.04, 0.1))
    uncached = prompt - cache_read - cache_creation
    cost = list_cost("anthropic", model, day, uncached, output, cache_read, cache_creation)
    return {
        "model": model,
        "tokens": {
            "input": uncached,
            "output": output,
            "cache_read": cache_read,
            "cache_creation": cache_creation,
        },
        "estimated_cost": {"currency": "USD", "amount": round(float(cost) * 100, 2)},
    }


def _write_pages(rng: random.Random, folder: Path, day: date, records: list[dict]) -> None:
    pages = [records[start : start + PER_PAGE] for start in range(0, len(records), PER_PAGE)]
    for index, page in enumerate(pages, start=1):
        more = index < len(pages)
        document = {
            "data": page,
            "has_more": more,
            "next_page": f"page_{alnum(rng, 24)}" if more else None,
        }
        write_json(folder / f"claude_code_{day.isoformat()}_p{index}.json", document)
