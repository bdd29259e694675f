"""The consortium's minimal CSV: one row per local date, team name and model class.

Delivery counts of a team-day (shipped pull requests, completed issues, new bugs) are
spread over the model classes in proportion to their tokens; `cycle_time_hours` is the
mean of the row's shipped artifacts and empty when the row shipped none.
"""

import random
from datetime import date
from pathlib import Path

from tpsp.generate.files import write_csv
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import month_of, zone
from tpsp.generate.world import MODEL_CLASSES, Firm

KIND = "daily_totals"
HEADER = [
    "date",
    "team",
    "model_class",
    "tokens_consumed",
    "completed_tasks",
    "shipped_artifacts",
    "cycle_time_hours",
    "defect_count",
]


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    tz = zone(firm.timezone)
    tokens: dict[tuple[date, str, str], int] = {}
    for budget in firm.budgets:
        if budget.kind == KIND:
            tokens[(budget.day, budget.team, budget.model)] = budget.tokens
    cycle: dict[tuple[date, str, str], list[float]] = {}
    tasks: dict[tuple[date, str, str], int] = {}
    defects: dict[tuple[date, str, str], int] = {}
    for pr in firm.prs:
        if pr.merged is not None and pr.team is not None:
            key = _row_key(rng, tokens, pr.merged.astimezone(tz).date(), pr.team)
            cycle.setdefault(key, []).append((pr.merged - pr.created).total_seconds() / 3600)
    for issue in firm.issues:
        if issue.outcome == "done" and issue.resolved is not None:
            key = _row_key(rng, tokens, issue.resolved.astimezone(tz).date(), issue.team)
            tasks[key] = tasks.get(key, 0) + 1
        if issue.issuetype == "Bug":
            key = _row_key(rng, tokens, issue.created.astimezone(tz).date(), issue.team)
            defects[key] = defects.get(key, 0) + 1
    months: dict[str, list[list[object]]] = {}
    for day in firm.days:
        for team in firm.teams:
            for model_class in MODEL_CLASSES:
                key = (day, team.name, model_class)
                hours = cycle.get(key, [])
                months.setdefault(month_of(day), []).append(
                    [
                        day.isoformat(),
                        team.name,
                        model_class,
                        tokens.get(key, 0),
                        tasks.get(key, 0),
                        len(hours),
                        f"{sum(hours) / len(hours):.1f}" if hours else "",
                        defects.get(key, 0),
                    ]
                )
    for month, rows in months.items():
        write_csv(folder / f"daily_totals_{month}.csv", HEADER, rows)
    return Written()


def _row_key(
    rng: random.Random, tokens: dict[tuple[date, str, str], int], day: date, team: str
) -> tuple[date, str, str]:
    weights = [tokens.get((day, team, model_class), 0) + 1 for model_class in MODEL_CLASSES]
    return (day, team, rng.choices(MODEL_CLASSES, weights=weights)[0])
