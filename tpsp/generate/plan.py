"""Where the planted truths go: which firm spikes, which team is the outlier, which files break.

The plan is decided before any firm is simulated, from the firms' source kinds alone, so
every firm's simulation can take its part of the plan into account. Beside each planted
case the plan places a decoy that a naive rule would also flag: a model upgrade that does
not change the volume, a two-week code freeze.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

MEDIAN_TOKENS_PER_PR = 400_000.0
FIRM_LEVEL_SIGMA = 0.4
FIRM_LEVEL_CAP = 0.5  # levels stay within exp(±0.5) of the median: about 0.6x to 1.65x

PER_USER_USAGE = ("otel_genai_spans", "openai_usage", "anthropic_usage")
PULL_REQUEST_KINDS = ("github_pulls", "gitlab_merge_requests")
TEAM_USAGE = (*PER_USER_USAGE, "claude_code_otel", "litellm_spend")

SPIKE_PREVIOUS_MODEL = "claude-sonnet-4-20250514"
SPIKE_MODEL = "claude-opus-4-1-20250805"
OUTLIER_FACTOR = 6.0

ADOPTING_TEAMS = 5
ADOPTION_CONTROL_TEAMS = 5
ADOPTION_WINDOW_DAYS = 28  # dbt var adoption_window_days: shipped work on both sides
# Teams gain unequally from AI: cycle-time factors 0.7 x exp(0.25 k), k = -2..2, whose
# geometric mean is 0.7 exactly (the firm's effect, -30%); one team even slows down.
ADOPTION_FACTOR = 0.7
ADOPTION_EFFECTS_PCT = tuple(
    round(100 * (ADOPTION_FACTOR * math.exp(0.25 * k) - 1), 2) for k in range(-2, 3)
)

TRIAL_MODEL = "ft:gpt-4.1-mini-2025-04-14:personal:triage:Bq7XkP2d"  # no list price
TRIAL_SHARE = 0.3
FREEZE_DAYS = 14


@dataclass(frozen=True)
class Spike:
    """A model upgrade: the main model is replaced and the firm's tokens jump."""

    date: date
    previous_model: str
    model: str
    kind: str = "otel_genai_spans"
    team: str = ""  # set when the firm's teams exist: the team that upgrades
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
class ModelSwap:
    """From `date` on, the firm's main model of `kind` is replaced at the same volume."""

    date: date
    kind: str


@dataclass(frozen=True)
class ModelTrial:
    """One team routes TRIAL_SHARE of one kind's main-model tokens to an unpriced model."""

    start: date
    end: date  # exclusive
    kind: str
    model: str = TRIAL_MODEL
    share: float = TRIAL_SHARE


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
    gaming_firm: int | None = None  # an extra team runs a script: 24/7, one request, no output
    adoption_firm: int | None = None  # teams start using AI on staggered dates
    adoption_dates: tuple[date, ...] = ()  # one per adopting team
    trial_firm: int | None = None
    trial: ModelTrial | None = None
    swap_firm: int | None = None  # decoy: a model upgrade without a spike
    swap: ModelSwap | None = None
    freeze_firm: int | None = None  # decoy: one team ships nothing for FREEZE_DAYS
    freeze_start: date | None = None


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
    planted = {spike_firm, outlier_firm}
    gaming_firm = _first(kinds, ("otel_genai_spans",), avoid=planted)
    if gaming_firm is None:
        gaming_firm = spike_firm  # a firm with spans: the gaming team is a team of its own
    adoption_firm = _first(
        kinds, PULL_REQUEST_KINDS, avoid=planted | {gaming_firm}, also=TEAM_USAGE
    )
    adoption_dates = _adoption_dates(start, end)
    if not adoption_dates:
        adoption_firm = None
    trial_firm = _first(kinds, ("openai_usage",), avoid={outlier_firm, adoption_firm})
    trial_start = _monday_on_or_after(start + timedelta(days=7))
    while trial_start.month != (trial_start + timedelta(days=4)).month:
        trial_start += timedelta(days=7)  # one working week inside one month
    trial = ModelTrial(trial_start, trial_start + timedelta(days=5), "openai_usage")
    if trial_firm is None or trial.end > end:
        trial_firm, trial = None, None
    swap_firm = _first(kinds, ("otel_genai_spans", "openai_usage"), avoid={spike_firm})
    swap = ModelSwap(_spike_date(start, end, days) or end, "")
    if swap_firm is None or swap.date >= end:
        swap_firm, swap = None, None
    else:
        swap = ModelSwap(swap.date, next(k for k in kinds[swap_firm] if k in PER_USER_USAGE))
    freeze_firm = _first(kinds, PULL_REQUEST_KINDS, avoid={adoption_firm, outlier_firm})
    freeze_start = _monday_on_or_after(start + timedelta(days=days // 2))
    if freeze_firm is None or freeze_start + timedelta(days=FREEZE_DAYS + 7) > end:
        freeze_firm, freeze_start = None, None
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
        gaming_firm=gaming_firm,
        adoption_firm=adoption_firm,
        adoption_dates=adoption_dates if adoption_firm is not None else (),
        trial_firm=trial_firm,
        trial=trial,
        swap_firm=swap_firm,
        swap=swap,
        freeze_firm=freeze_firm,
        freeze_start=freeze_start,
    )


def _first(
    kinds: list[tuple[str, ...]],
    wanted: tuple[str, ...],
    avoid: set[int | None],
    also: tuple[str, ...] = (),
) -> int | None:
    """The first firm with one of `wanted` (and one of `also`) that is not in `avoid`."""
    return next(
        (
            i
            for i, k in enumerate(kinds)
            if i not in avoid
            and any(w in k for w in wanted)
            and (not also or any(a in k for a in also))
        ),
        None,
    )


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _adoption_dates(start: date, end: date) -> tuple[date, ...]:
    """Staggered Mondays with ADOPTION_WINDOW_DAYS of work before and after each of them.

    The teams adopt in turn, one Monday after another, cycling when the window is short.
    """
    first = _monday_on_or_after(start + timedelta(days=ADOPTION_WINDOW_DAYS + 2))
    last = end - timedelta(days=ADOPTION_WINDOW_DAYS)
    mondays = []
    day = first
    while day <= last:
        mondays.append(day)
        day += timedelta(days=7)
    if not mondays:
        return ()
    return tuple(sorted(mondays[i % len(mondays)] for i in range(ADOPTING_TEAMS)))


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
