"""Token budgets: how many tokens each team uses per day, source kind and model."""

import math
import random

from tpsp.generate.activity import PRS_PER_PERSON_DAY
from tpsp.generate.times import day_weight
from tpsp.generate.world import Firm, TokenBudget

DAILY_NOISE_SIGMA = 0.25
DAILY_NOISE_CAP = 0.3  # log-scale cap: a team-day never strays beyond exp(±0.3) of its rhythm


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
    spike = firm.spike
    for team in firm.teams:
        rate = PRS_PER_PERSON_DAY * len(team.people)
        for day in firm.days:
            base = firm.tokens_per_pr * team.tokens_factor * rate * day_weight(day) * _noise(rng)
            for kind, kind_share in firm.kind_shares.items():
                shares = _jittered(rng, firm.model_mix[kind])
                extra: dict[str, float] = {}
                if spike is not None and kind == spike.kind and day >= spike.date:
                    shares = {
                        (spike.model if m == spike.previous_model else m): s
                        for m, s in shares.items()
                    }
                    extra[spike.model] = (spike.tokens_factor(day) - 1.0) * base
                for model, share in shares.items():
                    tokens = base * kind_share * share + extra.get(model, 0.0)
                    budgets.append(TokenBudget(team.name, day, kind, model, round(tokens)))
    return budgets
