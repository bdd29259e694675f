"""The benchmark table's Parquet export, rewritten after a post-build step changes the table."""

from pathlib import Path

import duckdb

from tpsp.dbt_runner import exports_path

BENCHMARKS = "benchmark.fct_benchmarks"


def refresh_benchmark_export(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """The build exported the table before the post-build steps: replace that file, through
    a temporary one so that a reader never sees half of it."""
    export = exports_path(warehouse) / "benchmark" / "fct_benchmarks.parquet"
    if not export.exists():
        return
    partial = export.with_name(export.name + ".partial")
    location = str(partial).replace("'", "''")
    connection.execute(f"copy (select * from {BENCHMARKS}) to '{location}' (format parquet)")
    partial.replace(export)
