"""Column rules are dbt constraints, checked by one `column_constraints` test per model
(tests/generic/column_constraints.sql): it finds every broken rule and names it."""

import json

import duckdb
from conftest import copy_warehouse

from tpsp.dbt_runner import run_dbt

SPANS = "stg_otel_genai_spans__spans"


def test_every_model_with_a_column_rule_has_the_test_that_checks_it(demo_run):
    manifest = json.loads((demo_run.layout.out / "dbt_target" / "manifest.json").read_text())
    tested = {
        node["attached_node"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "column_constraints"
    }
    constrained = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and any(column["constraints"] for column in node["columns"].values())
    }
    assert len(constrained) > 40
    assert constrained == tested


def test_the_test_names_each_broken_rule_and_counts_its_rows(demo_run, warehouse, tmp_path):
    copy = tmp_path / demo_run.layout.warehouse.name
    # one span without a team, two with negative output tokens
    copy_warehouse(
        warehouse,
        copy,
        "broken_copy",
        f"""
        update broken_copy.staging.{SPANS} set team_id = null
        where span_usage_id = (select min(span_usage_id) from broken_copy.staging.{SPANS});
        update broken_copy.staging.{SPANS} set output_tokens = -1
        where span_usage_id in (
            select span_usage_id from broken_copy.staging.{SPANS}
            order by span_usage_id desc limit 2
        );
        """,
    )

    tested = run_dbt(
        ["test", "--store-failures", "--select", f"test_name:column_constraints,{SPANS}"],
        demo_run.layout.landing,
        copy,
    )

    assert not tested.succeeded
    assert tested.failures == [f"column_constraints_{SPANS}_: fail"]
    with duckdb.connect(str(copy)) as connection:  # as dbt, in this process, opened it
        (table,) = connection.execute(
            "select schema_name || '.' || table_name from duckdb_tables()"
            " where table_name like 'column_constraints_%'"
        ).fetchone()
        broken = connection.execute(
            f"select column_name, broken_rule, failing_rows from {table} order by 1"
        ).fetchall()
    assert broken == [("output_tokens", "output_tokens >= 0", 2), ("team_id", "not_null", 1)]
