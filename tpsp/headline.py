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
