"""Every build exports each model of the benchmark schema as Parquet beside the warehouse
(``exports/benchmark/<model>.parquet``) for BI tools, and only when that model built cleanly."""

from pathlib import Path

import duckdb
from conftest import copy_warehouse, query

from tpsp.dbt_runner import run_dbt


def benchmark_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = query(
        connection,
        "select table_name from information_schema.tables"
        " where table_schema = 'benchmark' order by table_name",
    )
    return [name for (name,) in rows]


def columns(connection: duckdb.DuckDBPyConnection, relation: str) -> list[tuple]:
    return query(
        connection, f"select column_name, column_type from (describe select * from {relation})"
    )


def benchmark_exports(warehouse_file: Path) -> Path:
    return warehouse_file.parent / "exports" / "benchmark"


def test_build_exports_every_benchmark_model_beside_the_warehouse(demo_run, warehouse):
    exported = sorted(path.stem for path in benchmark_exports(demo_run.layout.warehouse).iterdir())
    assert exported == benchmark_tables(warehouse)
    assert "fct_benchmarks" in exported


def test_each_export_holds_the_rows_and_columns_of_its_table(demo_run, warehouse):
    for table in benchmark_tables(warehouse):
        parquet = str(benchmark_exports(demo_run.layout.warehouse) / f"{table}.parquet")
        exported = f"read_parquet('{parquet}')"
        in_table = f"benchmark.{table}"
        assert columns(warehouse, exported) == columns(warehouse, in_table), table
        [(rows,)] = query(warehouse, f"select count(*) from {in_table}")
        [(exported_rows,)] = query(warehouse, f"select count(*) from {exported}")
        assert rows > 0 and exported_rows == rows, table
        for left, right in ((exported, in_table), (in_table, exported)):
            [(differing,)] = query(
                warehouse,
                f"select count(*) from (select * from {left} except all select * from {right})",
            )
            assert differing == 0, f"{table}: rows of {left} missing from {right}"


def test_a_benchmark_model_that_fails_to_build_keeps_its_previous_export(
    demo_run, warehouse, tmp_path
):
    copy = tmp_path / demo_run.layout.warehouse.name
    # fct_benchmarks reads it: its build fails
    copy_warehouse(
        warehouse,
        copy,
        "failing_copy",
        "drop table failing_copy.firm_private.fct_firm_benchmark_values",
    )
    previous = benchmark_exports(copy) / "fct_benchmarks.parquet"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"the previous release")

    build = run_dbt(["run", "--select", "fct_benchmarks"], demo_run.layout.landing, copy)

    assert not build.succeeded
    assert "fct_benchmarks: error" in build.failures
    assert previous.read_bytes() == b"the previous release"
    assert [path.name for path in previous.parent.iterdir()] == ["fct_benchmarks.parquet"]
