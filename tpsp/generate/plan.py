"""Where the planted truths go: which firm spikes, which team is the outlier, which files break.

The plan is decided before any firm is simulated, from the firms' source kinds alone, so
every firm's simulation can take its part of the plan into account.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

MEDIAN_TOKENS_PER_PR = 400_000.0
FIRM_LEVEL_SIGMA = 0.4
FIRM_LEVEL_CAP = 0.6  # levels stay within exp(±0.6) of the median: about 0.55x to 1.8x

PER_USER_USAGE = ("otel_genai_spans", "openai_usage", "anthropic_usage")

SPIKE_PREVIOUS_MODEL = "claude-sonnet-4-20250514"
SPIKE_MODEL = "claude-opus-4-1-20250805"
OUTLIER_FACTOR = 6.0


@dataclass(frozen=True)
class Spike:
    """A model upgrade: the main model is replaced and the firm's tokens jump."""

    date: date
    previous_model: str
    model: str
    kind: str = "otel_genai_spans"
    factor: float = 3.0  # total tokens on the spike date and the next `days - 1` days
    days: int = 4
    after_factor: float = 1.2  # total tokens on every later day

    def tokens_factor(self, day: date) -> float:
        if day < self.date:
            return 1.0
        if day < self.date + timedelta(days=self.days):
            return self.factor
        return self.after_factor


@dataclass(frozen=True)
class BadInput:
    """A raw file planted with a defect, and what the pipeline is expected to do with it."""

    kind: str
    file: str  # relative to raw/<firm_slug>
    date: date | None
    defect: str  # "malformed_json" | "negative_tokens"
    expected: str  # "anonymize_skips" | "gate_quarantines"


@dataclass(frozen=True)
class Plan:
    start: date
    end: date
    levels: tuple[float, ...]  # firm-level tokens per pull request, by firm index
    spike_firm: int | None
    spike: Spike | None
    outlier_firm: int | None
    malformed_firm: int | None  # a truncated jira_issues page
    negative_firm: int | None  # an anthropic_usage re-export with a negative token count
    negative_date: date | None


def choose_plan(seed: int, kinds: list[tuple[str, ...]], start: date, end: date) -> Plan:
    days = (end - start).days + 1
    spike_firm = next((i for i, k in enumerate(kinds) if "otel_genai_spans" in k), None)
    outlier_firm = next(
        (
            i
            for i, k in enumerate(kinds)
            if i != spike_firm and "github_pulls" in k and any(u in k for u in PER_USER_USAGE)
        ),
        None,
    )
    spike_date = _spike_date(start, end, days)
    spike = None
    if spike_firm is not None and spike_date is not None:
        spike = Spike(spike_date, SPIKE_PREVIOUS_MODEL, SPIKE_MODEL)
    else:
        spike_firm = None
    with_jira = [i for i, k in enumerate(kinds) if "jira_issues" in k]
    quiet_jira = [i for i in with_jira if i not in (spike_firm, outlier_firm)]
    malformed_firm = (quiet_jira or with_jira or [None])[-1]
    negative_firm = next((i for i, k in enumerate(kinds) if "anthropic_usage" in k), None)
    negative_date = _negative_date(start, end, days) if negative_firm is not None else None
    if negative_date is None:
        negative_firm = None
    return Plan(
        start=start,
        end=end,
        levels=_firm_levels(seed, len(kinds), outlier_firm),
        spike_firm=spike_firm,
        spike=spike,
        outlier_firm=outlier_firm,
        malformed_firm=malformed_firm,
        negative_firm=negative_firm,
        negative_date=negative_date,
    )


def _firm_levels(seed: int, firms: int, outlier_firm: int | None) -> tuple[float, ...]:
    """Lognormal tokens-per-PR levels; the outlier firm gets the highest one.

    With the highest level, the outlier team (6x its own firm) also stands far above the
    median team of any cohort of firms it is compared with.
    """
    rng = random.Random(f"{seed}:levels")
    levels = [
        MEDIAN_TOKENS_PER_PR
        * math.exp(max(-FIRM_LEVEL_CAP, min(FIRM_LEVEL_CAP, rng.gauss(0.0, FIRM_LEVEL_SIGMA))))
        for _ in range(firms)
    ]
    if outlier_firm is not None:
        top = levels.index(max(levels))
        levels[top], levels[outlier_firm] = levels[outlier_firm], levels[top]
    return tuple(levels)


def _spike_date(start: date, end: date, days: int) -> date | None:
    """A Tuesday about two thirds through the window, so the spike days are all weekdays."""
    target = start + timedelta(days=round(days * 2 / 3))
    spike = target - timedelta(days=(target.weekday() - 1) % 7)
    while spike < start + timedelta(days=30):
        spike += timedelta(days=7)
    return spike if spike + timedelta(days=3) <= end else None


def _negative_date(start: date, end: date, days: int) -> date | None:
    """A Wednesday about a third through the window."""
    target = start + timedelta(days=days // 3)
    day = target - timedelta(days=(target.weekday() - 2) % 7)
    while day < start:
        day += timedelta(days=7)
    return day if day <= end else None
