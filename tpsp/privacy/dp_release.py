"""Privacy rule 6: a differentially private release of `benchmark.fct_benchmarks`.

Runs after `dbt build` when `dp_epsilon` is set. Each cell's statistics are drawn afresh from
its firms' values (`firm_private.fct_firm_benchmark_values`) by OpenDP mechanisms and written
over the cell's row in `benchmark.fct_benchmarks` and its Parquet export: BI tools read that
table, and an exact figure left beside a noisy one would undo the noise. The release is
recorded in `ops.dp_budget_ledger`.

The suppression rules still apply on top (a suppressed cell releases only a noisy firm
count). They are decided on exact data, so which cells are suppressed is not covered by
epsilon; everything a published cell shows is.

Post-processing, which costs no budget: the percentiles are sorted, a published cell shows
at least k firms (its `suppressed = false` says so already), a too-few-firms cell between 1
and k - 1, and teams are at least the firms.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from tpsp.errors import TpspError
from tpsp.privacy.export import BENCHMARKS, refresh_benchmark_export
from tpsp.privacy.ledger import LedgerRow, record, spent_so_far
from tpsp.privacy.mechanisms import MECHANISM, PERCENTILES, Mechanisms
from tpsp.project import DEFAULT_K_MIN_FIRMS

FIRM_VALUES = "firm_private.fct_firm_benchmark_values"
# a firm belongs to one cell of these segment types, but may use every model class,
# workflow and context window
ONE_CELL_PER_FIRM = ("all", "size_band")
PUBLISHED_STATISTICS = len(PERCENTILES) + 2  # the percentiles, firms and teams
SUPPRESSED_STATISTICS = 1  # firms


@dataclass(frozen=True)
class Cell:
    benchmark_id: str
    metric: str
    period_type: str
    period_start: date
    segment_type: str
    suppression_reason: str | None
    values: list[float]
    teams: list[int]

    @property
    def statistics(self) -> int:
        return SUPPRESSED_STATISTICS if self.suppression_reason else PUBLISHED_STATISTICS


@dataclass(frozen=True)
class ReleasedCell:
    benchmark_id: str
    firms: int
    teams: int | None
    percentiles: tuple[float, ...] | None


def read_cells(connection: duckdb.DuckDBPyConnection) -> list[Cell]:
    rows = connection.execute(
        f"""
        select
            cells.benchmark_id,
            cells.metric,
            cells.period_type,
            cells.period_start,
            cells.segment_type,
            cells.suppression_reason,
            list(firm_values.metric_value order by firm_values.firm_id),
            list(firm_values.teams order by firm_values.firm_id)
        from {BENCHMARKS} as cells
        inner join {FIRM_VALUES} as firm_values
            using (metric, period_type, period_start, segment_type, segment_value)
        group by all
        order by cells.benchmark_id
        """
    ).fetchall()
    return [Cell(*row) for row in rows]


def release_cell(cell: Cell, mechanisms: Mechanisms, k_min_firms: int) -> ReleasedCell:
    firms = int(mechanisms.firms(cell.values))
    if cell.suppression_reason == "too_few_firms":
        return ReleasedCell(cell.benchmark_id, min(max(firms, 1), k_min_firms - 1), None, None)
    firms = max(firms, k_min_firms)
    if cell.suppression_reason is not None:
        return ReleasedCell(cell.benchmark_id, firms, None, None)
    percentiles = sorted(
        float(mechanisms.percentile(cell.metric, name)(cell.values)) for name in PERCENTILES
    )
    teams = max(int(mechanisms.teams(cell.teams)), firms)
    return ReleasedCell(cell.benchmark_id, firms, teams, tuple(percentiles))


def epsilon_per_firm(cells: Iterable[Cell], epsilon: float) -> float:
    """The most one firm can lose in a release: every statistic it may feed, added up.

    Read from the release's layout (which cells exist and which are suppressed), not from
    who is in them, so that the figure itself reveals nothing.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    for cell in cells:
        key = (cell.metric, cell.period_type, cell.period_start, cell.segment_type)
        groups[key].append(cell.statistics)
    statistics = sum(
        max(counts) if key[-1] in ONE_CELL_PER_FIRM else sum(counts)
        for key, counts in groups.items()
    )
    return epsilon * statistics


def release_dp_benchmarks(
    warehouse: Path, epsilon: float, k_min_firms: int = DEFAULT_K_MIN_FIRMS
) -> LedgerRow:
    """Replace the values of `benchmark.fct_benchmarks` with a DP release; return its ledger
    row."""
    if epsilon <= 0:
        raise TpspError(f"dp_epsilon must be positive, not {epsilon:g}")
    mechanisms = Mechanisms(epsilon)
    with duckdb.connect(str(warehouse)) as connection:
        cells = read_cells(connection)
        released = [release_cell(cell, mechanisms, k_min_firms) for cell in cells]
        per_firm = epsilon_per_firm(cells, epsilon)
        connection.execute("begin transaction")
        row = LedgerRow(
            release_id=uuid.uuid4().hex,
            released_at=datetime.now(UTC).replace(tzinfo=None),
            mechanism=MECHANISM,
            epsilon_per_statistic=epsilon,
            metrics=len({cell.metric for cell in cells}),
            cells=len(cells),
            statistics=sum(cell.statistics for cell in cells),
            epsilon_per_firm=per_firm,
            epsilon_total=spent_so_far(connection) + per_firm,
        )
        _write(connection, released, row.release_id)
        record(connection, row)
        connection.execute("commit")
        refresh_benchmark_export(connection, warehouse)
    return row


def _write(
    connection: duckdb.DuckDBPyConnection, released: list[ReleasedCell], release_id: str
) -> None:
    names = list(PERCENTILES)
    connection.execute(
        "create temp table dp_release (benchmark_id varchar, firms bigint, teams bigint, "
        + ", ".join(f"{name} double" for name in names)
        + ")"
    )
    connection.executemany(
        f"insert into dp_release values (?, ?, ?{', ?' * len(names)})",
        [
            [cell.benchmark_id, cell.firms, cell.teams, *(cell.percentiles or [None] * len(names))]
            for cell in released
        ],
    )
    assignments = ", ".join(f"{name} = dp_release.{name}" for name in ["firms", "teams", *names])
    connection.execute(
        f"update {BENCHMARKS} set {assignments}, dp_release_id = ? "
        "from dp_release where fct_benchmarks.benchmark_id = dp_release.benchmark_id",
        [release_id],
    )
    connection.execute("drop table dp_release")
