"""Hand-written vendor exports, one folder per source kind under ``fixtures/vendor/``, in the
exact shapes the vendors document, awkward parts included: pagination cursors and empty
pages, OTLP ``intValue``/``asInt`` as strings and nanosecond timestamps, delta and cumulative
temporality, Jira's ``+0100`` offsets, nullable nested objects, unknown extra fields, gzip,
CSV with a BOM, quoted commas and short rows, records repeated within and across files.

Each kind's fixture goes through anonymize → gate → dbt staging, and the staged rows and
token sums are exactly what the exports hold (worked out by hand in the comments).
"""

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from expectations.runner import run_gates
from tpsp.anonymize import anonymize_firm
from tpsp.dbt_runner import run_dbt
from tpsp.source_kinds import SOURCE_KINDS

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
SECRET = b"vendor-fixture-secret"

# Staged rows and sums per kind: (model, {column or SQL expression: expected value}).
EXPECTED: dict[str, tuple[str, dict[str, object]]] = {
    # 6 spans: an HTTP span without gen_ai.operation.name is left out, a retried span counted
    # once. Input counts include the cache: (12000-9000-1000) + (5000-3000) + (30000-20000-4000)
    # + 1000 = 11000.
    "otel_genai_spans": (
        "stg_otel_genai_spans__spans",
        {
            "count(*)": 4,
            "sum(input_tokens)": 11000,
            "sum(output_tokens)": 2800,
            "sum(cache_read_tokens)": 32000,
            "sum(cache_write_tokens)": 5000,
            "count(artifact_key)": 1,
        },
    ),
    # 5 results over two pages (a third page is empty; so is the 2026-03-03 bucket); alice and
    # bob share a team, model and project and become one row. OpenAI's input includes cached:
    # (10000-4000) + (6000-1000) + 3000 + 1000 + (2000-500) = 16500.
    "openai_usage": (
        "stg_openai_usage__completions",
        {
            "count(*)": 4,
            "sum(input_tokens)": 16500,
            "sum(output_tokens)": 2100,
            "sum(cache_read_tokens)": 5500,
            "sum(requests)": 12,
        },
    ),
    # alice and bob share a model but not a context window: 4 rows. Uncached input already.
    "anthropic_usage": (
        "stg_anthropic_usage__messages",
        {
            "count(*)": 4,
            "sum(input_tokens)": 7700,
            "sum(output_tokens)": 2020,
            "sum(cache_read_tokens)": 16300,
            "sum(cache_write_tokens)": 1650,
        },
    ),
    # 5 rows, one repeated: 120000 + 45000 + 5000 ("Payments, EU", quoted, unmapped) + 80000.
    "daily_totals": (
        "stg_daily_totals__team_days",
        {"count(*)": 4, "sum(total_tokens)": 250000, "sum(shipped_artifacts)": 4},
    ),
    # alice's sonnet session (two delta exports, one point re-sent), dave's opus session, and
    # bob's haiku session in cumulative points (900 and 80 at the last point) in a gzipped,
    # rotated file. input 1200+800+300+900, cacheRead 45000+47000.
    "claude_code_otel": (
        "stg_claude_code_otel__data_points",
        {
            "count(*)": 17,
            "sum(case when usage_type = 'input' then metric_value end)": 3200,
            "sum(case when usage_type = 'output' then metric_value end)": 730,
            "sum(case when usage_type = 'cacheRead' then metric_value end)": 92000,
            "sum(case when usage_type = 'cacheCreation' then metric_value end)": 7200,
            "sum(case when metric_name = 'claude_code.cost.usage' then metric_value end)": (
                Decimal("0.11215")
            ),
            "count(distinct session_id)": 3,
        },
    ),
    # 6 requests in two overlapping exports, one of them in both: 5 team-hours. prompt_tokens
    # include cache reads: (3000-1000) + (12000-8000) + 3000 + 0 + 2000 = 11000.
    "litellm_spend": (
        "stg_litellm_spend__team_hours",
        {
            "count(*)": 5,
            "sum(requests)": 5,
            "sum(input_tokens)": 11000,
            "sum(output_tokens)": 1700,
            "sum(cache_read_tokens)": 9000,
            "sum(cache_write_tokens)": 1500,
            "sum(reported_cost_usd)": Decimal("0.040025"),
            "sum(case when is_proxy_cache_hit then input_tokens end)": 3000,
        },
    ),
    # #103 is on both pages (the list shifted while it was fetched); #104's fork is gone.
    "github_pulls": (
        "stg_github_pulls__pull_requests",
        {"count(*)": 4, "sum(case when is_merged then 1 end)": 2, "sum(lines_changed)": 546},
    ),
    "gitlab_merge_requests": (
        "stg_gitlab_merge_requests__merge_requests",
        {
            "count(*)": 4,
            "sum(case when is_merged then 1 end)": 2,
            "sum(case when is_draft then 1 end)": 1,
            "sum(case when is_feature then 1 end)": 2,
        },
    ),
    # PAY-2 changed between the two pages: the later one (Done) is kept.
    "jira_issues": (
        "stg_jira_issues__issues",
        {
            "count(*)": 4,
            "sum(case when is_completed then 1 end)": 3,
            "sum(case when is_cancelled then 1 end)": 1,
            "sum(story_points)": 11.0,
        },
    ),
    # #203 is a pull request listed among the issues.
    "github_issues": (
        "stg_github_issues__issues",
        {
            "count(*)": 4,
            "sum(case when is_completed then 1 end)": 1,
            "sum(case when is_cancelled then 1 end)": 1,
            "sum(case when is_reopened then 1 end)": 1,
            "sum(case when is_bug then 1 end)": 2,
        },
    ),
    "linear_issues": (
        "stg_linear_issues__issues",
        {
            "count(*)": 4,
            "sum(case when is_completed then 1 end)": 2,
            "sum(case when is_cancelled then 1 end)": 1,
            "sum(story_points)": 6.0,
            "sum(case when is_feature then 1 end)": 2,
        },
    ),
    "github_releases": (
        "stg_github_releases__releases",
        {
            "count(*)": 3,
            "sum(case when is_published then 1 end)": 2,
            "sum(case when is_prerelease then 1 end)": 1,
        },
    ),
    # statuses come in their own file; 503's later `inactive` does not undo its success
    "deployments": (
        "stg_deployments__deployments",
        {
            "count(*)": 4,
            "sum(case when is_production then 1 end)": 2,
            "sum(case when is_success then 1 end)": 2,
            "sum(case when is_failure then 1 end)": 1,
        },
    ),
    # 03-02: the two uncached-input results differ only by workspace and become one line,
    # 1234.5678 + 250.00 = 1484.5678 cents; the output line is re-sent on page 2 and counted
    # once; 03-03 is an empty bucket; page 3 is empty. Cents: 1484.5678 + 300.123456 + 45.5
    # (1-hour cache write, long context) + 12.25 (web search, no token type) + 99.999999
    # (03-04, batch) = 1942.441255, i.e. 19.42441255 USD.
    "anthropic_cost_report": (
        "stg_anthropic_cost_report__costs",
        {
            "count(*)": 5,
            "count(token_type)": 4,
            "sum(amount_usd)": Decimal("19.42441255"),
            "sum(case when token_type = 'cache_write_1h' then amount_usd end)": Decimal("0.455"),
            "count(distinct context_window_class)": 2,
            "sum(case when service_tier = 'batch' then amount_usd end)": Decimal("0.99999999"),
        },
    ),
    # 03-02: the two "input" results differ only by project and become one, 1.25 + 0.75;
    # 03-03 is an empty bucket; page 3 is empty. USD: 2.00 + 0.50 (cached input) + 3.20
    # (output) + 0.40 (03-04, batch input) + 0.05 (web search, no model) = 6.15.
    "openai_costs": (
        "stg_openai_costs__line_items",
        {
            "count(*)": 5,
            "count(model)": 4,
            "count(token_type)": 4,
            "sum(amount_usd)": Decimal("6.15"),
            "sum(case when token_type = 'cache_read' then amount_usd end)": Decimal("0.5"),
            "sum(case when service_tier = 'batch' then amount_usd end)": Decimal("0.4"),
        },
    ),
    # 03-02 spans two pages and bob's record is on both (the pages shifted): alice and bob
    # become one payments row, dave's API key one platform row, mallory (not in the org map,
    # a subscription) an unassigned row; alice's 03-03 has no model breakdown. Input is
    # uncached already: 1000 + 200 + 500 + 300 + 100 = 2100; cache reads 20000 + 3000 + 8000 +
    # 5000 + 1000 = 37000; cache writes 1500 + 300 + 700 + 400 + 100 = 3000. Cents 1234 + 56
    # + 512 + 2150 + 87 = 4039. Models per row: sonnet and haiku for payments, one for
    # platform, one for mallory, none on 03-03.
    "claude_code_analytics": (
        "stg_claude_code_analytics__actor_days",
        {
            "count(*)": 4,
            "sum(input_tokens)": 2100,
            "sum(output_tokens)": 900,
            "sum(cache_read_tokens)": 37000,
            "sum(cache_write_tokens)": 3000,
            "sum(estimated_cost_usd)": Decimal("40.39"),
            "sum(sessions)": 8,
            "sum(pull_requests)": 2,
            "sum(edit_tool_accepted + multi_edit_tool_accepted + write_tool_accepted)": 26,
            "sum(model_count)": 4,
            "sum(case when actor_type = 'api_actor' then lines_added end)": 60,
        },
    ),
    # Two overlapping 28-day reports; alice's 03-02 is in both and counts once. Six team-days:
    # payments 03-01, 03-02 (alice) and 03-03 (bob), platform 03-02 and 03-03 (dave), and
    # zed-contractor's 03-02 (unassigned). Interactions 2 + 0 + 3 + 1 + 4 + 0 = 10; lines
    # added 16 + 9 + 120 + 3 + 22 + 6 = 176; only dave's 03-02 and bob's 03-03 used the CLI:
    # prompt tokens 12000 + 20000, output 1500 + 3000.
    "copilot_usage_metrics": (
        "stg_copilot_usage_metrics__user_days",
        {
            "count(*)": 6,
            "sum(interactions)": 10,
            "sum(code_generations)": 40,
            "sum(code_acceptances)": 14,
            "sum(lines_added)": 176,
            "sum(lines_deleted)": 32,
            "sum(cli_prompt_tokens)": 32000,
            "sum(cli_output_tokens)": 4500,
            "count(cli_requests)": 2,
            "sum(case when used_agent then 1 end)": 1,
        },
    ),
}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("vendor")
    landing, quarantine = root / "landing", root / "quarantine"
    anonymized = anonymize_firm(VENDOR, SECRET, landing, quarantine=root / "firm_quarantine")
    gate = run_gates(landing, quarantine)
    build = run_dbt(
        ["build", "--select", "path:models/staging", "--indirect-selection", "cautious"],
        landing,
        root / "tpsp.duckdb",
    )
    return anonymized, gate, build, root / "tpsp.duckdb"


@pytest.fixture(scope="module")
def staged(pipeline) -> duckdb.DuckDBPyConnection:
    # same configuration as dbt's own connection in this process
    return duckdb.connect(str(pipeline[3]))


def test_every_source_kind_has_a_vendor_fixture():
    assert {p.name for p in VENDOR.iterdir() if p.is_dir()} == set(SOURCE_KINDS)
    assert set(EXPECTED) == set(SOURCE_KINDS)


def test_every_fixture_file_lands_and_passes_the_gates(pipeline):
    anonymized, gate, build, _ = pipeline
    assert anonymized.skipped_files == []
    assert gate.quarantined == []
    assert {path.parts[1] for path in gate.passed} == set(SOURCE_KINDS)
    assert build.succeeded, build.failures


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_fixture_stages_exact_rows_and_token_sums(staged, kind):
    model, expected = EXPECTED[kind]
    columns = list(expected)
    (row,) = staged.execute(f"select {', '.join(columns)} from staging.{model}").fetchall()
    assert dict(zip(columns, row, strict=True)) == expected


def test_repeated_records_are_dropped_at_the_edge_and_counted(pipeline):
    anonymized = pipeline[0]
    assert anonymized.duplicates == {
        "claude_code_analytics": 1,
        "claude_code_otel": 1,
        "copilot_usage_metrics": 1,
        "daily_totals": 1,
        "litellm_spend": 1,
        "otel_genai_spans": 1,
    }


def test_unknown_vendor_fields_are_left_behind_and_reported(pipeline):
    warnings = {(w.path.as_posix(), w.code): w.message for w in pipeline[0].warnings}
    assert set(warnings) == {
        ("openai_usage/usage_completions_p2.json", "unknown_fields"),
        ("claude_code_otel/claude_code_metrics.jsonl", "unknown_fields"),
        ("anthropic_cost_report/cost_report_p1.json", "unknown_fields"),
        ("openai_costs/costs_p1.json", "unknown_fields"),
        ("claude_code_analytics/claude_code_2026-03-02_p2.json", "unknown_fields"),
        ("copilot_usage_metrics/copilot_users_28_day_2026-03-02.jsonl", "unknown_fields"),
    }
    assert (
        "input_image_tokens"
        in warnings[("openai_usage/usage_completions_p2.json", "unknown_fields")]
    )
    assert "claude_code.prompt_cache.hit_ratio" in " ".join(warnings.values())
    assert "agent_metrics" in " ".join(warnings.values())
    assert "totals_by_repository" in " ".join(warnings.values())


def test_otel_span_and_github_pull_of_the_same_change_share_the_artifact_key(staged):
    keys = staged.execute(
        """
        select count(*) from staging.stg_otel_genai_spans__spans as spans
        inner join staging.stg_github_pulls__pull_requests as pulls
            on spans.artifact_key = pulls.artifact_key
        """
    ).fetchone()
    assert keys == (1,)


def test_timestamps_are_utc_hours_whatever_the_vendor_wrote(staged):
    # Jira's 2026-03-02T10:15:00.000+0100 is 09:00 UTC; PLAT-7's -0500 is the next hour band
    created = staged.execute(
        "select min(created_at), max(created_at) from staging.stg_jira_issues__issues"
    ).fetchone()
    assert [str(moment) for moment in created] == ["2026-03-02 09:00:00", "2026-03-04 09:00:00"]
    minutes = staged.execute(
        """
        select count(*) from (
            select usage_hour as moment from staging.stg_claude_code_otel__data_points
            union all select created_at from staging.stg_gitlab_merge_requests__merge_requests
            union all select usage_hour from staging.stg_litellm_spend__team_hours
            union all select created_at from staging.stg_linear_issues__issues
        ) where minute(moment) != 0 or second(moment) != 0
        """
    ).fetchone()
    assert minutes == (0,)


def test_a_late_day_and_a_re_sent_day_reach_the_next_build(pipeline, tmp_path):
    """The firm re-sends 2026-03-02 with corrected totals and sends 2026-03-09 late: the next
    build holds exactly the corrected day, the late day, and an audit row of the replacement."""
    import shutil

    landing = tmp_path / "landing"
    shutil.copytree(pipeline[3].parent / "landing", landing)
    firm = tmp_path / "raw"
    firm.mkdir()
    shutil.copy(VENDOR / "firm.json", firm / "firm.json")
    shutil.copy(VENDOR / "org_map.csv", firm / "org_map.csv")
    (firm / "daily_totals").mkdir()
    (firm / "daily_totals" / "daily_totals_resent.csv").write_text(
        "date,team,model_class,tokens_consumed,completed_tasks,shipped_artifacts,"
        "cycle_time_hours,defect_count\n"
        "2026-03-02,payments,frontier,130000,2,1,18.5,0\n"
        "2026-03-02,platform,mid,45000,1,2,6.0,1\n"
        "2026-03-09,payments,mid,7000,1,0,,0\n"
    )

    report = anonymize_firm(firm, SECRET, landing)
    assert [p.name for p in report.replaced_day_folders] == ["2026-03-02"]
    assert run_gates(landing, tmp_path / "quarantine").quarantined == []
    build = run_dbt(
        ["build", "--select", "stg_daily_totals__team_days stg_landing_audit__day_replacements"],
        landing,
        tmp_path / "tpsp.duckdb",
    )
    assert build.succeeded, build.failures

    with duckdb.connect(str(tmp_path / "tpsp.duckdb")) as connection:
        days = connection.execute(
            """
            select usage_date::varchar, count(*), sum(total_tokens)
            from staging.stg_daily_totals__team_days group by all order by all
            """
        ).fetchall()
        audit = connection.execute(
            """
            select firm_id, source_kind, export_date::varchar, replaced_file_count,
                landed_file_count
            from staging.stg_landing_audit__day_replacements
            """
        ).fetchall()
    # 03-02 holds only the re-sent rows (the unmapped "Payments, EU" row is gone with the old
    # file); 03-03 is untouched; 03-09 arrived late
    assert days == [("2026-03-02", 2, 175000), ("2026-03-03", 1, 80000), ("2026-03-09", 1, 7000)]
    assert audit == [("f_vendorfix", "daily_totals", "2026-03-02", 1, 1)]
