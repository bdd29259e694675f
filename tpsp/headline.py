"""The headline table: cross-firm percentiles of the last months, read from the warehouse."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

HEADLINE_METRICS = ("tokens_per_merged_pr", "cost_per_successful_task")


@dataclass(frozen=True)
class HeadlineRow:
    month: date
    metric: str
    firms: int
    suppressed: bool
    p25: float | None
    p50: float | None
    p75: float | None


def read_headline(warehouse: Path, months: int = 3) -> list[HeadlineRow]:
    with duckdb.connect(str(warehouse)) as connection:
        rows = connection.execute(
            """
            with recent as (
                select distinct period_start
                from benchmark.fct_benchmarks
                where period_type = 'month'
                order by period_start desc
                limit ?
            )
            select period_start, metric, firms, suppressed, p25, p50, p75
            from benchmark.fct_benchmarks
            where period_type = 'month'
                and segment_type = 'all'
                and metric in (?, ?)
                and period_start in (select period_start from recent)
            order by metric desc, period_start
            """,
            [months, *HEADLINE_METRICS],
        ).fetchall()
    return [HeadlineRow(*row) for row in rows]


@dataclass(frozen=True)
class SignalRow:
    signal: str
    firm_id: str
    team_id: str
    when: date
    detail: str


def read_signals(warehouse: Path) -> list[SignalRow]:
    """Spike alerts and outlier flags: questions to investigate, listed in time order."""
    with duckdb.connect(str(warehouse)) as connection:
        rows = connection.execute(
            """
            select 'spike' as signal, firm_id, team_id, date as seen_on,
                printf('%.1fx trailing median, %d day(s)%s', peak_ratio, alert_days,
                    case when annotation = 'model_change'
                        then ', model change to ' || new_model else '' end) as detail
            from firm_private.fct_spike_alerts
            union all
            select 'outlier', firm_id, team_id, month,
                printf('%.1fx cohort median tokens/PR (size band %s)',
                    ratio_to_cohort_median, size_band)
            from firm_private.fct_outlier_flags
            order by signal desc, seen_on, firm_id, team_id
            """
        ).fetchall()
    return [SignalRow(*row) for row in rows]
