"""The assistant activity mart on the seeded demo warehouse: Claude Code's tokens arrive as
staged, Copilot leaves the measures it does not report empty, and no person reaches it."""

import csv
import json
import re

from conftest import query

MART = "firm_private.fct_assistant_activity_daily"
CLAUDE_CODE = "staging.stg_claude_code_analytics__actor_days"
TOKENS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")


def test_claude_code_tokens_per_firm_equal_the_staged_tokens(warehouse):
    sums = ", ".join(f"sum({column})" for column in TOKENS)
    mart = query(
        warehouse,
        f"select firm_id, {sums}, sum(estimated_cost_usd) from {MART} "
        "where tool = 'claude_code' group by firm_id order by firm_id",
    )
    staged = query(
        warehouse,
        f"select firm_id, {sums}, sum(estimated_cost_usd) from {CLAUDE_CODE} "
        "group by firm_id order by firm_id",
    )
    assert len(mart) >= 2
    assert all(row[1] > 0 and row[3] > 0 for row in mart)
    assert mart == staged


def test_copilot_rows_leave_what_copilot_does_not_report_empty(warehouse):
    (tools,) = query(warehouse, f"select count(distinct tool) from {MART}")
    assert tools == (2,)
    counts = query(
        warehouse,
        f"""
        select
            count(*), count(suggestions_rejected), count(commits), count(pull_requests),
            count(cache_read_tokens), count(estimated_cost_usd), count(input_tokens),
            sum(sessions_or_interactions)
        from {MART} where tool = 'github_copilot'
        """,
    )
    rows, rejected, commits, prs, cache_reads, cost, cli_tokens, interactions = counts[0]
    assert rows > 0 and interactions > 0
    assert (rejected, commits, prs, cache_reads, cost) == (0, 0, 0, 0, 0)
    assert 0 < cli_tokens < rows  # only team-days with Copilot CLI use report tokens


def test_no_person_identity_reaches_the_assistant_activity_mart(demo_run, warehouse):
    identities: set[str] = set()
    for org_map in sorted(demo_run.layout.raw.glob("*/org_map.csv")):
        with org_map.open() as handle:
            identities |= {row["identity"].strip().lower() for row in csv.DictReader(handle)}
    truth = json.loads((demo_run.layout.out / "truth.json").read_text())
    identities |= {entry["identity"].lower() for entry in truth["unmapped_identities"]}
    assert any("@" in identity for identity in identities)
    text_columns = [
        name
        for (name,) in query(
            warehouse,
            "select column_name from information_schema.columns where table_schema = "
            "'firm_private' and table_name = 'fct_assistant_activity_daily' "
            "and data_type = 'VARCHAR'",
        )
    ]
    assert {"firm_id", "team_id", "tool"} <= set(text_columns)
    values = {
        value.lower()
        for column in text_columns
        for (value,) in query(warehouse, f"select distinct {column} from {MART}")
        if value is not None
    }
    assert values & identities == set()
    assert [value for value in values if "@" in value] == []
    teams = {value for value in values if value.startswith("t_")}
    assert teams and all(re.fullmatch(r"t_[0-9a-f]{16}", team) for team in teams)
