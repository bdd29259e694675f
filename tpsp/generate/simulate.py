"""Simulating one firm: its teams and people, then a window of work and token use."""

import math
import random
from dataclasses import replace
from datetime import date, timedelta

from tpsp.generate import names
from tpsp.generate.activity import simulate_issues, simulate_pull_requests
from tpsp.generate.ids import (
    anthropic_key_id,
    anthropic_workspace_id,
    jira_account_id,
    openai_project_id,
    openai_user_id,
)
from tpsp.generate.plan import (
    ADOPTING_TEAMS,
    ADOPTION_CONTROL_TEAMS,
    ADOPTION_EFFECTS_PCT,
    FREEZE_DAYS,
    OUTLIER_FACTOR,
    Plan,
    Spike,
)
from tpsp.generate.tokens import simulate_budgets
from tpsp.generate.world import (
    ANTHROPIC_MODELS,
    CONTRACTORS,
    MAIN_MODELS,
    MODEL_CLASSES,
    OPENAI_MODELS,
    Firm,
    FirmSpec,
    Freeze,
    ModelUpgrade,
    Person,
    Team,
)
from tpsp.source_kinds import SOURCE_KINDS

SMALL_TEAM_SIZE = 2
GAMING_TEAM_SIZE = 3
TEAM_LEVEL_SIGMA = 0.08
TEAM_LEVEL_CAP = 0.15  # every team's tokens per PR stays within exp(±0.15) of its firm's


def build_firm(seed: int, spec: FirmSpec, plan: Plan) -> Firm:
    """Simulate one firm over the plan's window."""
    rng = random.Random(f"{seed}:{spec.slug}")
    is_spike_firm = plan.spike_firm == spec.index
    teams = _teams(
        rng,
        spec,
        outlier=plan.outlier_firm == spec.index,
        adoption=plan.adoption_firm == spec.index,
    )
    if plan.adoption_firm == spec.index:
        _plan_adoption(rng, teams, plan)
    if plan.gaming_firm == spec.index:
        teams.append(_gaming_team(rng, spec, teams))
    people = sum(len(team.people) for team in teams if team.in_org_map)
    model_mix = {
        kind: _model_mix(rng, kind, plan.spike if is_spike_firm else None)
        for kind in spec.kinds
        if SOURCE_KINDS[kind].carries == "usage"
    }
    regular = [team for team in teams if _is_regular(team)]
    firm = Firm(
        spec=spec,
        size_band=_size_band(round(people * rng.uniform(2.5, 4.0))),
        tco_overhead_multiplier=round(rng.uniform(1.2, 1.5), 2),
        tokens_per_pr=plan.levels[spec.index],
        start=plan.start,
        end=plan.end,
        teams=teams,
        kind_shares=_kind_shares(rng, spec.kinds),
        model_mix=model_mix,
        malformed_jira_page=plan.malformed_firm == spec.index,
        negative_anthropic_date=plan.negative_date if plan.negative_firm == spec.index else None,
    )
    if is_spike_firm and plan.spike is not None:
        # the largest team upgrades; the firm's other teams stay on the previous model
        firm.spike = replace(plan.spike, team=max(regular, key=lambda t: len(t.people)).name)
    if plan.swap_firm == spec.index and plan.swap is not None:
        firm.upgrade = _upgrade(model_mix, plan.swap.kind, plan.swap.date)
    if plan.trial_firm == spec.index and plan.trial is not None:
        firm.trial = plan.trial
        firm.trial_team = rng.choice([t for t in regular if not t.is_outlier]).name
    if plan.freeze_firm == spec.index and plan.freeze_start is not None:
        spiking = firm.spike.team if firm.spike else None
        frozen = rng.choice([t for t in regular if t.name != spiking])
        end = plan.freeze_start + timedelta(days=FREEZE_DAYS)
        firm.freeze = Freeze(frozen.name, plan.freeze_start, end)
    firm.issues = simulate_issues(rng, firm)
    firm.prs = simulate_pull_requests(rng, firm)
    firm.budgets = simulate_budgets(rng, firm)
    return firm


def _is_regular(team: Team) -> bool:
    """A team of the org map that works as usual: none of the planted special cases."""
    return team.in_org_map and not (team.is_small or team.is_gaming or team.never_adopts)


def _teams(rng: random.Random, spec: FirmSpec, outlier: bool, adoption: bool) -> list[Team]:
    delivery = any(SOURCE_KINDS[kind].carries == "delivery" for kind in spec.kinds)
    regular = ADOPTING_TEAMS + ADOPTION_CONTROL_TEAMS if adoption else rng.randint(3, 6)
    picked = rng.sample(names.TEAMS, regular + 1)
    # a firm rolling AI out team by team is large: large teams make each team's effect clear
    low, high = (10, 14) if adoption else (3, 12)
    sizes = [rng.randint(low, high) for _ in picked[:-1]] + [SMALL_TEAM_SIZE]
    if outlier:
        largest = sizes.index(max(sizes[:-1]))
        sizes[largest] = max(sizes[largest], rng.randint(7, 10))
    used: set[str] = set()
    teams = []
    for (name, key, repo), size in zip(picked, sizes, strict=True):
        teams.append(_team(rng, spec, name, key, repo, size, used))
    teams[-1].is_small = True
    if outlier:
        # exactly 6x, so the team stands out by the planted factor and not by its own noise
        teams[largest].tokens_factor = OUTLIER_FACTOR
        teams[largest].is_outlier = True
    if delivery:
        first = teams[0]
        contractors = _team(rng, spec, CONTRACTORS, first.project_key, first.repo, 2, used)
        contractors.in_org_map = False
        teams.append(contractors)
    return teams


def _plan_adoption(rng: random.Random, teams: list[Team], plan: Plan) -> None:
    """Staggered adoption dates and per-team effects; the remaining teams never adopt."""
    candidates = [team for team in teams if team.in_org_map and not team.is_small]
    rng.shuffle(candidates)
    adopters = candidates[:ADOPTING_TEAMS]
    effects = list(ADOPTION_EFFECTS_PCT)
    rng.shuffle(effects)
    for team, day, effect in zip(adopters, plan.adoption_dates, effects, strict=True):
        team.adopted_on = day
        team.adoption_effect_pct = effect
    for team in candidates[ADOPTING_TEAMS:]:
        team.never_adopts = True


def _gaming_team(rng: random.Random, spec: FirmSpec, teams: list[Team]) -> Team:
    taken = {team.name for team in teams}
    name, key, repo = rng.choice([t for t in names.TEAMS if t[0] not in taken])
    used = {p.login for team in teams for p in team.people}
    used |= {f"{p.first}.{p.last}" for team in teams for p in team.people}
    team = _team(rng, spec, name, key, repo, GAMING_TEAM_SIZE, used)
    team.is_gaming = True
    return team


def _upgrade(model_mix: dict[str, dict[str, float]], kind: str, day: date) -> ModelUpgrade:
    """The firm's main model of `kind` is replaced by the kind's model it did not use yet."""
    previous = next(iter(model_mix[kind]))
    pool = {
        "openai_usage": OPENAI_MODELS,
        "anthropic_usage": ANTHROPIC_MODELS,
    }.get(kind, OPENAI_MODELS + ANTHROPIC_MODELS)
    model = next(m for m in pool if m not in model_mix[kind])
    return ModelUpgrade(day, kind, previous, model)


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
