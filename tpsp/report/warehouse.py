"""Opening the warehouse for reading, with errors a user can act on."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from tpsp.errors import InputError

REQUIRED_RELATIONS = (
    "benchmark.fct_benchmarks",
    "firm_private.fct_firm_benchmark_values",
    "reference.metric_glossary",
)


@contextmanager
def read_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    if not path.is_file():
        raise InputError(
            f"warehouse not found: {path}",
            hint="build one with `make demo` or `tpsp build`, or pass --warehouse",
        )
    connection = _connect(path)
    try:
        _require_marts(connection, path)
        yield connection
    finally:
        connection.close()


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException:
        # this process already holds the file open for writing (a build, a test session):
        # DuckDB then only accepts connections with the same configuration
        return duckdb.connect(str(path))
    except duckdb.IOException as error:
        raise InputError(
            f"cannot open the warehouse {path}: {str(error).splitlines()[0]}",
            hint="another process may be writing to it (a build, dagster dev); retry after it ends",
        ) from error


def _require_marts(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    present = {
        f"{schema}.{table}"
        for schema, table in connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    missing = [relation for relation in REQUIRED_RELATIONS if relation not in present]
    if missing:
        raise InputError(
            f"the warehouse {path} lacks {', '.join(missing)}",
            hint="run `tpsp build` (or `make demo`) so that dbt builds the marts first",
        )
