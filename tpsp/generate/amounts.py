"""Splitting token totals into integer parts: per person, per call, per token type."""

import random
from datetime import date

from tpsp.generate.times import is_weekend
from tpsp.generate.world import Person, Team

# Mean total tokens of one model call, by model family; small models get short calls.
_CALL_TOKENS = {
    "claude-opus": 45_000,
    "claude-sonnet": 35_000,
    "claude-haiku": 9_000,
    "gpt-4.1-mini": 8_000,
    "o4-mini": 12_000,
    "gpt-4.1": 25_000,
    "gpt-4o": 20_000,
}


def mean_call_tokens(model: str) -> int:
    return next((size for prefix, size in _CALL_TOKENS.items() if model.startswith(prefix)), 20_000)


def split_int(total: int, weights: list[float]) -> list[int]:
    """Integer parts proportional to `weights` that add up to exactly `total`."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    parts, running, previous = [], 0.0, 0
    for weight in weights:
        running += weight
        current = round(total * running / whole)
        parts.append(current - previous)
        previous = current
    return parts


def active_members(rng: random.Random, team: Team, day: date) -> list[tuple[Person, float]]:
    """Who used the tools that day, with their relative share; at least one person."""
    presence = 0.25 if is_weekend(day) else 0.85
    active = [
        (person, weight * rng.uniform(0.5, 1.5))
        for person, weight in zip(team.people, team.member_weights, strict=True)
        if rng.random() < presence
    ]
    if not active:
        person = rng.choices(team.people, weights=team.member_weights)[0]
        active = [(person, 1.0)]
    return active


def call_sizes(rng: random.Random, total: int, model: str) -> list[int]:
    """Heavy-tailed per-call totals (lognormal, sigma 1) that add up to `total`."""
    count = max(1, round(total / mean_call_tokens(model)))
    draws = [rng.lognormvariate(0.0, 1.0) for _ in range(count)]
    return [size for size in split_int(total, draws) if size > 0]


def output_share(rng: random.Random) -> float:
    return rng.uniform(0.02, 0.1)
