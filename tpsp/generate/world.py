"""The simulated world's vocabulary: firms, teams, people and what they produce.

`tpsp.generate.simulate` fills these structures once per firm, in memory; the writers in
`tpsp.generate.kinds` then render the same world in each vendor's export format, so every
source kind of a firm tells the same story.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tpsp.generate import names
from tpsp.generate.ids import firm_pseudonym
from tpsp.generate.plan import ModelTrial, Spike
from tpsp.generate.times import date_range, local_instant, work_second

# Source kinds per firm, in firm order; more firms cycle through the list. Every kind is
# used by some firm, and the mixes differ: GitHub + Jira, GitHub issues, GitLab + Linear,
# daily totals only; Claude Code and a LiteLLM gateway beside the provider usage reports.
# Assistant activity reports follow: Claude Code's analytics where its telemetry is,
# Copilot's where GitHub is. Vendor cost reports come last, for every provider a firm's
# usage kinds can reach (see simulate._model_mix): the generator prices them from the tokens
# the usage kinds billed.
KIND_MIX: tuple[tuple[str, ...], ...] = (
    (
        "otel_genai_spans",
        "github_pulls",
        "jira_issues",
        "deployments",
        "copilot_usage_metrics",
        "anthropic_cost_report",
        "openai_costs",
    ),
    (
        "openai_usage",
        "github_pulls",
        "jira_issues",
        "github_releases",
        "copilot_usage_metrics",
        "openai_costs",
    ),
    (
        "anthropic_usage",
        "claude_code_otel",
        "gitlab_merge_requests",
        "linear_issues",
        "claude_code_analytics",
        "anthropic_cost_report",
    ),
    ("daily_totals",),
    (
        "openai_usage",
        "anthropic_usage",
        "litellm_spend",
        "github_pulls",
        "github_issues",
        "copilot_usage_metrics",
        "anthropic_cost_report",
        "openai_costs",
    ),
    (
        "otel_genai_spans",
        "claude_code_otel",
        "gitlab_merge_requests",
        "jira_issues",
        "claude_code_analytics",
        "anthropic_cost_report",
        "openai_costs",
    ),
)
PULL_REQUEST_KINDS = ("github_pulls", "gitlab_merge_requests")

OPENAI_MODELS = (
    "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4o-2024-08-06",
    "o4-mini-2025-04-16",
)
ANTHROPIC_MODELS = (
    "claude-sonnet-4-20250514",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "claude-opus-4-1-20250805",
)
MAIN_MODELS = (
    "claude-sonnet-4-20250514",
    "claude-sonnet-4-5-20250929",
    "gpt-4.1-2025-04-14",
    "gpt-4o-2024-08-06",
)
MODEL_CLASSES = ("frontier", "mid", "small")

CONTRACTORS = "contractors"  # people who work for the firm but are missing from its org map
BOT_LOGIN = "dependabot[bot]"


def provider_of(model: str) -> str:
    return "anthropic" if model.startswith("claude") else "openai"


def repository_url(firm: "Firm", repo: str) -> str:
    """Where a firm hosts its code: GitLab for firms that export merge requests."""
    if "gitlab_merge_requests" in firm.spec.kinds:
        return f"https://gitlab.{firm.spec.domain}/{firm.slug}/{repo}.git"
    return f"https://github.com/{firm.slug}/{repo}.git"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    login: str
    openai_user_id: str
    anthropic_key_id: str
    jira_account_id: str

    @property
    def display_name(self) -> str:
        return f"{self.first.title()} {self.last.title()}"

    def identities(self) -> tuple[str, ...]:
        return (
            self.email,
            self.login,
            self.openai_user_id,
            self.anthropic_key_id,
            self.jira_account_id,
        )


@dataclass
class Team:
    name: str
    project_key: str
    repo: str
    people: list[Person]
    member_weights: list[float]
    openai_project_id: str
    anthropic_workspace_id: str
    tokens_factor: float = 1.0  # tokens per pull request relative to the firm level
    in_org_map: bool = True
    is_small: bool = False
    is_outlier: bool = False
    is_gaming: bool = False  # a script's calls around the clock, and nothing shipped
    adopted_on: date | None = None  # no AI tokens before this day (None: from the start)
    never_adopts: bool = False  # no AI tokens in the window: a control team
    adoption_effect_pct: float = 0.0  # change of cycle time of work started after adopted_on

    @property
    def ships(self) -> bool:
        return not self.is_gaming

    def uses_ai_on(self, day: date) -> bool:
        if self.never_adopts:
            return False
        return self.adopted_on is None or day >= self.adopted_on

    def cycle_time_factor(self, day: date) -> float:
        """Work started on `day` takes this factor of the team's usual time."""
        if self.adopted_on is not None and day >= self.adopted_on:
            return 1.0 + self.adoption_effect_pct / 100.0
        return 1.0


@dataclass
class PullRequest:
    repo: str
    team: str | None  # None for bot pull requests
    author_login: str
    created: datetime
    merged: datetime | None
    closed: datetime | None
    draft: bool
    title: str
    body: str
    head_ref: str
    labels: list[str]
    additions: int
    deletions: int
    number: int = 0

    @property
    def state(self) -> str:
        return "closed" if self.closed is not None else "open"


@dataclass
class Issue:
    project_key: str
    team: str
    assignee: Person
    created: datetime
    resolved: datetime | None
    outcome: str  # "done" | "cancelled" | "in_progress" | "in_review" | "to_do"
    issuetype: str
    points: float | None
    summary: str
    labels: list[str]
    key: str = ""
    id: int = 0


@dataclass(frozen=True)
class TokenBudget:
    """Total tokens (input incl. cache + output) of one team, day, source kind and model."""

    team: str
    day: date
    kind: str
    model: str  # a model name, or a model class for daily_totals
    tokens: int


@dataclass(frozen=True)
class ModelUpgrade:
    """From `date` on, every team's `previous_model` calls in `kind` go to `model` instead."""

    date: date
    kind: str
    previous_model: str
    model: str


@dataclass(frozen=True)
class Freeze:
    """A code freeze: `team` starts, merges and resolves nothing from `start` to `end`."""

    team: str
    start: date
    end: date  # exclusive

    def covers(self, team: str | None, day: date) -> bool:
        return team == self.team and self.start <= day < self.end


@dataclass(frozen=True)
class FirmSpec:
    index: int
    slug: str
    domain: str
    industry: str
    timezone: str
    kinds: tuple[str, ...]
    firm_id: str


@dataclass
class Firm:
    spec: FirmSpec
    size_band: str
    tco_overhead_multiplier: float
    tokens_per_pr: float
    start: date
    end: date
    teams: list[Team]
    kind_shares: dict[str, float]
    model_mix: dict[str, dict[str, float]]
    spike: Spike | None = None
    upgrade: ModelUpgrade | None = None
    trial: ModelTrial | None = None
    trial_team: str | None = None
    freeze: Freeze | None = None
    malformed_jira_page: bool = False
    negative_anthropic_date: date | None = None
    prs: list[PullRequest] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    budgets: list[TokenBudget] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def timezone(self) -> str:
        return self.spec.timezone

    @property
    def days(self) -> list[date]:
        return date_range(self.start, self.end)

    @property
    def window_start(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def export_at(self) -> datetime:
        """The export's cut-off: the end of the window's last UTC day."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)

    def team(self, name: str) -> Team:
        return next(team for team in self.teams if team.name == name)

    def work_instant(self, rng: random.Random, day: date) -> datetime:
        """A working moment of the local day, kept inside the export window."""
        instant = local_instant(day, work_second(rng, day), self.timezone)
        if instant >= self.export_at:
            room = (self.export_at - local_instant(day, 0, self.timezone)).total_seconds()
            instant = local_instant(day, rng.uniform(room - 4 * 3600, room - 1), self.timezone)
        return max(instant, self.window_start)


def firm_specs(seed: int, firms: int) -> list[FirmSpec]:
    specs = []
    for index in range(firms):
        slug, domain, industry = names.FIRMS[index % len(names.FIRMS)]
        if index >= len(names.FIRMS):
            round_ = index // len(names.FIRMS) + 1
            slug, domain = f"{slug}-{round_}", f"{domain}{round_}"
        specs.append(
            FirmSpec(
                index=index,
                slug=slug,
                domain=f"{domain}.com",
                industry=industry,
                timezone=names.TIMEZONES[index % len(names.TIMEZONES)],
                kinds=KIND_MIX[index % len(KIND_MIX)],
                firm_id=firm_pseudonym(seed, slug),
            )
        )
    return specs
