"""The release guard: a cell is not republished when its firms changed by a few.

Two exact releases of one cell whose firms differ by one firm solve for that firm's value:
five percentiles before, five after, one unknown more (`tests_py/test_privacy_attacks.py`).
The dbt build cannot see this, since it sees one release; this step, run after every build
that publishes benchmarks, remembers in `ops.benchmark_release_cells` the firm sets each
cell was published with and compares the new release with them.

A cell published before whose firms now differ from a set it was published with by at least
one and fewer than `k_min_firms` firms (symmetric difference) is suppressed with reason
`release_difference`; `firms` stays, as on every suppressed cell. Any set it was published
with counts, not only the last one: a cell that moved from A to B by k firms and then to C,
one firm away from A, would otherwise give that firm away between the releases of A and C.
A cell whose firms equal a published set, or differ from every one by k or more, is
published, and a new set is recorded. The first release (no history) changes nothing, and a
rebuild over the same firms changes nothing either: recorded sets are k apart or equal.

Suppressing, not freezing the old values: a frozen cell would show figures of firms it no
longer describes beside a `firms` count of the ones it does, its siblings (`all` against the
size bands) would mix two releases, and a differentially private release would draw the
frozen values again. A suppressed cell says plainly that nothing new can be shown yet.

When the guard leaves a segment type of a metric and period with exactly one suppressed
cell, the smallest published cell goes too as `complementary`, as in `fct_benchmarks.sql`.

With `dp_epsilon` set, the guard runs first, on the exact firm sets, and the DP release
then draws values for what is still published: which cells are suppressed is decided on
exact data, outside epsilon, like every other suppression rule.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from tpsp.privacy.export import BENCHMARKS, refresh_benchmark_export
from tpsp.privacy.mechanisms import PERCENTILES
from tpsp.project import DEFAULT_K_MIN_FIRMS

RELEASE_CELLS = "ops.benchmark_release_cells"
FIRM_VALUES = "firm_private.fct_firm_benchmark_values"
RELEASE_DIFFERENCE = "release_difference"
COMPLEMENTARY = "complementary"
KEY_COLUMNS = ("metric", "period_type", "period_start", "segment_type", "segment_value")

# metric, period_type, period_start, segment_type, segment_value
Key = tuple[str, str, date, str, str]

CREATE_RELEASE_CELLS = f"""
create table if not exists {RELEASE_CELLS} (
    metric varchar not null,
    period_type varchar not null,
    period_start date not null,
    segment_type varchar not null,
    segment_value varchar not null,
    firm_ids varchar[] not null,
    released_at timestamp not null
)
"""


@dataclass(frozen=True)
class CellFirms:
    """A cell of the new release, with what the build decided for it."""

    key: Key
    firm_ids: frozenset[str]
    published: bool
    firms: int
    teams: int | None


@dataclass(frozen=True)
class GuardDecision:
    withheld: frozenset[Key]  # suppressed as release_difference
    complementary: frozenset[Key]
    recorded: Mapping[Key, frozenset[str]]  # sets published for the first time

    @property
    def suppressed(self) -> dict[Key, str]:
        found = dict.fromkeys(self.withheld, RELEASE_DIFFERENCE)
        found.update(dict.fromkeys(self.complementary, COMPLEMENTARY))
        return found


@dataclass(frozen=True)
class GuardResult:
    cells: int
    withheld: int
    complementary: int
    recorded: int

    def summary(self) -> str:
        return (
            f"release guard: {self.withheld} of {self.cells} cells withheld as "
            f"{RELEASE_DIFFERENCE}, {self.complementary} more as {COMPLEMENTARY}; "
            f"{self.recorded} firm sets recorded ({RELEASE_CELLS})"
        )


def differs_by_a_few(current: frozenset[str], published: frozenset[str], k_min_firms: int) -> bool:
    return 0 < len(current ^ published) < k_min_firms


def decide(
    cells: Iterable[CellFirms],
    history: Mapping[Key, Iterable[frozenset[str]]],
    k_min_firms: int = DEFAULT_K_MIN_FIRMS,
) -> GuardDecision:
    cells = list(cells)
    withheld = {
        cell.key
        for cell in cells
        if cell.published
        and any(
            differs_by_a_few(cell.firm_ids, past, k_min_firms) for past in history.get(cell.key, ())
        )
    }
    complementary = _complements(cells, withheld)
    recorded = {
        cell.key: cell.firm_ids
        for cell in cells
        if cell.published
        and cell.key not in withheld | complementary
        and cell.firm_ids not in set(history.get(cell.key, ()))
    }
    return GuardDecision(frozenset(withheld), frozenset(complementary), recorded)


def _complements(cells: list[CellFirms], withheld: set[Key]) -> set[Key]:
    """A segment type left with one suppressed cell loses its smallest published one too:
    `all` minus the published cells would otherwise recover the lone one."""
    groups: dict[tuple, list[CellFirms]] = defaultdict(list)
    for cell in cells:
        groups[cell.key[:4]].append(cell)
    found = set()
    for siblings in groups.values():
        suppressed = [c for c in siblings if not c.published or c.key in withheld]
        published = [c for c in siblings if c.published and c.key not in withheld]
        if len(suppressed) != 1 or not published or suppressed[0].key not in withheld:
            continue
        smallest = min(
            published,
            key=lambda c: (c.firms, c.teams is None, c.teams or 0, c.key[4]),
        )
        found.add(smallest.key)
    return found


def read_cells(connection: duckdb.DuckDBPyConnection) -> list[CellFirms]:
    rows = connection.execute(
        f"""
        select
            cells.metric,
            cells.period_type,
            cells.period_start,
            cells.segment_type,
            cells.segment_value,
            list(distinct firm_values.firm_id) filter (where firm_values.firm_id is not null),
            not cells.suppressed,
            cells.firms,
            cells.teams
        from {BENCHMARKS} as cells
        left join {FIRM_VALUES} as firm_values
            using (metric, period_type, period_start, segment_type, segment_value)
        group by all
        """
    ).fetchall()
    return [
        CellFirms(tuple(row[:5]), frozenset(row[5] or ()), row[6], row[7], row[8]) for row in rows
    ]


def read_history(connection: duckdb.DuckDBPyConnection) -> dict[Key, list[frozenset[str]]]:
    connection.execute("create schema if not exists ops")
    connection.execute(CREATE_RELEASE_CELLS)
    history: dict[Key, list[frozenset[str]]] = defaultdict(list)
    for *key, firm_ids in connection.execute(
        "select metric, period_type, period_start, segment_type, segment_value, firm_ids "
        f"from {RELEASE_CELLS}"
    ).fetchall():
        history[tuple(key)].append(frozenset(firm_ids))
    return history


def apply_release_guard(warehouse: Path, k_min_firms: int = DEFAULT_K_MIN_FIRMS) -> GuardResult:
    """Suppress the cells of `benchmark.fct_benchmarks` whose firms changed by fewer than k
    since a release that published them, record the newly published firm sets and rewrite
    the Parquet export."""
    with duckdb.connect(str(warehouse)) as connection:
        cells = read_cells(connection)
        decision = decide(cells, read_history(connection), k_min_firms)
        connection.execute("begin transaction")
        _suppress(connection, decision.suppressed)
        _record(connection, decision.recorded)
        connection.execute("commit")
        if decision.suppressed:
            refresh_benchmark_export(connection, warehouse)
    return GuardResult(
        cells=len(cells),
        withheld=len(decision.withheld),
        complementary=len(decision.complementary),
        recorded=len(decision.recorded),
    )


def _suppress(connection: duckdb.DuckDBPyConnection, suppressed: Mapping[Key, str]) -> None:
    if not suppressed:
        return
    cleared = ", ".join(f"{name} = null" for name in ["teams", *PERCENTILES])
    connection.execute(
        f"""
        update {BENCHMARKS} set suppressed = true, suppression_reason = guarded.reason, {cleared}
        from ({_unnest((*KEY_COLUMNS, "reason"))}) as guarded
        where {" and ".join(f"fct_benchmarks.{c} = guarded.{c}" for c in KEY_COLUMNS)}
        """,
        _columns([[*key, reason] for key, reason in suppressed.items()], len(KEY_COLUMNS) + 1),
    )


def _record(connection: duckdb.DuckDBPyConnection, recorded: Mapping[Key, frozenset[str]]) -> None:
    if not recorded:
        return
    released_at = datetime.now(UTC).replace(tzinfo=None)
    rows = [[*key, sorted(firm_ids)] for key, firm_ids in recorded.items()]
    columns = (*KEY_COLUMNS, "firm_ids")
    connection.execute(
        f"insert into {RELEASE_CELLS} select *, ?::timestamp from ({_unnest(columns)})",
        [released_at, *_columns(rows, len(columns))],
    )


def _unnest(columns: tuple[str, ...]) -> str:
    """One parameter per column, each a list: a single statement for every row."""
    return "select " + ", ".join(f"unnest(?) as {column}" for column in columns)


def _columns(rows: list[list], width: int) -> list[list]:
    return [[row[index] for row in rows] for index in range(width)]
