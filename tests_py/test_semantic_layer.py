"""The semantic layer says what the marts say: every glossary metric, queried through
MetricFlow's ``mf query`` for one month, equals the value computed from the firm-level marts
for that month, for the whole consortium and for each firm."""

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import project_root, query

GLOSSARY = project_root() / "seeds" / "metric_glossary.csv"

# Each glossary metric over a set of fct_firm_efficiency rows: ratios of sums, medians of the
# team-month cycle times, and costs NULL as soon as one team-month has none.
MART_AGGREGATES = {
    "total_tokens": "sum(total_tokens)",
    "tokens_per_merged_pr": "sum(attributed_tokens) / nullif(sum(merged_prs), 0)",
    "tokens_per_completed_task": "sum(attributed_tokens) / nullif(sum(completed_tasks), 0)",
    "cost_per_successful_task": (
        "case when count(tco_cost_usd) = count(*)"
        " then sum(tco_cost_usd) / nullif(sum(successful_tasks), 0) end"
    ),
    "tokens_per_shipped_feature": "sum(feature_tokens) / nullif(sum(shipped_features), 0)",
    "cycle_time_hours": "quantile_cont(cycle_time_hours, 0.5)",
    "cycle_time_p90_hours": "quantile_cont(cycle_time_p90_hours, 0.5)",
    "defect_rate": "sum(bugs_opened) / nullif(sum(shipped_artifacts), 0)",
    "cache_hit_ratio": (
        "sum(cache_read_tokens) / nullif(sum(input_tokens) + sum(cache_read_tokens), 0)"
    ),
    "attribution_coverage": "sum(attributed_tokens) / nullif(sum(total_tokens), 0)",
    "shipped_per_million_tokens": "sum(shipped_artifacts) * 1e6 / nullif(sum(total_tokens), 0)",
    "list_cost_usd": "case when count(list_cost_usd) = count(*) then sum(list_cost_usd) end",
    "tco_cost_usd": "case when count(tco_cost_usd) = count(*) then sum(tco_cost_usd) end",
}


def glossary_metrics() -> list[str]:
    with GLOSSARY.open(newline="") as file:
        return [row["metric"] for row in csv.DictReader(file)]


@dataclass(frozen=True)
class MetricFlowProject:
    """A folder mf runs in: the build's semantic manifest and a copy of its warehouse."""

    root: Path
    warehouse: Path

    def query(self, metrics: list[str], group_by: list[str], month: str) -> list[dict]:
        out = self.root / f"{'_'.join(group_by)}.csv"
        environment = {
            **os.environ,
            "DBT_PROJECT_DIR": str(self.root),
            "DBT_PROFILES_DIR": str(project_root()),
            "DBT_LOG_PATH": str(self.root / "logs"),
            "TPSP_WAREHOUSE": str(self.warehouse),
        }
        command = [
            str(Path(sys.executable).with_name("mf")),
            "query",
            *("--metrics", ",".join(metrics)),
            *("--group-by", ",".join(group_by)),
            *("--start-time", month, "--end-time", month),
            *("--csv", str(out)),
            "--quiet",
        ]
        completed = subprocess.run(
            command, cwd=self.root, env=environment, capture_output=True, text=True, timeout=300
        )
        assert completed.returncode == 0 and out.is_file(), completed.stdout + completed.stderr
        with out.open(newline="") as file:
            return list(csv.DictReader(file))


def copy_database(connection: duckdb.DuckDBPyConnection, destination: Path) -> None:
    """DuckDB lets one process hold a database file, and this test session holds the
    warehouse: mf, in another process, reads a consistent copy."""
    (source,) = connection.execute("select current_database()").fetchone()
    connection.execute(f"attach '{destination}' as semantic_copy")
    try:
        connection.execute(f"copy from database {source} to semantic_copy")
    finally:
        connection.execute("detach semantic_copy")


@pytest.fixture(scope="module")
def metricflow(demo_run, warehouse, tmp_path_factory) -> MetricFlowProject:
    root = tmp_path_factory.mktemp("metricflow")
    # mf reads target/semantic_manifest.json under its project folder: the one this build wrote
    (root / "target").mkdir()
    build_target = demo_run.layout.warehouse.parent / "dbt_target"
    shutil.copy(build_target / "semantic_manifest.json", root / "target")
    (root / "dbt_project.yml").symlink_to(project_root() / "dbt_project.yml")
    # the copy keeps the file name: dbt-duckdb names the database after it
    copy = root / "warehouse" / demo_run.layout.warehouse.name
    copy.parent.mkdir()
    copy_database(warehouse, copy)
    return MetricFlowProject(root, copy)


@pytest.fixture(scope="module")
def month(warehouse) -> str:
    """The month with the most team-months."""
    [(found,)] = query(
        warehouse,
        "select month from firm_private.fct_firm_efficiency"
        " group by month order by count(*) desc, month desc limit 1",
    )
    return found.isoformat()


def mart_values(warehouse, month: str, by_firm: bool) -> dict[str | None, dict[str, object]]:
    firm = "firm_id" if by_firm else "cast(null as varchar)"
    metrics = glossary_metrics()
    columns = ", ".join(f"{MART_AGGREGATES[metric]} as {metric}" for metric in metrics)
    rows = query(
        warehouse,
        f"select {firm} as firm, {columns} from firm_private.fct_firm_efficiency"
        f" where month = cast(? as date) group by {firm}",
        month,
    )
    return {row[0]: dict(zip(metrics, row[1:], strict=True)) for row in rows}


def semantic_values(rows: list[dict], metrics: list[str]) -> dict[str | None, dict]:
    def number(text: str) -> float | None:
        return None if text == "" else float(text)

    return {row.get("firm"): {metric: number(row[metric]) for metric in metrics} for row in rows}


@pytest.fixture(scope="module")
def consortium_month(metricflow, month) -> dict:
    metrics = glossary_metrics()
    return semantic_values(metricflow.query(metrics, ["metric_time__month"], month), metrics)


@pytest.fixture(scope="module")
def firm_months(metricflow, month) -> dict:
    metrics = glossary_metrics()
    rows = metricflow.query(metrics, ["metric_time__month", "firm"], month)
    return semantic_values(rows, metrics)


def assert_same(semantic: object, mart: object, label: str) -> None:
    if mart is None:
        assert semantic is None, label
    else:
        assert semantic == pytest.approx(float(mart), rel=1e-9), label


def test_every_glossary_metric_is_a_documented_semantic_metric(demo_run):
    manifest_path = demo_run.layout.warehouse.parent / "dbt_target" / "semantic_manifest.json"
    manifest = json.loads(manifest_path.read_text())
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    for name in glossary_metrics():
        assert name in metrics, name
        assert metrics[name]["label"] and metrics[name]["description"], name
    assert set(MART_AGGREGATES) == set(glossary_metrics())


@pytest.mark.parametrize("metric", glossary_metrics())
def test_glossary_metric_of_a_month_equals_the_mart(metric, consortium_month, warehouse, month):
    [expected] = mart_values(warehouse, month, by_firm=False).values()
    [semantic] = consortium_month.values()
    assert_same(semantic[metric], expected[metric], metric)


@pytest.mark.parametrize("metric", glossary_metrics())
def test_glossary_metric_of_a_firm_month_equals_the_mart(metric, firm_months, warehouse, month):
    expected = mart_values(warehouse, month, by_firm=True)
    assert set(firm_months) == set(expected)
    for firm, values in expected.items():
        assert_same(firm_months[firm][metric], values[metric], f"{metric} of {firm}")


def test_firm_months_equal_the_published_firm_values(firm_months, warehouse, month):
    """fct_firm_benchmark_values (segment `all`) lists each firm's non-NULL values."""
    rows = query(
        warehouse,
        "select firm_id, metric, metric_value from firm_private.fct_firm_benchmark_values"
        " where period_type = 'month' and period_start = cast(? as date)"
        " and segment_type = 'all'",
        month,
    )
    assert rows
    published = {(firm, metric): value for firm, metric, value in rows}
    for firm, values in firm_months.items():
        for metric, value in values.items():
            if (firm, metric) in published:
                assert_same(value, published[firm, metric], f"{metric} of {firm}")
            elif metric not in ("list_cost_usd", "tco_cost_usd"):
                assert value is None, f"{metric} of {firm}: not published, yet {value}"
