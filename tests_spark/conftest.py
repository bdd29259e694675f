"""make test-spark: one demo landing, built by dbt on DuckDB and on Spark.

Spark reads the same records with some firms' files landed in Parquet (`tpsp anonymize
--format parquet`), so that its landing views read every Parquet kind in Parquet from one
firm and as JSON or CSV from another, and still build what DuckDB builds from JSON.

Not collected by `make test` (pytest's testpaths is tests_py): the Spark build needs a
JVM and several minutes of its own.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

from expectations.runner import GateReport, run_gates
from tpsp.anonymize import anonymize_firm
from tpsp.anonymize.parquet import PARQUET_LAYOUTS
from tpsp.dbt_runner import dbt_vars
from tpsp.demo import demo_secret
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


def landing_listing(landing: Path) -> frozenset[str]:
    return frozenset(path.relative_to(landing).as_posix() for path in landing.rglob("*"))


def firm_dirs(raw: Path) -> list[Path]:
    return sorted(path for path in raw.iterdir() if (path / "firm.json").is_file())


def firm_id(firm_dir: Path) -> str:
    return json.loads((firm_dir / "firm.json").read_text())["firm_id"]


def parquet_kinds(firm_dir: Path) -> frozenset[str]:
    """The kinds with a Parquet layout that the raw firm folder sends."""
    return frozenset(path.name for path in firm_dir.iterdir() if path.name in PARQUET_LAYOUTS)


def parquet_firms(raw: Path) -> list[Path]:
    """Raw firm folders that land in Parquet: of the sets of firms that send every Parquet
    kind, the one that leaves the most of those kinds also sent by a firm outside it, as
    JSON or CSV, so that Spark reads them in both formats (the fewest firms among equals)."""
    sent = {firm_dir: parquet_kinds(firm_dir) for firm_dir in firm_dirs(raw)}
    every_kind = frozenset().union(*sent.values())

    def kinds_of(firms: Iterable[Path]) -> frozenset[str]:
        return frozenset().union(*(sent[firm_dir] for firm_dir in firms))

    covering = (
        chosen
        for size in range(1, len(sent) + 1)
        for chosen in combinations(sent, size)
        if kinds_of(chosen) == every_kind
    )
    return list(max(covering, key=lambda chosen: len(kinds_of(set(sent) - set(chosen)))))


@dataclass(frozen=True)
class SparkLanding:
    """The demo's landing with the firms of parquet_firms() anonymized again in Parquet."""

    path: Path
    parquet_firm_ids: list[str]
    gate: GateReport
    # every file and folder under path, relative to it, once gated
    listing: frozenset[str]


@pytest.fixture(scope="session")
def spark_landing(demo_run, tmp_path_factory: pytest.TempPathFactory) -> SparkLanding:
    """The demo's gated landing, but for the Parquet firms: anonymized again from their raw
    exports with the demo's secrets and --format parquet, and gated, as `tpsp demo` does."""
    root = tmp_path_factory.mktemp("spark_landing")
    landing = root / "landing"
    shutil.copytree(demo_run.layout.landing, landing)
    started = time.monotonic()
    firms = parquet_firms(demo_run.layout.raw)
    for firm_dir in firms:
        shutil.rmtree(landing / firm_id(firm_dir))
        anonymize_firm(
            firm_dir,
            demo_secret(SPARK_SEED, firm_dir.name),
            landing,
            quarantine=root / "firm_quarantine",
            landing_format="parquet",
        )
    ids = [firm_id(firm_dir) for firm_dir in firms]
    gate = run_gates(landing, root / "quarantine", firm_ids=ids)
    print(f"\nParquet firms' landing (anonymize, gates): {time.monotonic() - started:.0f}s")
    return SparkLanding(landing, ids, gate, landing_listing(landing))


@pytest.fixture(scope="session")
def spark_build(spark_landing, tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    """`dbt build --target spark` of the Spark landing, in its own process (and JVM)."""
    root = tmp_path_factory.mktemp("spark")
    warehouse_dir = root / "warehouse"
    exports = root / "exports"
    for schema in ("benchmark", "focus"):
        (exports / schema).mkdir(parents=True)
    dbt_vars_ = dbt_vars(spark_landing.path) | {"exports_path": str(exports)}
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
