"""Shared fixtures: one small seeded demo warehouse per test session.

`make test` runs the suite on two pytest-xdist workers (``-n 2 --dist loadgroup``): every
module's tests run on one worker, so that a module's fixtures are built once, and the modules
that read the session's demo warehouse all run on the same worker, which builds it once.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

if TYPE_CHECKING:
    from tpsp.demo import DemoResult

# An xdist worker runs as `python -c`: pyspark's connect module, which Great Expectations
# imports, takes a process whose __main__ has neither a spec nor a file for a doctest run and
# exits it when its optional dependencies are missing. With a spec, as under `pytest`, it
# raises ImportError instead, which Great Expectations expects.
_main = sys.modules["__main__"]
if os.environ.get("PYTEST_XDIST_WORKER") and _main.__spec__ is None:
    _main.__spec__ = ModuleSpec("__main__", None)

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

# The xdist group of every module whose tests read the session's demo warehouse.
DEMO_GROUP = "demo"
# Groups that build warehouses, handed out to the workers first, longest first; the other
# modules, each a group of its own, follow in collection order and fill in the gaps.
BUILDING_GROUPS = (
    DEMO_GROUP,
    "test_orchestration",
    "test_planted_truths",
    "test_bad_inputs",
    "test_orchestration_ui",
    "test_vendor_fixtures",
)


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


def copy_warehouse(
    connection: duckdb.DuckDBPyConnection, copy: Path, alias: str, changes: str = ""
) -> None:
    """Copy the connection's database to the file `copy`, then run `changes` (SQL naming the
    copy `alias`) on it: a warehouse a test may break without touching the session's."""
    (source,) = connection.execute("select current_database()").fetchone()
    connection.execute(f"attach '{copy}' as {alias}")
    try:
        connection.execute(f"copy from database {source} to {alias}")
        if changes:
            connection.execute(changes)
    finally:
        connection.execute(f"detach {alias}")


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """xdist workers import the orchestration package at once when they collect, and each
    parses the dbt project for Dagster when its manifest is stale: one parses, the other
    waits and finds it current."""
    if not hasattr(config, "workerinput"):
        return
    lock_file = project_root() / "target" / "dagster.lock"
    lock_file.parent.mkdir(exist_ok=True)
    with lock_file.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        from orchestration.defs.warehouse.project import tpsp_dbt_project

        tpsp_dbt_project()


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put each test in its xdist group, unless it names one, and the building groups
    first."""
    demo_modules = {item.module.__name__ for item in items if "demo_run" in item.fixturenames}
    groups = {}
    for item in items:
        marker = item.get_closest_marker("xdist_group")
        if marker is None:
            name = item.module.__name__
            marker = pytest.mark.xdist_group(DEMO_GROUP if name in demo_modules else name)
            item.add_marker(marker)
            marker = marker.mark
        groups[item] = marker.args[0]

    def rank(item: pytest.Item) -> int:
        group = groups[item]
        for position, building in enumerate(BUILDING_GROUPS):
            if group == building or group.startswith(f"{building}["):
                return position
        return len(BUILDING_GROUPS)

    items.sort(key=rank)
