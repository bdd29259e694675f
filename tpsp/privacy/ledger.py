"""`ops.dp_budget_ledger`: one row per differentially private release (privacy rule 6).

Outside dbt on purpose: a `dbt build --full-refresh` must never forget budget already spent.
"""

from dataclasses import dataclass
from datetime import datetime

import duckdb

LEDGER = "ops.dp_budget_ledger"

CREATE_LEDGER = f"""
create table if not exists {LEDGER} (
    release_id varchar primary key,
    released_at timestamp not null,
    mechanism varchar not null,
    epsilon_per_statistic double not null,
    metrics integer not null,
    cells integer not null,
    statistics integer not null,
    epsilon_per_firm double not null,
    epsilon_total double not null
)
"""


@dataclass(frozen=True)
class LedgerRow:
    """One release. `epsilon_per_firm` is the most one firm can lose in it (basic composition
    over every statistic it may feed); `epsilon_total` adds up every release so far."""

    release_id: str
    released_at: datetime
    mechanism: str
    epsilon_per_statistic: float
    metrics: int
    cells: int
    statistics: int
    epsilon_per_firm: float
    epsilon_total: float

    def summary(self) -> str:
        return (
            f"DP release {self.release_id}: epsilon {self.epsilon_per_statistic:g} per "
            f"statistic, {self.statistics} statistics, at most {self.epsilon_per_firm:g} for "
            f"one firm; {self.epsilon_total:g} spent in all ({LEDGER})"
        )


def spent_so_far(connection: duckdb.DuckDBPyConnection) -> float:
    connection.execute("create schema if not exists ops")
    connection.execute(CREATE_LEDGER)
    (spent,) = connection.execute(
        f"select coalesce(sum(epsilon_per_firm), 0) from {LEDGER}"
    ).fetchone()
    return float(spent)


def record(connection: duckdb.DuckDBPyConnection, row: LedgerRow) -> None:
    connection.execute(
        f"insert into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.release_id,
            row.released_at,
            row.mechanism,
            row.epsilon_per_statistic,
            row.metrics,
            row.cells,
            row.statistics,
            row.epsilon_per_firm,
            row.epsilon_total,
        ],
    )


def read_ledger(connection: duckdb.DuckDBPyConnection) -> list[LedgerRow]:
    rows = connection.execute(f"select * from {LEDGER} order by epsilon_total").fetchall()
    return [LedgerRow(*row) for row in rows]
