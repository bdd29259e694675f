"""Delivery work over the window: Jira issues and pull requests, team by team, day by day."""

import math
import random
from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta

from tpsp.generate import names
from tpsp.generate.times import day_weight, local_instant, month_of
from tpsp.generate.world import BOT_LOGIN, PULL_REQUEST_KINDS, Firm, Issue, PullRequest, Team

PRS_PER_PERSON_DAY = 0.25
ISSUES_PER_PERSON_DAY = 0.15
MONTH_COUNT_BAND = (0.85, 1.2)  # monthly PR and issue totals stay within this band of expected
STEADY_BAND = (0.95, 1.05)  # the outlier team ships steadily: its factor shows, not its luck


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


def spread_counts(
    rng: random.Random,
    days: list[date],
    rate: float,
    band: tuple[float, float] = MONTH_COUNT_BAND,
) -> list[int]:
    """Daily event counts: a Poisson month total, kept near its mean, spread by weekday rhythm.

    Given its total, a Poisson process is spread over the days by their weights, so the
    days look Poisson while every team still ships in every month.
    """
    counts = [0] * len(days)
    months: dict[str, list[int]] = {}
    for i, day in enumerate(days):
        months.setdefault(month_of(day), []).append(i)
    low_band, high_band = band
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


def _band(team: Team) -> tuple[float, float]:
    return STEADY_BAND if team.is_outlier else MONTH_COUNT_BAND


def _working_days(firm: Firm, team: Team) -> list[date]:
    """The days a team starts work on: every day but those of its code freeze."""
    freeze = firm.freeze
    return [day for day in firm.days if freeze is None or not freeze.covers(team.name, day)]


def simulate_issues(rng: random.Random, firm: Firm) -> list[Issue]:
    issues: list[Issue] = []
    for team in firm.teams:
        if not team.ships:
            continue
        days = _working_days(firm, team)
        counts = spread_counts(rng, days, ISSUES_PER_PERSON_DAY * len(team.people), _band(team))
        for day, count in zip(days, counts, strict=True):
            for _ in range(count):
                issues.append(_issue(rng, firm, team, day))
    _ensure_monthly_done(firm, issues)
    _hold_through_freeze(rng, firm, issues)
    _number_issues(rng, issues)
    return issues


def _issue(rng: random.Random, firm: Firm, team: Team, day: date) -> Issue:
    created = firm.work_instant(rng, day)
    roll = rng.random()
    issuetype = "Bug" if roll < 0.2 else ("Story" if roll < 0.65 else "Task")
    roll = rng.random()
    speed = team.cycle_time_factor(day)
    if roll < 0.85:
        outcome, resolved = "done", created + speed * _hours(rng, 60.0, 0.8, 24 * 30)
    elif roll < 0.93:
        outcome, resolved = "cancelled", created + speed * _hours(rng, 120.0, 1.0, 24 * 45)
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


def _after_freeze(rng: random.Random, firm: Firm) -> datetime:
    """A working moment of the first working day after the firm's code freeze."""
    day = firm.freeze.end
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return firm.work_instant(rng, day)


def _hold_through_freeze(rng: random.Random, firm: Firm, issues: list[Issue]) -> None:
    """Issues the frozen team would have resolved during its freeze are resolved after it."""
    freeze = firm.freeze
    for issue in issues:
        if (
            freeze is not None
            and issue.resolved is not None
            and freeze.covers(issue.team, issue.resolved.date())
        ):
            issue.resolved = _after_freeze(rng, firm)
            if issue.resolved >= firm.export_at:
                issue.outcome, issue.resolved = "in_progress", None


def _number_issues(rng: random.Random, issues: list[Issue]) -> None:
    issues.sort(key=lambda i: (i.created, i.project_key, i.team))
    next_number: dict[str, int] = {}
    first_id = rng.randint(10_000, 40_000)
    for offset, issue in enumerate(issues):
        number = next_number.setdefault(issue.project_key, rng.randint(40, 900))
        next_number[issue.project_key] = number + 1
        issue.key = f"{issue.project_key}-{number}"
        issue.id = first_id + offset


def simulate_pull_requests(rng: random.Random, firm: Firm) -> list[PullRequest]:
    kinds = firm.spec.kinds
    if not any(kind in kinds for kind in (*PULL_REQUEST_KINDS, "daily_totals")):
        return []
    days = firm.days
    team_issues: dict[str, list[Issue]] = {}
    for issue in firm.issues:
        team_issues.setdefault(issue.team, []).append(issue)
    prs: list[PullRequest] = []
    for team in firm.teams:
        if not team.ships:
            continue
        days = _working_days(firm, team)
        counts = spread_counts(rng, days, PRS_PER_PERSON_DAY * len(team.people), _band(team))
        for day, count in zip(days, counts, strict=True):
            for _ in range(count):
                prs.append(_pull_request(rng, firm, team, day, team_issues.get(team.name, [])))
    _ensure_monthly_merges(firm, prs)
    _merge_after_freeze(rng, firm, prs)
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
    # issues are in creation order: the team's issues opened in the three weeks before
    first = bisect_left(issues, created - timedelta(days=21), key=lambda i: i.created)
    recent = issues[first : bisect_right(issues, created, key=lambda i: i.created)]
    key = rng.choice(recent[-5:]).key if recent else None
    words = "-".join(title.lower().replace("-", " ").split())
    head_ref = f"{prefix}/{key.lower()}-{words}" if key else f"{prefix}/{words}"
    closes = f"\n\nCloses {key}." if key else ""
    body = f"## Summary\n{title} for the {team.name} team.{closes}\n\n## Testing\n- unit tests"
    roll = rng.random()
    end = created + team.cycle_time_factor(day) * _hours(rng, 20.0, 0.9, 24 * 21)
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


def _merge_after_freeze(rng: random.Random, firm: Firm, prs: list[PullRequest]) -> None:
    """Pull requests the frozen team would have merged or closed during its freeze wait."""
    freeze = firm.freeze
    for pr in prs:
        if (
            freeze is not None
            and pr.closed is not None
            and freeze.covers(pr.team, pr.closed.date())
        ):
            end = _after_freeze(rng, firm)
            if end >= firm.export_at:
                pr.merged, pr.closed = None, None
            elif pr.merged is not None:
                pr.merged = pr.closed = end
            else:
                pr.closed = end


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
            merged, closed = (
                (end, end) if roll < 0.7 else ((None, end) if roll < 0.95 else (None, None))
            )
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
