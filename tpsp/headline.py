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
    team_id: str | None  # None for a firm-level finding (adoption impact)
    when: date | None
    detail: str


def read_signals(warehouse: Path) -> list[SignalRow]:
    """Spike alerts, outlier flags, gaming signals and adoption effects: questions to
    investigate, never scores, listed by kind and in time order."""
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
            union all
            select 'gaming', firm_id, team_id, min(first_date),
                string_agg(signal, ', ' order by signal)
            from firm_private.fct_gaming_signals
            group by firm_id, team_id
            union all
            select 'adoption', firm_id, null, null,
                printf('cycle time %+.1f%% (90%% interval %+.1f%% to %+.1f%%), '
                    || '%d adopting vs %d not-yet-adopted teams',
                    estimate, ci_low, ci_high, adopting_teams, control_teams)
            from firm_private.fct_adoption_impact
            where metric = 'cycle_time_effect_pct'
            order by signal desc, seen_on nulls first, firm_id, team_id
            """
        ).fetchall()
    return [SignalRow(*row) for row in rows]
