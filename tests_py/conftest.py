"""Shared fixtures: one small seeded demo warehouse per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

if TYPE_CHECKING:
    from tpsp.demo import DemoResult

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# dbt's unit tests read no data: the session's demo build runs them (see `demo_build`), the
# other builds of the session, in this process or in dbt subprocesses, leave them out.
EXCLUDE_RESOURCE_TYPES = "DBT_EXCLUDE_RESOURCE_TYPES"
os.environ[EXCLUDE_RESOURCE_TYPES] = "unit_test"

# Small enough to build quickly, long enough for a 28-day trailing median before the spike.
E2E_FIRMS = 6
E2E_DAYS = 75
E2E_SEED = 7


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoResult, dict[str, str]]:
    """The demo, built with every dbt unit test of the project (the session's one build that
    runs them), and the status of each unit test by unique id."""
    from tpsp.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.delenv(EXCLUDE_RESOURCE_TYPES)
        run = run_demo(out, firms=E2E_FIRMS, days=E2E_DAYS, seed=E2E_SEED)
    results = json.loads((out / "dbt_target" / "run_results.json").read_text())["results"]
    unit_tests = {
        result["unique_id"]: result["status"]
        for result in results
        if result["unique_id"].startswith("unit_test.")
    }
    return run, unit_tests


@pytest.fixture(scope="session")
def demo_run(demo_build) -> DemoResult:
    return demo_build[0]


@pytest.fixture(scope="session")
def demo_unit_tests(demo_build) -> dict[str, str]:
    return demo_build[1]


@pytest.fixture(scope="session")
def warehouse(demo_run) -> duckdb.DuckDBPyConnection:
    # same configuration as dbt's own connection in this process
    return duckdb.connect(str(demo_run.layout.warehouse))


def query(connection: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple]:
    return connection.execute(sql, list(params)).fetchall()


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
