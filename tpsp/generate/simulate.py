"""Simulating one firm: its teams and people, then a window of work and token use."""

import math
import random

from tpsp.generate import names
from tpsp.generate.activity import simulate_issues, simulate_pull_requests
from tpsp.generate.ids import (
    anthropic_key_id,
    anthropic_workspace_id,
    jira_account_id,
    openai_project_id,
    openai_user_id,
)
from tpsp.generate.plan import OUTLIER_FACTOR, Plan, Spike
from tpsp.generate.tokens import simulate_budgets
from tpsp.generate.world import (
    ANTHROPIC_MODELS,
    CONTRACTORS,
    MAIN_MODELS,
    MODEL_CLASSES,
    OPENAI_MODELS,
    Firm,
    FirmSpec,
    Person,
    Team,
)
from tpsp.source_kinds import SOURCE_KINDS

SMALL_TEAM_SIZE = 2
TEAM_LEVEL_SIGMA = 0.08
TEAM_LEVEL_CAP = 0.15  # every team's tokens per PR stays within exp(±0.15) of its firm's


def build_firm(seed: int, spec: FirmSpec, plan: Plan) -> Firm:
    """Simulate one firm over the plan's window."""
    rng = random.Random(f"{seed}:{spec.slug}")
    is_spike_firm = plan.spike_firm == spec.index
    teams = _teams(rng, spec, outlier=plan.outlier_firm == spec.index)
    people = sum(len(team.people) for team in teams if team.in_org_map)
    firm = Firm(
        spec=spec,
        size_band=_size_band(round(people * rng.uniform(2.5, 4.0))),
        tco_overhead_multiplier=round(rng.uniform(1.2, 1.5), 2),
        tokens_per_pr=plan.levels[spec.index],
        start=plan.start,
        end=plan.end,
        teams=teams,
        kind_shares=_kind_shares(rng, spec.kinds),
        model_mix={
            kind: _model_mix(rng, kind, plan.spike if is_spike_firm else None)
            for kind in spec.kinds
            if SOURCE_KINDS[kind].carries == "usage"
        },
        spike=plan.spike if is_spike_firm else None,
        malformed_jira_page=plan.malformed_firm == spec.index,
        negative_anthropic_date=plan.negative_date if plan.negative_firm == spec.index else None,
    )
    firm.issues = simulate_issues(rng, firm)
    firm.prs = simulate_pull_requests(rng, firm)
    firm.budgets = simulate_budgets(rng, firm)
    return firm


def _teams(rng: random.Random, spec: FirmSpec, outlier: bool) -> list[Team]:
    delivery = any(SOURCE_KINDS[kind].carries == "delivery" for kind in spec.kinds)
    picked = rng.sample(names.TEAMS, rng.randint(3, 6) + 1)
    sizes = [rng.randint(3, 12) for _ in picked[:-1]] + [SMALL_TEAM_SIZE]
    if outlier:
        largest = sizes.index(max(sizes[:-1]))
        sizes[largest] = max(sizes[largest], rng.randint(7, 10))
    used: set[str] = set()
    teams = []
    for (name, key, repo), size in zip(picked, sizes, strict=True):
        teams.append(_team(rng, spec, name, key, repo, size, used))
    teams[-1].is_small = True
    if outlier:
        teams[largest].tokens_factor = OUTLIER_FACTOR
        teams[largest].is_outlier = True
    if delivery:
        first = teams[0]
        contractors = _team(rng, spec, CONTRACTORS, first.project_key, first.repo, 2, used)
        contractors.in_org_map = False
        teams.append(contractors)
    return teams


def _team(
    rng: random.Random,
    spec: FirmSpec,
    name: str,
    key: str,
    repo: str,
    size: int,
    used: set[str],
) -> Team:
    people = [_person(rng, spec, used) for _ in range(size)]
    return Team(
        name=name,
        project_key=key,
        repo=repo,
        people=people,
        member_weights=[rng.lognormvariate(0.0, 0.5) for _ in people],
        openai_project_id=openai_project_id(rng),
        anthropic_workspace_id=anthropic_workspace_id(rng),
        tokens_factor=math.exp(
            max(-TEAM_LEVEL_CAP, min(TEAM_LEVEL_CAP, rng.gauss(0.0, TEAM_LEVEL_SIGMA)))
        ),
    )


def _person(rng: random.Random, spec: FirmSpec, used: set[str]) -> Person:
    """A new person of the firm; `used` holds the names and logins already taken."""
    while True:
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        logins = [f"{first}-{last}", f"{first[0]}{last}", f"{first}{last[:3]}-dev"]
        login = rng.choice(logins)
        if f"{first}.{last}" not in used and login not in used:
            used.update((f"{first}.{last}", login))
            break
    return Person(
        first=first,
        last=last,
        email=f"{first}.{last}@{spec.domain}",
        login=login,
        openai_user_id=openai_user_id(rng),
        anthropic_key_id=anthropic_key_id(rng),
        jira_account_id=jira_account_id(rng),
    )


def _size_band(employees: int) -> str:
    for upper, band in ((50, "11-50"), (200, "51-200"), (1000, "201-1000")):
        if employees <= upper:
            return band
    return "1001-5000"


def _kind_shares(rng: random.Random, kinds: tuple[str, ...]) -> dict[str, float]:
    usage = [kind for kind in kinds if SOURCE_KINDS[kind].carries == "usage"]
    if len(usage) == 1:
        return {usage[0]: 1.0}
    first = rng.uniform(0.4, 0.6)
    rest = (1.0 - first) / (len(usage) - 1)
    return {kind: first if i == 0 else rest for i, kind in enumerate(usage)}


def _model_mix(rng: random.Random, kind: str, spike: Spike | None) -> dict[str, float]:
    """Shares of the firm's models in one usage kind; the first model is the main one."""
    if kind == "daily_totals":
        frontier, mid = rng.uniform(0.25, 0.45), rng.uniform(0.35, 0.5)
        return dict(zip(MODEL_CLASSES, (frontier, mid, 1.0 - frontier - mid), strict=True))
    if spike is not None and kind == spike.kind:
        main = spike.previous_model
        others = [m for m in ("claude-haiku-4-5-20251001", "gpt-4.1-mini-2025-04-14") if m != main]
    else:
        pool = {
            "openai_usage": OPENAI_MODELS,
            "anthropic_usage": ANTHROPIC_MODELS,
            "claude_code_otel": ANTHROPIC_MODELS,
        }.get(kind, OPENAI_MODELS + ANTHROPIC_MODELS)
        main = rng.choice([m for m in pool if m in MAIN_MODELS])
        others = rng.sample([m for m in pool if m != main], 2)
    main_share = rng.uniform(0.5, 0.7)
    split = rng.uniform(0.3, 0.7)
    rest = 1.0 - main_share
    return {main: main_share, others[0]: rest * split, others[1]: rest * (1.0 - split)}
