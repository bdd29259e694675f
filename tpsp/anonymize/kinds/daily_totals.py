"""``daily_totals``: the consortium's minimal CSV for firms that export only daily totals.

Landed shape: the same eight columns, ``team`` holding the team pseudonym, rows summed per
(``date``, ``team``, ``model_class``) after the small-team merge, ``cycle_time_hours`` as the
mean weighted by ``shipped_artifacts``. An empty cell stays empty (unknown, not zero). Other
columns are dropped (and reported). A team missing from the org map lands as
``unassigned``. A raw row repeating an earlier row's (``date``, ``team``, ``model_class``) replaces
it rather than adding to it.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.io import dump_csv, iter_csv
from tpsp.anonymize.kinds.base import KindContext, KindOutput, at
from tpsp.anonymize.records import RecordError, as_int

FORMATS = ("csv",)

COLUMNS = (
    "date",
    "team",
    "model_class",
    "tokens_consumed",
    "completed_tasks",
    "shipped_artifacts",
    "cycle_time_hours",
    "defect_count",
)
SUMMED = ("tokens_consumed", "completed_tasks", "shipped_artifacts", "defect_count")
MODEL_CLASSES = frozenset({"frontier", "mid", "small"})
CONSTANTS = MODEL_CLASSES

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(COLUMNS)

GroupKey = tuple[date, str, str]  # date, team pseudonym, model class


KNOWN_FIELDS = frozenset(COLUMNS)


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return iter_csv(handle, COLUMNS)


def serialize(content: list[dict[str, str]]) -> bytes:
    return dump_csv(COLUMNS, [[row[column] for column in COLUMNS] for row in content])


def count_rows(content: list[dict[str, str]]) -> int:
    return len(content)


def _optional_count(value: str, what: str) -> int | None:
    return as_int(value, what) if value.strip() else None


def _optional_hours(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        hours = float(value)
    except ValueError as exc:
        raise RecordError("cycle_time_hours is not a number") from exc
    if not math.isfinite(hours):
        raise RecordError("cycle_time_hours is not a finite number")
    return hours


def _format_number(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


class _Group:
    """Running sums of one (date, team, model class)."""

    def __init__(self) -> None:
        self.sums: dict[str, int | None] = dict.fromkeys(SUMMED)
        self.weighted_hours = 0.0
        self.hours_weight = 0

    def add(self, row: dict[str, str]) -> None:
        counts = {column: _optional_count(row[column], column) for column in SUMMED}
        for column, count in counts.items():
            if count is not None:
                self.sums[column] = (self.sums[column] or 0) + count
        hours = _optional_hours(row["cycle_time_hours"])
        shipped = counts["shipped_artifacts"]
        if hours is not None and shipped:
            self.weighted_hours += hours * shipped
            self.hours_weight += shipped

    def cycle_time_hours(self) -> float | None:
        return self.weighted_hours / self.hours_weight if self.hours_weight else None


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    rows: dict[tuple[date, str, str], tuple[str, dict[str, str], int]] = {}
    rows_in = 0
    for number, row in enumerate(documents, start=1):
        if number == 1:
            ctx.note_fields(row, KNOWN_FIELDS)
        with at(f"row {number}"):
            try:
                day = date.fromisoformat(row["date"].strip())
            except ValueError as exc:
                raise RecordError("date is not YYYY-MM-DD") from exc
            model_class = row["model_class"].strip().lower()
            if model_class not in MODEL_CLASSES:
                raise RecordError("model_class is not one of frontier, mid, small")
            team_id = ctx.teams.for_team_name(row["team"])
        rows_in += 1
        rows[(day, row["team"].strip().lower(), model_class)] = (team_id, row, number)
    groups: dict[GroupKey, _Group] = defaultdict(_Group)
    for (day, _, model_class), (team_id, row, number) in rows.items():
        with at(f"row {number}"):
            groups[(day, team_id, model_class)].add(row)

    days: dict[date, list[dict[str, str]]] = defaultdict(list)
    for key in sorted(groups):
        day, team_id, model_class = key
        group = groups[key]
        days[day].append(
            {
                "date": day.isoformat(),
                "team": team_id,
                "model_class": model_class,
                **{column: _format_number(group.sums[column]) for column in SUMMED},
                "cycle_time_hours": _format_number(group.cycle_time_hours()),
            }
        )
    rows_out = sum(len(landed) for landed in days.values())
    return KindOutput(
        days=dict(days), rows_in=rows_in, rows_out=rows_out, duplicates=rows_in - len(rows)
    )
