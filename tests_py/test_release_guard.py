"""The release guard's rule, on hand-made cells and on a small warehouse."""

from datetime import date
from pathlib import Path

import duckdb

from tpsp.privacy.release_guard import (
    COMPLEMENTARY,
    RELEASE_CELLS,
    RELEASE_DIFFERENCE,
    CellFirms,
    apply_release_guard,
    decide,
)

K = 5
MONTH = ("tokens_per_merged_pr", "month", date(2026, 1, 1))
ALL = (*MONTH, "all", "all")
FIRST = frozenset(f"f_{n}" for n in range(1, 7))


def cell(firm_ids: frozenset[str], key=ALL, published: bool = True) -> CellFirms:
    return CellFirms(key, firm_ids, published, len(firm_ids), len(firm_ids))


def test_the_first_release_changes_nothing_and_records_every_published_set():
    decision = decide([cell(FIRST), cell(FIRST - {"f_1"}, (*MONTH, "workflow", "chat"), False)], {})
    assert not decision.suppressed
    assert decision.recorded == {ALL: FIRST}


def test_the_same_firms_again_change_nothing():
    decision = decide([cell(FIRST)], {ALL: [FIRST]}, K)
    assert not decision.suppressed
    assert not decision.recorded


def test_one_firm_more_is_withheld_and_the_old_set_kept():
    decision = decide([cell(FIRST | {"f_7"})], {ALL: [FIRST]}, K)
    assert decision.suppressed == {ALL: RELEASE_DIFFERENCE}
    assert not decision.recorded


def test_k_firms_changed_publish_again_and_record_the_new_set():
    changed = FIRST | {f"f_{n}" for n in range(7, 7 + K)}
    decision = decide([cell(changed)], {ALL: [FIRST]}, K)
    assert not decision.suppressed
    assert decision.recorded == {ALL: changed}


def test_every_set_published_before_counts_not_only_the_last():
    later = FIRST | {f"f_{n}" for n in range(7, 7 + K)}
    one_from_first = FIRST | {"f_99"}
    decision = decide([cell(one_from_first)], {ALL: [FIRST, later]}, K)
    assert decision.suppressed == {ALL: RELEASE_DIFFERENCE}


def test_a_lone_withheld_cell_takes_the_smallest_published_sibling_with_it():
    bands = {name: (*MONTH, "workflow", name) for name in ("agentic_coding", "chat", "review")}
    small = frozenset(f"f_{n}" for n in range(1, 6))
    cells = [
        cell(FIRST | {"f_7"}, bands["agentic_coding"]),
        cell(small, bands["chat"]),
        cell(FIRST, bands["review"]),
    ]
    history = {bands["agentic_coding"]: [FIRST], bands["chat"]: [small]}
    decision = decide(cells, history, K)
    assert decision.suppressed == {
        bands["agentic_coding"]: RELEASE_DIFFERENCE,
        bands["chat"]: COMPLEMENTARY,
    }


def build(warehouse: Path, firm_ids: list[str]) -> None:
    """What a build leaves: one published `all` cell and the firms' values behind it."""
    with duckdb.connect(str(warehouse)) as connection:
        for schema in ("benchmark", "firm_private"):
            connection.execute(f"create schema if not exists {schema}")
        connection.execute(
            "create or replace table benchmark.fct_benchmarks as select "
            "'b1' as benchmark_id, ?::varchar as metric, ?::varchar as period_type, "
            "?::date as period_start, 'all' as segment_type, 'all' as segment_value, "
            "?::bigint as firms, ?::bigint as teams, false as suppressed, "
            "null::varchar as suppression_reason, 1.0 as p10, 2.0 as p25, 3.0 as p50, "
            "4.0 as p75, 5.0 as p90, null::varchar as dp_release_id",
            [*MONTH, len(firm_ids), len(firm_ids)],
        )
        connection.execute(
            "create or replace table firm_private.fct_firm_benchmark_values as select "
            "unnest(?::varchar[]) as firm_id, ?::varchar as metric, ?::varchar as period_type, "
            "?::date as period_start, 'all' as segment_type, 'all' as segment_value, "
            "1.0 as metric_value, 1 as teams",
            [firm_ids, *MONTH],
        )


def published_cell(warehouse: Path) -> tuple:
    with duckdb.connect(str(warehouse)) as connection:
        return connection.execute(
            "select suppressed, suppression_reason, teams, p50 from benchmark.fct_benchmarks"
        ).fetchone()


def ledger(warehouse: Path) -> list[list[str]]:
    with duckdb.connect(str(warehouse)) as connection:
        return [
            row[0]
            for row in connection.execute(
                f"select firm_ids from {RELEASE_CELLS} order by released_at"
            ).fetchall()
        ]


def test_releases_of_a_warehouse(tmp_path: Path):
    warehouse = tmp_path / "tpsp.duckdb"
    first = sorted(FIRST)

    build(warehouse, first)
    assert apply_release_guard(warehouse, K).withheld == 0
    assert published_cell(warehouse) == (False, None, 6, 3.0)
    assert ledger(warehouse) == [first]

    build(warehouse, first)  # the same build again: idempotent
    assert apply_release_guard(warehouse, K).withheld == 0
    assert ledger(warehouse) == [first]

    build(warehouse, [*first, "f_7"])
    assert apply_release_guard(warehouse, K).withheld == 1
    assert published_cell(warehouse) == (True, RELEASE_DIFFERENCE, None, None)
    assert ledger(warehouse) == [first]

    grown = [*first, *(f"f_{n}" for n in range(7, 7 + K))]
    build(warehouse, grown)
    assert apply_release_guard(warehouse, K).withheld == 0
    assert published_cell(warehouse) == (False, None, len(grown), 3.0)
    assert ledger(warehouse) == [first, sorted(grown)]
