"""Shared fixtures: one small seeded demo warehouse per test session."""

import os
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

# Small enough to build quickly, long enough for a 28-day trailing median before the spike.
E2E_FIRMS = 6
E2E_DAYS = 75
E2E_SEED = 7


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    from tpsp.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, firms=E2E_FIRMS, days=E2E_DAYS, seed=E2E_SEED)


@pytest.fixture(scope="session")
def warehouse(demo_run) -> duckdb.DuckDBPyConnection:
    # same configuration as dbt's own connection in this process
    return duckdb.connect(str(demo_run.layout.warehouse))


def query(connection: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple]:
    return connection.execute(sql, list(params)).fetchall()


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]
