"""Spike alerts, outlier flags and gaming signals of the quarter: questions to investigate.

The cross-firm report counts them per kind (how many, in how many firms and teams) without
saying where; a firm's report lists its own, with its own team pseudonyms, in time order —
never ordered by size, so that the list cannot be read as a ranking.
"""

from datetime import date

import duckdb

from tpsp.report.contents import SIGNAL_DESCRIPTIONS
from tpsp.report.model import FirmSignal, SignalCount
from tpsp.report.period import Quarter

# one row per signal with its firm and team; $start, $end bound the quarter
_SIGNALS = """
select
    case when annotation = 'model_change' then 'spike alert, model change'
        else 'spike alert' end as signal,
    firm_id,
    team_id,
    strftime(date, '%Y-%m-%d') as seen,
    printf('%.1fx trailing median, %d day(s)%s', peak_ratio, alert_days,
        case when annotation = 'model_change' then ', new model ' || new_model else '' end)
        as detail
from firm_private.fct_spike_alerts
where date between $start and $end
union all
select
    'outlier flag',
    firm_id,
    team_id,
    strftime(month, '%Y-%m'),
    printf('%.1fx cohort median tokens per merged PR (size band %s, %d firms in cohort)',
        ratio_to_cohort_median, size_band, cohort_firms)
from firm_private.fct_outlier_flags
where month between $start and $end
union all
select
    replace(signal, '_', ' '),
    firm_id,
    team_id,
    coalesce(strftime(first_date, '%Y-%m-%d'), 'whole history'),
    printf('%s: %.2f', evidence, evidence_value)
from firm_private.fct_gaming_signals
where first_date is null or first_date between $start and $end
"""


def signal_counts(connection: duckdb.DuckDBPyConnection, quarter: Quarter) -> list[SignalCount]:
    rows = connection.execute(
        f"""
        with signals as ({_SIGNALS})
        select signal, count(*), count(distinct firm_id),
            count(distinct firm_id || '/' || team_id)
        from signals
        group by signal
        """,
        _bounds(quarter),
    ).fetchall()
    found = {signal: (count, firms, teams) for signal, count, firms, teams in rows}
    # every kind is listed, so that a zero reads as "looked, found none"
    kinds = [*SIGNAL_DESCRIPTIONS, *sorted(set(found) - set(SIGNAL_DESCRIPTIONS))]
    return [
        SignalCount(kind, SIGNAL_DESCRIPTIONS.get(kind, kind), *found.get(kind, (0, 0, 0)))
        for kind in kinds
    ]


def firm_signals(
    connection: duckdb.DuckDBPyConnection, quarter: Quarter, firm_id: str
) -> list[FirmSignal]:
    rows = connection.execute(
        f"""
        with signals as ({_SIGNALS})
        select signal, team_id, seen, detail
        from signals
        where firm_id = $firm
        order by seen, signal, team_id
        """,
        {**_bounds(quarter), "firm": firm_id},
    ).fetchall()
    return [FirmSignal(*row) for row in rows]


def _bounds(quarter: Quarter) -> dict[str, date]:
    return {"start": quarter.start, "end": quarter.end}
