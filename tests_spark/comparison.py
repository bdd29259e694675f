"""A table built on Spark holds the rows its DuckDB build holds: rows matched by the key
of the model's `unique` test, values compared with a float tolerance."""

import datetime as dt
import math
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path

import duckdb
from conftest import SparkBuild

# Doubles summed in another order differ in their last bits; fixed-point decimals must not.
REL_TOL = 1e-9
ABS_TOL = 1e-12
SHOWN_DIFFERENCES = 10


def model_node(manifest: dict, name: str) -> dict:
    return manifest["nodes"][f"model.tpsp.{name}"]


def unique_key(manifest: dict, name: str) -> str:
    """The column of the model's `unique` test: every model has one (its primary key)."""
    unique_id = f"model.tpsp.{name}"
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        if node.get("attached_node") == unique_id and metadata.get("name") == "unique":
            return node["column_name"]
    raise AssertionError(f"{name} has no unique test to key its rows by")


def rows_by_key(
    reader: duckdb.DuckDBPyConnection, relation_sql: str, key: str
) -> tuple[list[str], dict[object, dict[str, object]]]:
    cursor = reader.execute(f"select * from {relation_sql}")
    columns = [column[0].lower() for column in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    keyed = {row[key.lower()]: row for row in rows}
    assert len(keyed) == len(rows), f"{relation_sql}: {key} is not unique"
    return columns, keyed


def spark_relation_sql(location: Path) -> str | None:
    """The Parquet files of a Spark table (date partitions are key=value folders)."""
    if not any(location.rglob("*.parquet")):
        return None
    return f"read_parquet('{location}/**/*.parquet', hive_partitioning = true)"


def normalized(value: object) -> object:
    # Spark's timestamps are instants, read back as UTC; DuckDB's are naive UTC
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def same(left: object, right: object) -> bool:
    left, right = normalized(left), normalized(right)
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        if isinstance(left, bool) or isinstance(right, bool):
            return left == right
        return math.isclose(float(left), float(right), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(str(left)) == Decimal(str(right))
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    return left == right


def assert_spark_table_matches(
    reader: duckdb.DuckDBPyConnection,
    manifest: dict,
    model: str,
    spark_build: SparkBuild,
    ignored_columns: Collection[str] = (),
) -> None:
    """``model`` as the Spark build made it holds the rows of ``model`` in the DuckDB
    warehouse that ``reader`` reads, but for ``ignored_columns``."""
    schema = model_node(manifest, model)["schema"]
    key = unique_key(manifest, model)
    duckdb_columns, duckdb_rows = rows_by_key(reader, f"{schema}.{model}", key)

    spark_sql = spark_relation_sql(spark_build.table_location(schema, model))
    assert spark_sql is not None or not duckdb_rows, f"{schema}.{model} not built on Spark"
    spark_columns, spark_rows = (
        rows_by_key(reader, spark_sql, key) if spark_sql else (duckdb_columns, {})
    )

    assert sorted(spark_columns) == sorted(duckdb_columns)
    assert len(spark_rows) == len(duckdb_rows), "row counts differ"
    only_duckdb = sorted(map(str, duckdb_rows.keys() - spark_rows.keys()))
    only_spark = sorted(map(str, spark_rows.keys() - duckdb_rows.keys()))
    assert not only_duckdb and not only_spark, (
        f"keys only on DuckDB {only_duckdb[:5]}, only on Spark {only_spark[:5]}"
    )
    differences = [
        f"{key}={row_key} {column}: duckdb {duckdb_row[column]!r} spark {spark_row[column]!r}"
        for row_key, duckdb_row in duckdb_rows.items()
        for spark_row in [spark_rows[row_key]]
        for column in duckdb_columns
        if column not in ignored_columns and not same(duckdb_row[column], spark_row[column])
    ]
    assert not differences, f"{len(differences)} values differ:\n" + "\n".join(
        differences[:SHOWN_DIFFERENCES]
    )
