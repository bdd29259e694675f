"""Spark's landing views read a landing where some firms send their per-call and CSV kinds
in Parquet and others as JSON lines or CSV: every staging model holds on Spark the rows it
holds on DuckDB built from the same landing, the landed file's path included."""

import time
from collections.abc import Collection
from pathlib import Path

import duckdb
import pytest
from comparison import assert_spark_table_matches, model_node
from conftest import SparkLanding, landing_listing

from tpsp.anonymize.parquet import PARQUET_LAYOUTS
from tpsp.dbt_runner import run_dbt
from tpsp.project import PROJECT_DIR

STAGING = PROJECT_DIR / "models" / "staging"


def staging_models(kinds: Collection[str] | None = None) -> list[str]:
    """The staging models, or those of the given source kinds (their folders' names)."""
    return sorted(
        path.stem
        for path in STAGING.rglob("stg_*.sql")
        if kinds is None or path.parent.name in kinds
    )


@pytest.fixture(scope="session")
def staging_reader(spark_landing: SparkLanding, tmp_path_factory: pytest.TempPathFactory):
    """The staging models built on DuckDB from the Spark landing, as dbt run builds them."""
    warehouse = tmp_path_factory.mktemp("duckdb_staging") / "tpsp.duckdb"
    started = time.monotonic()
    build = run_dbt(["run", "--select", "path:models/staging"], spark_landing.path, warehouse)
    print(f"\nDuckDB staging of the Spark landing: {time.monotonic() - started:.0f}s")
    assert build.succeeded, build.failures
    # same configuration as dbt's connection to that file in this process
    connection = duckdb.connect(str(warehouse))
    connection.execute("set TimeZone = 'UTC'")
    yield connection
    connection.close()


def _landed_kinds(landing: Path, firm_ids: set[str], suffix: str) -> set[str]:
    return {
        path.relative_to(landing).parts[1]
        for path in landing.glob(f"*/*/*/*{suffix}")
        if path.relative_to(landing).parts[0] in firm_ids
    }


def test_parquet_firms_land_every_parquet_kind_in_parquet_and_other_firms_some_as_text(
    spark_landing,
) -> None:
    landing = spark_landing.path
    firms = {path.name for path in landing.iterdir() if path.is_dir()}
    in_parquet = set(spark_landing.parquet_firm_ids)
    assert _landed_kinds(landing, firms - in_parquet, ".parquet") == set()
    assert _landed_kinds(landing, in_parquet, ".parquet") == set(PARQUET_LAYOUTS)
    as_text = _landed_kinds(landing, firms - in_parquet, ".jsonl") | _landed_kinds(
        landing, firms - in_parquet, ".csv"
    )
    assert as_text & set(PARQUET_LAYOUTS)


def test_the_gates_quarantine_the_parquet_firms_files_they_quarantined_in_json(
    demo_run, spark_landing
) -> None:
    def stems(paths, firm_ids) -> list[str]:
        return sorted(
            str(Path(path).with_suffix("")) for path in paths if Path(path).parts[0] in firm_ids
        )

    firm_ids = set(spark_landing.parquet_firm_ids)
    assert spark_landing.gate.passed
    assert stems((q.path for q in spark_landing.gate.quarantined), firm_ids) == stems(
        (q.path for q in demo_run.gate.quarantined), firm_ids
    )


@pytest.mark.parametrize("kind", sorted(PARQUET_LAYOUTS))
def test_spark_stages_a_kind_from_its_parquet_and_its_text_files(
    kind, duckdb_manifest, spark_landing, spark_build, staging_reader
) -> None:
    (model,) = staging_models([kind])
    location = spark_build.table_location(model_node(duckdb_manifest, model)["schema"], model)
    rows = staging_reader.execute(
        "select distinct regexp_extract(landed_file, '[.][a-z]+$') "
        f"from read_parquet('{location}/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    staged = {suffix for (suffix,) in rows}
    landed = {path.suffix for path in spark_landing.path.glob(f"*/{kind}/*/*") if path.is_file()}
    assert ".parquet" in landed
    assert staged == landed


def test_the_spark_build_leaves_the_landing_as_it_was(spark_landing, spark_build) -> None:
    assert landing_listing(spark_landing.path) == spark_landing.listing


@pytest.mark.parametrize("model", staging_models())
def test_staging_model_matches_duckdb(model, duckdb_manifest, spark_build, staging_reader) -> None:
    assert_spark_table_matches(staging_reader, duckdb_manifest, model, spark_build)
