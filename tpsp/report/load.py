"""Reads everything the report shows for one quarter (and one firm) from the warehouse.

Only the firm-level rows of the report's own firm are read with their pseudonyms; other firms'
values are read as bare numbers, sorted, so that nothing downstream can name them.
"""

from datetime import date
from pathlib import Path

import duckdb

from tpsp.errors import InputError
from tpsp.report.contents import HEADLINE_METRICS
from tpsp.report.model import BenchmarkCell, FirmValue, Freshness, GlossaryEntry, ReportData
from tpsp.report.period import Quarter, latest_complete_quarter
from tpsp.report.signals import firm_signals, signal_counts
from tpsp.report.warehouse import read_warehouse

CELL_COLUMNS = "metric, period_start, firms, teams, suppressed, p10, p25, p50, p75, p90"


def load_report_data(
    warehouse: Path, period: str | None = None, firm_id: str | None = None
) -> ReportData:
    requested = Quarter.parse(period) if period is not None else None  # before any reading
    with read_warehouse(warehouse) as connection:
        data_through = _freshness(connection, None).last_usage_day
        quarter = _choose_quarter(connection, requested, data_through)
        data = ReportData(
            quarter=quarter,
            quarter_is_complete=quarter.end <= data_through,
            freshness=_freshness(connection, quarter),
            glossary=_glossary(connection),
            monthly=_monthly_cells(connection, quarter),
            quarterly=_quarterly_cells(connection, quarter),
            distributions={},
            signal_counts=signal_counts(connection, quarter),
        )
        data.distributions = _distributions(connection, quarter, data.quarterly)
        if firm_id is not None:
            _add_firm(connection, data, firm_id)
    return data


def _choose_quarter(
    connection: duckdb.DuckDBPyConnection, requested: Quarter | None, data_through: date
) -> Quarter:
    present = [
        Quarter.containing(start)
        for (start,) in connection.execute(
            "select distinct period_start from benchmark.fct_benchmarks "
            "where period_type = 'quarter' order by period_start"
        ).fetchall()
    ]
    if not present:
        raise InputError(
            "the warehouse holds no benchmark quarter yet",
            hint="land at least one firm's files and run `tpsp build`",
        )
    if requested is None:
        # no complete quarter yet: report the one in progress, marked as partial
        return latest_complete_quarter(present, data_through) or present[-1]
    if requested not in present:
        raise InputError(
            f"the warehouse has no benchmarks for {requested}",
            hint="quarters present: " + ", ".join(str(q) for q in present),
        )
    return requested


def _freshness(
    connection: duckdb.DuckDBPyConnection, quarter: Quarter | None, firm_id: str | None = None
) -> Freshness:
    """The data's date range, and the firms and teams behind the quarter's figures."""
    first_usage, last_usage, last_shipped = connection.execute(
        """
        select
            (select min(usage_date) from firm_private.fct_token_usage_daily
                where firm_id = coalesce($firm, firm_id)),
            (select max(usage_date) from firm_private.fct_token_usage_daily
                where firm_id = coalesce($firm, firm_id)),
            (select cast(max(shipped_at) as date) from firm_private.fct_shipped_artifacts
                where firm_id = coalesce($firm, firm_id))
        """,
        {"firm": firm_id},
    ).fetchone()
    if last_usage is None:
        raise InputError(
            "the warehouse holds no token usage",
            hint="land at least one firm's files and run `tpsp build`",
        )
    start, end = (quarter.start, quarter.end) if quarter else (date.min, date.max)
    firms, teams = connection.execute(
        """
        select count(distinct firm_id), count(distinct firm_id || '/' || team_id)
        from firm_private.fct_firm_efficiency
        where month between $start and $end and firm_id = coalesce($firm, firm_id)
        """,
        {"start": start, "end": end, "firm": firm_id},
    ).fetchone()
    return Freshness(first_usage, last_usage, last_shipped, firms, teams)


def _glossary(connection: duckdb.DuckDBPyConnection) -> dict[str, GlossaryEntry]:
    rows = connection.execute(
        """
        select metric, label, formula, unit, grain, direction, coalesce(caveats, '')
        from reference.metric_glossary
        order by metric
        """
    ).fetchall()
    return {row[0]: GlossaryEntry(*row) for row in rows}


def _monthly_cells(
    connection: duckdb.DuckDBPyConnection, quarter: Quarter
) -> dict[str, list[BenchmarkCell]]:
    rows = connection.execute(
        f"""
        select {CELL_COLUMNS}
        from benchmark.fct_benchmarks
        where period_type = 'month' and segment_type = 'all' and period_start <= ?
        order by metric, period_start
        """,
        [quarter.end],
    ).fetchall()
    cells: dict[str, list[BenchmarkCell]] = {}
    for row in rows:
        cells.setdefault(row[0], []).append(BenchmarkCell(*row))
    return cells


def _quarterly_cells(
    connection: duckdb.DuckDBPyConnection, quarter: Quarter
) -> dict[str, BenchmarkCell]:
    rows = connection.execute(
        f"""
        select {CELL_COLUMNS}
        from benchmark.fct_benchmarks
        where period_type = 'quarter' and segment_type = 'all' and period_start = ?
        """,
        [quarter.start],
    ).fetchall()
    return {row[0]: BenchmarkCell(*row) for row in rows}


def _distributions(
    connection: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    quarterly: dict[str, BenchmarkCell],
) -> dict[str, list[float]]:
    # a suppressed cell shows no firm value either: the dots would undo the suppression
    published = [m for m in HEADLINE_METRICS if m in quarterly and not quarterly[m].suppressed]
    if not published:
        return {}
    rows = connection.execute(
        f"""
        select metric, list(metric_value order by metric_value)
        from firm_private.fct_firm_benchmark_values
        where period_type = 'quarter' and segment_type = 'all' and period_start = ?
            and metric in ({", ".join("?" for _ in published)})
        group by metric
        """,
        [quarter.start, *published],
    ).fetchall()
    return {metric: list(values) for metric, values in rows}


def _add_firm(connection: duckdb.DuckDBPyConnection, data: ReportData, firm_id: str) -> None:
    (known,) = connection.execute(
        "select count(*) from firm_private.fct_firm_benchmark_values where firm_id = ?",
        [firm_id],
    ).fetchone()
    if not known:
        raise InputError(
            f"firm {firm_id} has no values in the warehouse",
            hint="a firm's pseudonym is the firm_id in its landing/<firm_id>/firm.json",
        )
    data.firm_id = firm_id
    rows = connection.execute(
        """
        select metric, period_type, period_start, teams, metric_value
        from firm_private.fct_firm_benchmark_values
        where firm_id = ? and segment_type = 'all'
            and (
                (period_type = 'month' and period_start <= ?)
                or (period_type = 'quarter' and period_start = ?)
            )
        """,
        [firm_id, data.quarter.end, data.quarter.start],
    ).fetchall()
    for metric, period_type, start, teams, value in rows:
        firm_value = FirmValue(metric, start, teams, value)
        if period_type == "quarter":
            data.firm_quarterly[metric] = firm_value
        else:
            data.firm_monthly.setdefault(metric, {})[start] = firm_value
    data.firm_signals = firm_signals(connection, data.quarter, firm_id)
    data.firm_freshness = _freshness(connection, data.quarter, firm_id)
