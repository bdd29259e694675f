"""make test-spark: one demo landing, built by dbt on DuckDB and on Spark.

Not collected by `make test` (pytest's testpaths is tests_py): the Spark build needs a
JVM and several minutes of its own.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tpsp.dbt_runner import dbt_vars
from tpsp.project import PROJECT_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

# The pytest session's firms and seed (tests_py/conftest.py), over fewer days: 45 days still
# reach every mart (spikes need 21 days of history) and keep the Spark build within minutes.
SPARK_FIRMS = 6
SPARK_DAYS = int(os.environ.get("TPSP_SPARK_TEST_DAYS", "45"))
SPARK_SEED = 7


@dataclass(frozen=True)
class SparkBuild:
    """The Spark build of a landing: its Parquet tables and what dbt reported."""

    warehouse_dir: Path
    returncode: int
    failures: list[str]
    seconds: float

    def table_location(self, schema: str, name: str) -> Path:
        # a managed table of the Hive metastore: <warehouse dir>/<schema>.db/<table>/
        return self.warehouse_dir / f"{schema}.db" / name


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    """The demo on DuckDB: generate, anonymize, gate and `dbt build` as `tpsp demo` does."""
    from tpsp.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    started = time.monotonic()
    result = run_demo(out, firms=SPARK_FIRMS, days=SPARK_DAYS, seed=SPARK_SEED)
    print(
        f"\nDuckDB demo (generate, anonymize, gates, dbt build): {time.monotonic() - started:.0f}s"
    )
    return result


@pytest.fixture(scope="session")
def duckdb_manifest(demo_run) -> dict:
    return json.loads((demo_run.layout.out / "dbt_target" / "manifest.json").read_text())


@pytest.fixture(scope="session")
def spark_build(demo_run, tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    """`dbt build --target spark` of the same landing, in its own process (and JVM)."""
    root = tmp_path_factory.mktemp("spark")
    warehouse_dir = root / "warehouse"
    exports = root / "exports"
    for schema in ("benchmark", "focus"):
        (exports / schema).mkdir(parents=True)
    dbt_vars_ = dbt_vars(demo_run.layout.landing) | {"exports_path": str(exports)}
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--full-refresh",
        "--target",
        "spark",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(root / "dbt_target"),
        "--log-path",
        str(root / "dbt_logs"),
        "--vars",
        json.dumps(dbt_vars_),
    ]
    env = os.environ | {"TPSP_SPARK_WAREHOUSE": str(warehouse_dir)}
    started = time.monotonic()
    # from the Spark folder: anything Spark or Derby writes beside the warehouse stays there
    completed = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    print(f"\nSpark dbt build: {seconds:.0f}s")
    results = root / "dbt_target" / "run_results.json"
    failures = []
    if results.is_file():
        failures = [
            f"{result['unique_id']}: {result['status']}"
            for result in json.loads(results.read_text())["results"]
            if result["status"] in ("error", "fail", "skipped")
        ]
    if completed.returncode != 0 and not failures:
        failures = [completed.stdout[-3000:] + completed.stderr[-3000:]]
    yield SparkBuild(warehouse_dir, completed.returncode, failures, seconds)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def reader(demo_run) -> duckdb.DuckDBPyConnection:
    """The DuckDB warehouse, which also reads the Spark tables' Parquet files; timestamps
    compare as UTC instants. Same file and configuration as dbt's own connection in this
    process: DuckDB opens a file once per process."""
    connection = duckdb.connect(str(demo_run.layout.warehouse))
    connection.execute("set TimeZone = 'UTC'")
    return connection
