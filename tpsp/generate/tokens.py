"""Token budgets: how many tokens each team uses per day, source kind and model."""

import math
import random
from datetime import date

from tpsp.generate.activity import PRS_PER_PERSON_DAY
from tpsp.generate.times import day_weight
from tpsp.generate.world import Firm, Team, TokenBudget

DAILY_NOISE_SIGMA = 0.25
DAILY_NOISE_CAP = 0.3  # log-scale cap: a team-day never strays beyond exp(±0.3) of its rhythm

# The gaming team's script: the same request, GAMING_CALLS_PER_HOUR times every hour.
GAMING_KIND = "otel_genai_spans"
GAMING_MODEL = "gpt-4.1-mini-2025-04-14"
GAMING_CALLS_PER_HOUR = 6
GAMING_INPUT_TOKENS = 1_800
GAMING_OUTPUT_TOKENS = 350
GAMING_CALL_TOKENS = GAMING_INPUT_TOKENS + GAMING_OUTPUT_TOKENS


def _noise(rng: random.Random) -> float:
    return math.exp(max(-DAILY_NOISE_CAP, min(DAILY_NOISE_CAP, rng.gauss(0, DAILY_NOISE_SIGMA))))


def _jittered(rng: random.Random, shares: dict[str, float]) -> dict[str, float]:
    raw = {model: share * math.exp(rng.gauss(0.0, 0.15)) for model, share in shares.items()}
    total = sum(raw.values())
    return {model: value / total for model, value in raw.items()}


def simulate_budgets(rng: random.Random, firm: Firm) -> list[TokenBudget]:
    """Tokens per team and day follow the team's expected delivery, not its luck.

    base = firm tokens-per-PR level x team factor x expected PRs of the day x daily noise.
    A spike adds its extra tokens to the new model only, so the new model carries the jump.
    """
    budgets: list[TokenBudget] = []
    for team in firm.teams:
        if team.is_gaming:
            budgets += _script_budgets(firm, team)
            continue
        rate = PRS_PER_PERSON_DAY * len(team.people)
        for day in firm.days:
            if not team.uses_ai_on(day):
                continue
            base = firm.tokens_per_pr * team.tokens_factor * rate * day_weight(day) * _noise(rng)
            for kind, kind_share in firm.kind_shares.items():
                shares, extra = _model_shares(rng, firm, team, kind, day, base)
                for model, share in shares.items():
                    tokens = base * kind_share * share + extra.get(model, 0.0)
                    budgets.append(TokenBudget(team.name, day, kind, model, round(tokens)))
    return budgets


def _model_shares(
    rng: random.Random, firm: Firm, team: Team, kind: str, day: date, base: float
) -> tuple[dict[str, float], dict[str, float]]:
    """The day's share of each model in `kind`, and extra tokens on top of `base`."""
    shares = _jittered(rng, firm.model_mix[kind])
    extra: dict[str, float] = {}
    spike, upgrade, trial = firm.spike, firm.upgrade, firm.trial
    if spike is not None and kind == spike.kind and team.name == spike.team and day >= spike.date:
        shares = _renamed(shares, spike.previous_model, spike.model)
        extra[spike.model] = (spike.tokens_factor(day) - 1.0) * base
    if upgrade is not None and kind == upgrade.kind and day >= upgrade.date:
        shares = _renamed(shares, upgrade.previous_model, upgrade.model)
    if (
        trial is not None
        and kind == trial.kind
        and team.name == firm.trial_team
        and trial.start <= day < trial.end
    ):
        main = next(iter(shares))
        shares[trial.model] = shares[main] * trial.share
        shares[main] -= shares[trial.model]
    return shares, extra


def _renamed(shares: dict[str, float], old: str, new: str) -> dict[str, float]:
    return {(new if model == old else model): share for model, share in shares.items()}


def _script_budgets(firm: Firm, team: Team) -> list[TokenBudget]:
    """Around the clock, every day alike: no weekday rhythm, no noise."""
    daily = 24 * GAMING_CALLS_PER_HOUR * GAMING_CALL_TOKENS
    return [TokenBudget(team.name, day, GAMING_KIND, GAMING_MODEL, daily) for day in firm.days]
