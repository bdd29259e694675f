"""The simulated world: firms, teams and people, and what they do every day.

A firm is simulated once, in memory, into pull requests, issues and per-team-day token
budgets; the writers in `tpsp.generate.kinds` then render that one world in each vendor's
export format, so every source kind of a firm tells the same story.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tpsp.generate import names
from tpsp.generate.ids import (
    anthropic_key_id,
    anthropic_workspace_id,
    firm_pseudonym,
    jira_account_id,
    openai_project_id,
    openai_user_id,
)
from tpsp.generate.plan import OUTLIER_FACTOR, Plan, Spike
from tpsp.generate.times import (
    date_range,
    day_weight,
    local_instant,
    month_of,
    work_second,
)
from tpsp.source_kinds import SOURCE_KINDS

# Source kinds per firm, in firm order; more firms cycle through the list.
KIND_MIX: tuple[tuple[str, ...], ...] = (
    ("otel_genai_spans", "github_pulls", "jira_issues"),
    ("openai_usage", "github_pulls", "jira_issues"),
    ("anthropic_usage", "otel_genai_spans", "github_pulls", "jira_issues"),
    ("daily_totals",),
    ("openai_usage", "anthropic_usage", "github_pulls", "jira_issues"),
    ("otel_genai_spans", "openai_usage", "github_pulls", "jira_issues"),
)

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
MODEL_CLASSES = ("frontier", "mid", "small")

PRS_PER_PERSON_DAY = 0.25
ISSUES_PER_PERSON_DAY = 0.15
DAILY_NOISE_SIGMA = 0.25
DAILY_NOISE_CAP = 0.4  # log-scale cap: a team-day never strays beyond exp(±0.4) of its rhythm
TEAM_LEVEL_SIGMA = 0.12
TEAM_LEVEL_CAP = 0.25
MONTH_COUNT_BAND = (0.8, 1.25)  # monthly PR and issue totals stay within this band of expected
SMALL_TEAM_SIZE = 2
CONTRACTORS = "contractors"
BOT_LOGIN = "dependabot[bot]"


def provider_of(model: str) -> str:
    return "anthropic" if model.startswith("claude") else "openai"


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
    firm.issues = _simulate_issues(rng, firm)
    firm.prs = _simulate_pull_requests(rng, firm)
    firm.budgets = _simulate_budgets(rng, firm)
    return firm


# --- people and teams ------------------------------------------------------------------


def _teams(rng: random.Random, spec: FirmSpec, outlier: bool) -> list[Team]:
    delivery = any(SOURCE_KINDS[kind].carries == "delivery" for kind in spec.kinds)
    picked = rng.sample(names.TEAMS, rng.randint(3, 6) + 1)
    sizes = [rng.randint(3, 12) for _ in picked[:-1]] + [SMALL_TEAM_SIZE]
    if outlier:
        largest = sizes.index(max(sizes[:-1]))
        sizes[largest] = max(sizes[largest], rng.randint(7, 10))
    used: set[tuple[str, str]] = set()
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
    used: set[tuple[str, str]],
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


def _person(rng: random.Random, spec: FirmSpec, used: set[tuple[str, str]]) -> Person:
    while True:
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        if (first, last) not in used:
            used.add((first, last))
            break
    login = rng.choice((f"{first}-{last}", f"{first[0]}{last}", f"{first}{last[:3]}-dev"))
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


# --- models and usage kinds ------------------------------------------------------------


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
        others = [
            m for m in ("claude-haiku-4-5-20251001", "gpt-4.1-mini-2025-04-14") if m != main
        ]
    else:
        pool = {
            "openai_usage": OPENAI_MODELS,
            "anthropic_usage": ANTHROPIC_MODELS,
        }.get(kind, OPENAI_MODELS + ANTHROPIC_MODELS)
        mains = [m for m in pool if m in ANTHROPIC_MODELS[:2] + OPENAI_MODELS[:1] + ("gpt-4o",)]
        main = rng.choice(mains or list(pool))
        others = rng.sample([m for m in pool if m != main], 2)
    main_share = rng.uniform(0.5, 0.7)
    split = rng.uniform(0.3, 0.7)
    rest = 1.0 - main_share
    return {main: main_share, others[0]: rest * split, others[1]: rest * (1.0 - split)}


# --- activity ---------------------------------------------------------------------------


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, product = math.exp(-lam), 0, rng.random()
    while product > threshold:
        k += 1
        product *= rng.random()
    return k


def spread_counts(rng: random.Random, days: list[date], rate: float) -> list[int]:
    """Daily event counts: a Poisson month total, kept near its mean, spread by weekday rhythm.

    Given its total, a Poisson process is spread over the days by their weights, so the
    days look Poisson while every team still ships in every month.
    """
    counts = [0] * len(days)
    months: dict[str, list[int]] = {}
    for i, day in enumerate(days):
        months.setdefault(month_of(day), []).append(i)
    low_band, high_band = MONTH_COUNT_BAND
    for indices in months.values():
        weights = [day_weight(days[i]) for i in indices]
        expected = rate * sum(weights)
        low = max(1, math.floor(low_band * expected))
        high = max(low, math.ceil(high_band * expected))
        total = min(max(poisson(rng, expected), low), high)
        for i in rng.choices(indices, weights=weights, k=total):
            counts[i] += 1
    return counts


def _hours(rng: random.Random, median: float, sigma: float, cap: float) -> timedelta:
    return timedelta(hours=min(rng.lognormvariate(math.log(median), sigma), cap))


def _simulate_issues(rng: random.Random, firm: Firm) -> list[Issue]:
    days = firm.days
    issues: list[Issue] = []
    for team in firm.teams:
        counts = spread_counts(rng, days, ISSUES_PER_PERSON_DAY * len(team.people))
        for day, count in zip(days, counts, strict=True):
            for _ in range(count):
                issues.append(_issue(rng, firm, team, day))
    _ensure_monthly_done(firm, issues)
    _number_issues(rng, issues)
    return issues


def _issue(rng: random.Random, firm: Firm, team: Team, day: date) -> Issue:
    created = firm.work_instant(rng, day)
    roll = rng.random()
    issuetype = "Bug" if roll < 0.2 else ("Story" if roll < 0.65 else "Task")
    roll = rng.random()
    if roll < 0.85:
        outcome, resolved = "done", created + _hours(rng, 60.0, 0.8, 24 * 30)
    elif roll < 0.93:
        outcome, resolved = "cancelled", created + _hours(rng, 120.0, 1.0, 24 * 45)
    else:
        outcome, resolved = rng.choice(("in_progress", "in_review", "to_do")), None
    if resolved is not None and resolved >= firm.export_at:
        outcome, resolved = "in_progress", None
    topic = rng.choice(names.PR_TOPICS)
    summary = rng.choice(names.ISSUE_PHRASES).format(topic=topic)
    return Issue(
        project_key=team.project_key,
        team=team.name,
        assignee=rng.choices(team.people, weights=team.member_weights)[0],
        created=created,
        resolved=resolved,
        outcome=outcome,
        issuetype=issuetype,
        points=_story_points(rng, issuetype),
        summary=summary[0].upper() + summary[1:],
        labels=rng.sample(names.ISSUE_LABELS, rng.choice((0, 1, 1, 2))),
    )


def _story_points(rng: random.Random, issuetype: str) -> float | None:
    if issuetype == "Bug":
        return rng.choice((None, None, 1.0, 2.0))
    if rng.random() < 0.1:
        return None
    if issuetype == "Story":
        return rng.choices((1.0, 2.0, 3.0, 5.0, 8.0), weights=(2, 4, 5, 3, 1))[0]
    return rng.choice((1.0, 2.0, 3.0))


def _month_end(instant: datetime) -> datetime:
    first = instant.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)


def _ensure_monthly_done(firm: Firm, issues: list[Issue]) -> None:
    """Every team completes at least one issue in every month it created issues in."""
    done = {(i.team, month_of(i.resolved.date())) for i in issues if i.outcome == "done"}
    for issue in sorted(issues, key=lambda i: (i.team, i.created)):
        month = month_of(issue.created.date())
        limit = min(_month_end(issue.created), firm.export_at) - timedelta(hours=1)
        if (issue.team, month) in done or issue.created >= limit:
            continue
        issue.outcome = "done"
        issue.resolved = min(issue.created + timedelta(hours=6), limit)
        done.add((issue.team, month))


def _number_issues(rng: random.Random, issues: list[Issue]) -> None:
    issues.sort(key=lambda i: (i.created, i.project_key, i.team))
    next_number: dict[str, int] = {}
    first_id = rng.randint(10_000, 40_000)
    for offset, issue in enumerate(issues):
        number = next_number.setdefault(issue.project_key, rng.randint(40, 900))
        next_number[issue.project_key] = number + 1
        issue.key = f"{issue.project_key}-{number}"
        issue.id = first_id + offset


def _simulate_pull_requests(rng: random.Random, firm: Firm) -> list[PullRequest]:
    if "github_pulls" not in firm.spec.kinds and "daily_totals" not in firm.spec.kinds:
        return []
    days = firm.days
    team_issues: dict[str, list[Issue]] = {}
    for issue in firm.issues:
        team_issues.setdefault(issue.team, []).append(issue)
    prs: list[PullRequest] = []
    for team in firm.teams:
        counts = spread_counts(rng, days, PRS_PER_PERSON_DAY * len(team.people))
        for day, count in zip(days, counts, strict=True):
            for _ in range(count):
                prs.append(_pull_request(rng, firm, team, day, team_issues.get(team.name, [])))
    _ensure_monthly_merges(firm, prs)
    if "github_pulls" in firm.spec.kinds:
        prs.extend(_bot_pull_requests(rng, firm))
    _number_pull_requests(rng, prs)
    return prs


def _pull_request(
    rng: random.Random, firm: Firm, team: Team, day: date, issues: list[Issue]
) -> PullRequest:
    created = firm.work_instant(rng, day)
    author = rng.choices(team.people, weights=team.member_weights)[0]
    verb, label, prefix = rng.choice(names.PR_VERBS)
    topic = rng.choice(names.PR_TOPICS)
    title = f"{verb} {topic}"
    recent = [i for i in issues if created - timedelta(days=21) <= i.created <= created]
    key = rng.choice(recent[-5:]).key if recent else None
    words = "-".join(title.lower().replace("-", " ").split())
    head_ref = f"{prefix}/{key.lower()}-{words}" if key else f"{prefix}/{words}"
    closes = f"\n\nCloses {key}." if key else ""
    body = f"## Summary\n{title} for the {team.name} team.{closes}\n\n## Testing\n- unit tests"
    roll = rng.random()
    end = created + _hours(rng, 20.0, 0.9, 24 * 21)
    merged, closed = (end, end) if roll < 0.9 else ((None, end) if roll < 0.97 else (None, None))
    if end >= firm.export_at:
        merged, closed = None, None
    labels = [label] + ([rng.choice(("docs", "chore", "refactor"))] if rng.random() < 0.15 else [])
    additions = int(rng.lognormvariate(math.log(90), 1.1)) + 1
    return PullRequest(
        repo=team.repo,
        team=team.name,
        author_login=author.login,
        created=created,
        merged=merged,
        closed=closed,
        draft=closed is None and rng.random() < 0.3,
        title=title,
        body=body,
        head_ref=head_ref,
        labels=sorted(set(labels), key=labels.index),
        additions=additions,
        deletions=int(additions * rng.uniform(0.05, 0.8)),
    )


def _ensure_monthly_merges(firm: Firm, prs: list[PullRequest]) -> None:
    """Every team merges at least one pull request in every month it opened one in."""
    merged = {(p.team, month_of(p.merged.date())) for p in prs if p.merged is not None}
    for pr in sorted(prs, key=lambda p: (p.team or "", p.created)):
        month = month_of(pr.created.date())
        limit = min(_month_end(pr.created), firm.export_at) - timedelta(hours=1)
        if (pr.team, month) in merged or pr.created >= limit:
            continue
        pr.merged = pr.closed = min(pr.created + timedelta(hours=5), limit)
        pr.draft = False
        merged.add((pr.team, month))


def _bot_pull_requests(rng: random.Random, firm: Firm) -> list[PullRequest]:
    """Weekly dependency bumps: pull requests by a bot account that no org map lists."""
    prs = []
    repos = sorted({team.repo for team in firm.teams})
    for day in firm.days:
        if day.weekday() != 0:
            continue
        for repo in repos:
            if rng.random() >= 0.6:
                continue
            created = local_instant(day, rng.uniform(5 * 3600, 6 * 3600), firm.timezone)
            created = max(created, firm.window_start)
            package = rng.choice(names.BOT_PACKAGES)
            major, minor = rng.randint(1, 9), rng.randint(0, 30)
            version = f"{major}.{minor + 1}.{rng.randint(0, 9)}"
            title = f"Bump {package} from {major}.{minor}.0 to {version}"
            roll = rng.random()
            end = created + _hours(rng, 30.0, 1.0, 24 * 14)
            merged, closed = (end, end) if roll < 0.7 else ((None, end) if roll < 0.95 else (None, None))
            if end >= firm.export_at:
                merged, closed = None, None
            prs.append(
                PullRequest(
                    repo=repo,
                    team=None,
                    author_login=BOT_LOGIN,
                    created=created,
                    merged=merged,
                    closed=closed,
                    draft=False,
                    title=title,
                    body=f"Bumps {package} to {version}.\n\nDependabot will resolve conflicts.",
                    head_ref=f"dependabot/pip/{package}-{version}",
                    labels=["chore"],
                    additions=rng.randint(1, 12),
                    deletions=rng.randint(1, 12),
                )
            )
    return prs


def _number_pull_requests(rng: random.Random, prs: list[PullRequest]) -> None:
    prs.sort(key=lambda p: (p.repo, p.created, p.author_login))
    next_number: dict[str, int] = {}
    for pr in prs:
        number = next_number.setdefault(pr.repo, rng.randint(120, 2400))
        next_number[pr.repo] = number + 1
        pr.number = number


# --- tokens -----------------------------------------------------------------------------


def _noise(rng: random.Random) -> float:
    return math.exp(max(-DAILY_NOISE_CAP, min(DAILY_NOISE_CAP, rng.gauss(0, DAILY_NOISE_SIGMA))))


def _jittered(rng: random.Random, shares: dict[str, float]) -> dict[str, float]:
    raw = {model: share * math.exp(rng.gauss(0.0, 0.15)) for model, share in shares.items()}
    total = sum(raw.values())
    return {model: value / total for model, value in raw.items()}


def _simulate_budgets(rng: random.Random, firm: Firm) -> list[TokenBudget]:
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
                extra = 0.0
                if spike is not None and kind == spike.kind and day >= spike.date:
                    shares = {
                        (spike.model if m == spike.previous_model else m): s
                        for m, s in shares.items()
                    }
                    extra = (spike.tokens_factor(day) - 1.0) * base
                for model, share in shares.items():
                    tokens = base * kind_share * share + (extra if model == spike_model(spike) else 0)
                    budgets.append(TokenBudget(team.name, day, kind, model, round(tokens)))
    return budgets


def spike_model(spike: Spike | None) -> str | None:
    return spike.model if spike is not None else None
