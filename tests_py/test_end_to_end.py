"""generate → anonymize → gate → dbt build on a small seeded consortium, checked against
the truths the generator planted."""

import csv
import json
import statistics
from datetime import date, timedelta
from pathlib import Path

import duckdb
from conftest import query

from tpsp.demo import run_demo

MART_TABLES = (
    "firm_private.fct_token_usage_daily",
    "firm_private.fct_shipped_artifacts",
    "firm_private.fct_firm_efficiency",
    "benchmark.fct_benchmarks",
)


def truth(demo_run) -> dict:
    return json.loads(demo_run.layout.truth.read_text())


def test_dbt_build_passes_every_model_and_test(demo_run):
    assert demo_run.build.succeeded, demo_run.build.failures


def test_the_demo_build_runs_and_passes_every_dbt_unit_test(demo_run, demo_unit_tests):
    """The other builds of the test session leave dbt's unit tests out: this one runs them."""
    manifest = json.loads(
        (demo_run.layout.warehouse.parent / "dbt_target" / "manifest.json").read_text()
    )
    assert manifest["unit_tests"]
    assert demo_unit_tests == {unique_id: "pass" for unique_id in manifest["unit_tests"]}


def test_outlier_team_ratio_is_near_the_planted_factor(demo_run, warehouse):
    outlier = truth(demo_run)["outlier_teams"][0]
    (team_tpmp,) = query(
        warehouse,
        """
        select sum(attributed_tokens) / sum(merged_prs)
        from firm_private.fct_firm_efficiency where firm_id = ? and team_id = ?
        """,
        outlier["firm_id"],
        outlier["team_id"],
    )[0]
    (others_tpmp,) = query(
        warehouse,
        """
        select sum(attributed_tokens) / sum(merged_prs)
        from firm_private.fct_firm_efficiency where firm_id = ? and team_id != ?
        """,
        outlier["firm_id"],
        outlier["team_id"],
    )[0]
    assert 4.0 < team_tpmp / others_tpmp < 9.0


def test_model_upgrade_spike_is_the_teams_spike_day(demo_run, warehouse):
    (spike,) = truth(demo_run)["spikes"]
    daily = dict(
        query(
            warehouse,
            """
            select usage_date, sum(total_tokens)
            from firm_private.fct_token_usage_daily where firm_id = ? and team_id = ?
            group by usage_date
            """,
            spike["firm_id"],
            spike["team_id"],
        )
    )
    ratios = {}
    for day, tokens in daily.items():
        trailing = [daily.get(day - timedelta(n), 0) for n in range(1, 29)]
        if sum(1 for n in range(1, 29) if day - timedelta(n) in daily) >= 21:
            ratios[day] = tokens / statistics.median(trailing)
    spike_day = date.fromisoformat(spike["date"])
    assert ratios[spike_day] > 2.0
    assert {day for day, ratio in ratios.items() if ratio > 2.0} <= {
        spike_day + timedelta(n) for n in range(4)
    }
    (first_seen,) = query(
        warehouse,
        """
        select min(usage_date) from firm_private.fct_token_usage_daily
        where firm_id = ? and team_id = ? and model = ?
        """,
        spike["firm_id"],
        spike["team_id"],
        spike["model"],
    )[0]
    assert first_seen == spike_day


def test_attribution_methods_add_back_to_total_tokens_per_firm_month(warehouse):
    mismatches = query(
        warehouse,
        """
        with usage as (
            select firm_id, date_trunc('month', usage_date) as month, sum(total_tokens) as tokens
            from intermediate.int_token_usage group by all
        ),
        attributed as (
            select firm_id, date_trunc('month', usage_date) as month,
                sum(attributed_tokens) as tokens
            from intermediate.int_token_attribution group by all
        )
        select *
        from usage full outer join attributed using (firm_id, month)
        where usage.tokens is distinct from attributed.tokens
        """,
    )
    assert mismatches == []
    methods = {
        row[0]
        for row in query(
            warehouse, "select distinct method from intermediate.int_token_attribution"
        )
    }
    assert methods == {"direct_key", "team_window", "unattributed"}


def test_malformed_raw_file_is_reported_by_name_and_skipped(demo_run):
    planted = [b for b in truth(demo_run)["bad_inputs"] if b["expected"] == "anonymize_skips"]
    assert planted
    skipped = {
        (
            report.firm_id,
            skipped.path.as_posix() if isinstance(skipped.path, Path) else str(skipped.path),
            skipped.code,
        )
        for report in demo_run.anonymized
        for skipped in report.skipped_files
    }
    for bad in planted:
        assert (bad["firm_id"], bad["file"], "malformed_json") in skipped


def test_gate_breaking_landed_file_is_quarantined_with_a_reason(demo_run):
    planted = [b for b in truth(demo_run)["bad_inputs"] if b["expected"] == "gate_quarantines"]
    assert planted
    quarantined = demo_run.gate.quarantined
    for bad in planted:
        prefix = f"{bad['firm_id']}/{bad['source_kind']}/{bad['date']}/"
        matches = [q for q in quarantined if Path(q.path).as_posix().startswith(prefix)]
        assert len(matches) == 1, [q.path for q in quarantined]
        reason_file = Path(f"{matches[0].quarantine_path}.reason.json")
        reason = json.loads(reason_file.read_text())
        assert reason["reason_code"] == "gate_failed"
        assert any("output_tokens" in str(f["column"]) for f in reason["failed_expectations"])
        assert not (demo_run.layout.landing / matches[0].path).exists()
    # nothing but the planted files is quarantined
    assert len(quarantined) == len(planted)


def test_no_org_map_identity_appears_anywhere_in_the_warehouse(demo_run, warehouse):
    identities: set[str] = set()
    team_names: set[str] = set()
    for org_map in sorted(demo_run.layout.raw.glob("*/org_map.csv")):
        with org_map.open() as handle:
            for row in csv.DictReader(handle):
                identities.add(row["identity"].strip().lower())
                team_names.add(row["team"].strip().lower())
    assert identities
    columns = query(
        warehouse,
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where data_type = 'VARCHAR' and table_schema not in ('reference')
        """,
    )
    assert len(columns) > 50
    leaks = []
    for schema, table, column in columns:
        values = {
            str(v).strip().lower()
            for (v,) in query(warehouse, f'select distinct "{column}" from {schema}.{table}')
            if v is not None
        }
        leaks.extend((schema, table, column, v) for v in values & (identities | team_names))
    assert leaks == []


def _mart_checksums(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Row count and MD5 of every row, in order, of every mart (firm_private and benchmark):
    equal checksums are byte-identical contents."""
    tables = connection.execute(
        """
        select table_schema || '.' || table_name from information_schema.tables
        where table_schema in ('firm_private', 'benchmark') order by 1
        """
    ).fetchall()
    assert {table for (table,) in tables} >= set(MART_TABLES)
    checksums = {}
    for (table,) in tables:
        checksums[table] = connection.execute(
            f"""
            select count(*), md5(coalesce(string_agg(row_text, chr(10) order by row_text), ''))
            from (select cast(mart as varchar) as row_text from {table} as mart)
            """
        ).fetchall()[0]
    return checksums


def test_running_the_demo_twice_gives_identical_marts(demo_run, warehouse):
    from conftest import E2E_DAYS, E2E_FIRMS, E2E_SEED

    first = _mart_checksums(warehouse)
    assert all(first[table][0] > 0 for table in MART_TABLES)
    landed_before = sorted(
        p.relative_to(demo_run.layout.landing)
        for p in demo_run.layout.landing.rglob("*")
        if p.is_file()
    )
    again = run_demo(demo_run.layout.out, firms=E2E_FIRMS, days=E2E_DAYS, seed=E2E_SEED)
    assert again.build.succeeded
    landed_after = sorted(
        p.relative_to(again.layout.landing) for p in again.layout.landing.rglob("*") if p.is_file()
    )
    assert landed_after == landed_before
    assert _mart_checksums(warehouse) == first


def test_every_benchmark_metric_is_in_the_glossary_and_published_for_the_demo(warehouse):
    published = {
        metric
        for (metric,) in query(
            warehouse,
            """
            select distinct metric from benchmark.fct_benchmarks
            where segment_type = 'all' and period_type = 'quarter' and not suppressed
            """,
        )
    }
    glossary = {m for (m,) in query(warehouse, "select metric from reference.metric_glossary")}
    assert published <= glossary
    assert {"tokens_per_merged_pr", "cost_per_successful_task", "cycle_time_hours"} <= published


def test_planted_schema_drift_is_left_behind_and_reported(demo_run):
    drifts = truth(demo_run)["schema_drift"]
    assert drifts
    warned = {
        (report.firm_id, warning.path.as_posix(), warning.code): warning.message
        for report in demo_run.anonymized
        for warning in report.warnings
    }
    for drift in drifts:
        message = warned[(drift["firm_id"], drift["file"], "unknown_fields")]
        assert drift["field"] in message
        landed = demo_run.layout.landing / drift["firm_id"] / drift["source_kind"]
        assert not any(drift["field"] in p.read_text() for p in landed.rglob("*.json"))
