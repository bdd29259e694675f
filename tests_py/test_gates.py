"""Landing-zone gates: good landed files pass, bad ones are quarantined with a reason."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from landing_manifest import record_in_manifest

from expectations.runner import Gate, GateReport, gate_frame, run_gates
from expectations.suites import SUITES
from tpsp.errors import InputError
from tpsp.source_kinds import SOURCE_KINDS

FIRM = "f_00000000000000a1"
OTHER_FIRM = "f_00000000000000b2"
DAY = "2026-01-05"
TEAM = "t_0123456789abcdef"
OTHER_TEAM = "t_fedcba9876543210"
HOUR = datetime(2026, 1, 5, 10, tzinfo=UTC)


def h(n: int) -> str:
    return f"h_{n:016x}"


def a(n: int) -> str:
    return f"a_{n:016x}"


# -- good landed files, one builder per source kind -------------------------------------------


def otel_span(n: int) -> dict[str, Any]:
    def string(key: str, value: str) -> dict[str, Any]:
        return {"key": key, "value": {"stringValue": value}}

    def integer(key: str, value: int) -> dict[str, Any]:
        return {"key": key, "value": {"intValue": str(value)}}

    return {
        "traceId": h(100 + n),
        "spanId": h(200 + n),
        "name": "chat",
        "kind": 3,
        "startTimeUnixNano": str(int(HOUR.timestamp()) * 1_000_000_000),
        "status": {"code": 1},
        "attributes": [
            string("gen_ai.operation.name", "chat"),
            string("gen_ai.provider.name", "anthropic"),
            string("gen_ai.request.model", "claude-sonnet-4-5"),
            string("gen_ai.response.model", "claude-sonnet-4-5-20250929"),
            integer("gen_ai.usage.input_tokens", 1200),
            integer("gen_ai.usage.output_tokens", 300),
            integer("gen_ai.usage.cache_read.input_tokens", 800),
            integer("gen_ai.usage.cache_creation.input_tokens", 100),
            integer("tpsp.duration_ms", 5400),
            string("tpsp.artifact_key", a(n)),
            string("tpsp.team_id", TEAM),
            string("vcs.ref.head.name", h(300 + n)),
            string("vcs.repository.url.full", h(400)),
        ],
    }


def otel_export(spans: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "review"}}]
                },
                "scopeSpans": [{"scope": {"name": "tpsp.anonymize"}, "spans": spans}],
            }
        ]
    }


def good_otel() -> list[dict[str, Any]]:
    return [otel_export([otel_span(1), otel_span(2)]), otel_export([otel_span(3)])]


def good_openai() -> dict[str, Any]:
    start = int(datetime(2026, 1, 5, tzinfo=UTC).timestamp())

    def result(model: str, team: str) -> dict[str, Any]:
        return {
            "object": "organization.usage.completions.result",
            "input_tokens": 1200,
            "output_tokens": 300,
            "input_cached_tokens": 800,
            "input_audio_tokens": 0,
            "output_audio_tokens": 0,
            "num_model_requests": 4,
            "project_id": h(7),
            "model": model,
            "batch": None,
            "team_id": team,
        }

    return {
        "object": "page",
        "has_more": False,
        "next_page": None,
        "data": [
            {
                "object": "bucket",
                "start_time": start,
                "end_time": start + 86_400,
                "results": [
                    result("gpt-4.1-2025-04-14", TEAM),
                    result("gpt-4.1-2025-04-14", OTHER_TEAM),
                    result("gpt-4.1-mini-2025-04-14", TEAM),
                ],
            }
        ],
    }


def good_anthropic() -> dict[str, Any]:
    def result(model: str, team: str) -> dict[str, Any]:
        return {
            "uncached_input_tokens": 1500,
            "cache_creation": {"ephemeral_5m_input_tokens": 500, "ephemeral_1h_input_tokens": 0},
            "cache_read_input_tokens": 2000,
            "output_tokens": 400,
            "server_tool_use": {"web_search_requests": 0},
            "workspace_id": h(9),
            "model": model,
            "service_tier": "standard",
            "context_window": "0-200k",
            "team_id": team,
        }

    return {
        "has_more": False,
        "next_page": None,
        "data": [
            {
                "starting_at": "2026-01-05T00:00:00Z",
                "ending_at": "2026-01-06T00:00:00Z",
                "results": [
                    result("claude-sonnet-4-5-20250929", TEAM),
                    result("claude-sonnet-4-5-20250929", OTHER_TEAM),
                ],
            }
        ],
    }


DAILY_COLUMNS = [
    "date",
    "team",
    "model_class",
    "tokens_consumed",
    "completed_tasks",
    "shipped_artifacts",
    "cycle_time_hours",
    "defect_count",
]


def good_daily() -> list[dict[str, Any]]:
    return [
        {
            "date": DAY,
            "team": TEAM,
            "model_class": "frontier",
            "tokens_consumed": 120000,
            "completed_tasks": 4,
            "shipped_artifacts": 3,
            "cycle_time_hours": 18.5,
            "defect_count": 0,
        },
        {
            "date": DAY,
            "team": OTHER_TEAM,
            "model_class": "small",
            "tokens_consumed": 9000,
            "completed_tasks": 0,
            "shipped_artifacts": 0,
            "cycle_time_hours": "",
            "defect_count": "",
        },
    ]


def good_github() -> list[dict[str, Any]]:
    def pull(n: int, merged: bool) -> dict[str, Any]:
        return {
            "artifact_key": a(n),
            "state": "closed" if merged else "open",
            "created_at": "2026-01-05T09:00:00Z",
            "closed_at": "2026-01-07T15:00:00Z" if merged else None,
            "merged_at": "2026-01-07T15:00:00Z" if merged else None,
            "draft": False,
            "labels": [{"name": "feature"}, {"name": "bug"}] if merged else [],
            "head": {"ref": h(30 + n)},
            "base": {"ref": h(1), "repo": {"full_name": h(400)}},
            "additions": 120,
            "deletions": 14,
            "team_id": TEAM,
        }

    return [pull(1, merged=True), pull(2, merged=False)]


def good_jira() -> dict[str, Any]:
    def issue(n: int, done: bool) -> dict[str, Any]:
        return {
            "id": h(500 + n),
            "key": a(600 + n),
            "fields": {
                "issuetype": {"name": "Story"},
                "status": {
                    "name": "Done" if done else "In Progress",
                    "statusCategory": {"key": "done" if done else "indeterminate"},
                },
                "resolution": {"name": "Done"} if done else None,
                "created": "2026-01-05T09:00:00.000+0000",
                "resolutiondate": "2026-01-07T15:00:00.000+0000" if done else None,
                "customfield_10016": 3.0 if done else None,
                "team_id": TEAM,
            },
        }

    return {"issues": [issue(1, done=True), issue(2, done=False)], "isLast": True}


GOOD: dict[str, Callable[[], Any]] = {
    "otel_genai_spans": good_otel,
    "openai_usage": good_openai,
    "anthropic_usage": good_anthropic,
    "daily_totals": good_daily,
    "github_pulls": good_github,
    "jira_issues": good_jira,
}


def encode(kind: str, content: Any) -> str:
    if kind == "otel_genai_spans":
        return "".join(json.dumps(line) + "\n" for line in content)
    if kind == "daily_totals":
        out = io.StringIO()
        columns = list(content[0]) if content else DAILY_COLUMNS
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(content)
        return out.getvalue()
    return json.dumps(content, indent=1)


def firm_profile(firm: str) -> dict[str, Any]:
    return {
        "firm_id": firm,
        "size_band": "51-200",
        "industry": "saas",
        "timezone": "Europe/Berlin",
        "tco_overhead_multiplier": 1.3,
        "anonymizer_version": "0.1.0",
        "schema_version": 1,
    }


def land(
    landing: Path,
    kind: str,
    content: Any = None,
    *,
    firm: str = FIRM,
    day: str = DAY,
    stem: str = "export",
) -> Path:
    """Write a landed file (and the firm's ``firm.json`` when missing) and list it in the
    firm's manifest; ``content`` defaults to the kind's good file."""
    profile = landing / firm / "firm.json"
    if not profile.exists():
        profile.parent.mkdir(parents=True, exist_ok=True)
        profile.write_text(json.dumps(firm_profile(firm)), encoding="utf-8")
    content = GOOD[kind]() if content is None else content
    text = content if isinstance(content, str) else encode(kind, content)
    relative = Path(firm, kind, day, f"{stem}.{SOURCE_KINDS[kind].landed_ext}")
    (landing / relative).parent.mkdir(parents=True, exist_ok=True)
    (landing / relative).write_text(text, encoding="utf-8")
    record_in_manifest(landing, relative)
    return relative


@pytest.fixture(scope="session")
def gate() -> Gate:
    return Gate()


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "landing", tmp_path / "quarantine"


def reason_of(quarantine: Path, relative: Path) -> dict[str, Any]:
    reason = quarantine / relative.parent / (relative.name + ".reason.json")
    return json.loads(reason.read_text(encoding="utf-8"))


def failed(reason: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(f["expectation"], f["column"]) for f in reason["failed_expectations"]}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- every kind has a suite, and its good file passes ---------------------------------------


def test_every_source_kind_has_a_suite():
    assert set(SUITES) == set(SOURCE_KINDS)


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_good_file_passes(dirs, kind, gate):
    landing, quarantine = dirs
    relative = land(landing, kind)

    report = run_gates(landing, quarantine, gate=gate)

    assert report.passed == [relative]
    assert report.quarantined == []
    assert report.any_passed
    assert (landing / relative).is_file()
    assert not quarantine.exists() or not any(quarantine.rglob("*.json*"))


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_flatten_gives_one_row_per_record(dirs, kind):
    landing, _ = dirs
    relative = land(landing, kind)
    frame = SUITES[kind].flatten(landing / relative)
    expected_rows = {
        "otel_genai_spans": 3,
        "openai_usage": 3,
        "anthropic_usage": 2,
        "daily_totals": 2,
        "github_pulls": 2,
        "jira_issues": 2,
    }
    assert len(frame) == expected_rows[kind]
    assert set(frame["_date_folder"]) == {DAY}


# -- bad files: each is quarantined naming the failed expectation and column -----------------


def mutate(kind: str, change: Callable[[Any], None]) -> Any:
    content = copy.deepcopy(GOOD[kind]())
    change(content)
    return content


def otel_attribute(content: Any, key: str, value: dict[str, Any]) -> None:
    span = content[0]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    span["attributes"] = [item for item in span["attributes"] if item["key"] != key]
    span["attributes"].append({"key": key, "value": value})


def first_span(content: Any) -> dict[str, Any]:
    return content[0]["resourceSpans"][0]["scopeSpans"][0]["spans"][0]


def first_openai(content: Any) -> dict[str, Any]:
    return content["data"][0]["results"][0]


def first_anthropic(content: Any) -> dict[str, Any]:
    return content["data"][0]["results"][0]


def first_issue(content: Any) -> dict[str, Any]:
    return content["issues"][0]


BAD_CASES = {
    # negative token counts
    "otel_negative_tokens": (
        "otel_genai_spans",
        lambda c: otel_attribute(c, "gen_ai.usage.output_tokens", {"intValue": "-3"}),
        ("expect_column_values_to_be_between", "gen_ai.usage.output_tokens__as_int"),
    ),
    "openai_negative_tokens": (
        "openai_usage",
        lambda c: first_openai(c).update(output_tokens=-5),
        ("expect_column_values_to_be_between", "output_tokens__as_int"),
    ),
    "anthropic_negative_tokens": (
        "anthropic_usage",
        lambda c: first_anthropic(c)["cache_creation"].update(ephemeral_5m_input_tokens=-1),
        (
            "expect_column_values_to_be_between",
            "cache_creation.ephemeral_5m_input_tokens__as_int",
        ),
    ),
    "daily_negative_tokens": (
        "daily_totals",
        lambda c: c[0].update(tokens_consumed=-10),
        ("expect_column_values_to_be_between", "tokens_consumed__as_int"),
    ),
    "github_negative_additions": (
        "github_pulls",
        lambda c: c[0].update(additions=-1),
        ("expect_column_values_to_be_between", "additions__as_int"),
    ),
    "jira_negative_story_points": (
        "jira_issues",
        lambda c: first_issue(c)["fields"].update(customfield_10016=-2),
        ("expect_column_values_to_be_between", "fields.customfield_10016__as_number"),
    ),
    # cached tokens larger than the input that includes them
    "openai_cached_above_input": (
        "openai_usage",
        lambda c: first_openai(c).update(input_cached_tokens=5000),
        ("expect_column_values_to_be_between", "_uncached_input_tokens"),
    ),
    # token counts that are not integers
    "openai_fractional_tokens": (
        "openai_usage",
        lambda c: first_openai(c).update(input_tokens=12.5),
        ("expect_column_values_to_be_in_type_list", "input_tokens"),
    ),
    "otel_text_tokens": (
        "otel_genai_spans",
        lambda c: otel_attribute(c, "gen_ai.usage.input_tokens", {"stringValue": "many"}),
        ("expect_column_values_to_be_in_type_list", "gen_ai.usage.input_tokens"),
    ),
    # timestamps not on the hour
    "otel_not_on_the_hour": (
        "otel_genai_spans",
        lambda c: first_span(c).update(
            startTimeUnixNano=str(int(HOUR.timestamp() + 90) * 1_000_000_000)
        ),
        ("expect_column_values_to_be_in_set", "startTimeUnixNano__offset_in_hour"),
    ),
    "openai_not_on_the_hour": (
        "openai_usage",
        lambda c: c["data"][0].update(start_time=c["data"][0]["start_time"] + 60),
        ("expect_column_values_to_be_in_set", "start_time__offset_in_hour"),
    ),
    "anthropic_not_on_the_hour": (
        "anthropic_usage",
        lambda c: c["data"][0].update(starting_at="2026-01-05T00:30:00Z"),
        ("expect_column_values_to_match_regex", "starting_at"),
    ),
    "github_not_on_the_hour": (
        "github_pulls",
        lambda c: c[0].update(merged_at="2026-01-07T15:42:10Z"),
        ("expect_column_values_to_match_regex", "merged_at"),
    ),
    "jira_not_on_the_hour": (
        "jira_issues",
        lambda c: first_issue(c)["fields"].update(created="2026-01-05T09:15:00.000+0100"),
        ("expect_column_values_to_match_regex", "fields.created"),
    ),
    # emails anywhere
    "otel_email_left_in": (
        "otel_genai_spans",
        lambda c: otel_attribute(c, "user.email", {"stringValue": "ann@example.com"}),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    "openai_email_as_model": (
        "openai_usage",
        lambda c: first_openai(c).update(model="ann@example.com"),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    "anthropic_email_in_unknown_field": (
        "anthropic_usage",
        lambda c: first_anthropic(c).update(owner={"contact": "ops.lead@firm.example.org"}),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    "daily_email_as_team": (
        "daily_totals",
        lambda c: c[1].update(team="bob.smith@firm.io"),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    "github_email_as_branch": (
        "github_pulls",
        lambda c: c[1]["head"].update(ref="bob@firm.io/fix-login"),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    "jira_email_in_extra_field": (
        "jira_issues",
        lambda c: first_issue(c)["fields"].update(reporter={"emailAddress": "x.y@corp.com"}),
        ("expect_column_values_to_be_null", "_pii"),
    ),
    # duplicate natural keys within the file
    "otel_duplicate_span": (
        "otel_genai_spans",
        lambda c: c[1]["resourceSpans"][0]["scopeSpans"][0]["spans"].append(otel_span(1)),
        ("expect_compound_columns_to_be_unique", "spanId"),
    ),
    "openai_duplicate_result": (
        "openai_usage",
        lambda c: c["data"][0]["results"].append(copy.deepcopy(first_openai(c))),
        ("expect_compound_columns_to_be_unique", "start_time,model,project_id,team_id"),
    ),
    "anthropic_duplicate_result": (
        "anthropic_usage",
        lambda c: c["data"][0]["results"].append(copy.deepcopy(first_anthropic(c))),
        (
            "expect_compound_columns_to_be_unique",
            "starting_at,model,workspace_id,context_window,service_tier,team_id",
        ),
    ),
    "daily_duplicate_row": (
        "daily_totals",
        lambda c: c.append(dict(c[0])),
        ("expect_compound_columns_to_be_unique", "date,team,model_class"),
    ),
    "github_duplicate_pull": (
        "github_pulls",
        lambda c: c[1].update(artifact_key=c[0]["artifact_key"]),
        ("expect_compound_columns_to_be_unique", "artifact_key"),
    ),
    "jira_duplicate_issue": (
        "jira_issues",
        lambda c: c["issues"].append(copy.deepcopy(first_issue(c))),
        ("expect_compound_columns_to_be_unique", "key"),
    ),
    # required fields missing or null
    "otel_missing_team": (
        "otel_genai_spans",
        lambda c: [
            span.update(attributes=[x for x in span["attributes"] if x["key"] != "tpsp.team_id"])
            for line in c
            for span in line["resourceSpans"][0]["scopeSpans"][0]["spans"]
        ],
        ("expect_table_columns_to_match_set", "tpsp.team_id"),
    ),
    "openai_null_team": (
        "openai_usage",
        lambda c: first_openai(c).update(team_id=None),
        ("expect_column_values_to_not_be_null", "team_id"),
    ),
    "anthropic_missing_model": (
        "anthropic_usage",
        lambda c: [result.pop("model") for result in c["data"][0]["results"]],
        ("expect_table_columns_to_match_set", "model"),
    ),
    "daily_missing_column": (
        "daily_totals",
        lambda c: [row.pop("defect_count") for row in c],
        ("expect_table_columns_to_match_set", "defect_count"),
    ),
    "github_missing_team_in_one_pull": (
        "github_pulls",
        lambda c: c[1].pop("team_id"),
        ("expect_column_values_to_not_be_null", "team_id"),
    ),
    "jira_missing_created": (
        "jira_issues",
        lambda c: [issue["fields"].pop("created") for issue in c["issues"]],
        ("expect_table_columns_to_match_set", "fields.created"),
    ),
    # record dates outside the date folder
    "otel_record_of_another_day": (
        "otel_genai_spans",
        lambda c: first_span(c).update(
            startTimeUnixNano=str(int(HOUR.timestamp() + 86_400) * 1_000_000_000)
        ),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    "openai_bucket_of_another_day": (
        "openai_usage",
        lambda c: c["data"][0].update(start_time=c["data"][0]["start_time"] - 86_400),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    "anthropic_bucket_of_another_day": (
        "anthropic_usage",
        lambda c: c["data"][0].update(starting_at="2026-01-04T00:00:00Z"),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    "daily_row_of_another_day": (
        "daily_totals",
        lambda c: c[1].update(date="2026-01-06"),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    "github_pull_created_another_day": (
        "github_pulls",
        lambda c: c[1].update(created_at="2025-12-30T09:00:00Z"),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    "jira_issue_created_another_day": (
        "jira_issues",
        lambda c: first_issue(c)["fields"].update(created="2026-01-15T09:00:00.000+0000"),
        ("expect_column_pair_values_to_be_equal", "_record_date,_date_folder"),
    ),
    # pseudonyms and dropped fields
    "openai_raw_team_name": (
        "openai_usage",
        lambda c: first_openai(c).update(team_id="payments"),
        ("expect_column_values_to_match_regex", "team_id"),
    ),
    "github_raw_pull_number": (
        "github_pulls",
        lambda c: c[0].update(artifact_key="acme/api#42"),
        ("expect_column_values_to_match_regex", "artifact_key"),
    ),
    "github_user_left_in": (
        "github_pulls",
        lambda c: c[0].update(user={"login": "octocat"}, title="Fix login"),
        ("expect_column_values_to_be_null", "_dropped_fields"),
    ),
    "jira_unhashed_id": (
        "jira_issues",
        lambda c: first_issue(c).update(id="10001"),
        ("expect_column_values_to_match_regex", "id"),
    ),
    "daily_unknown_model_class": (
        "daily_totals",
        lambda c: c[0].update(model_class="huge"),
        ("expect_column_values_to_be_in_set", "model_class"),
    ),
    "github_label_outside_allow_list": (
        "github_pulls",
        lambda c: c[0]["labels"].append({"name": "customer: ACME"}),
        ("expect_column_values_to_match_regex", "labels"),
    ),
    "otel_span_name_not_the_operation": (
        "otel_genai_spans",
        lambda c: first_span(c).update(name="summarize contract for ACME"),
        ("expect_column_pair_values_to_be_equal", "name,gen_ai.operation.name"),
    ),
}


@pytest.fixture(scope="module")
def gated(tmp_path_factory, gate) -> tuple[Path, Path, GateReport]:
    """One landing holding every kind's good file and every bad case, gated once.

    The bad files of a kind share their batch with the good file (and repeat its natural
    keys), so each case also shows that failures stay with the file they come from.
    """
    root = tmp_path_factory.mktemp("gated")
    landing, quarantine = root / "landing", root / "quarantine"
    for kind in GOOD:
        land(landing, kind, stem="good")
    for case, (kind, change, _) in BAD_CASES.items():
        land(landing, kind, mutate(kind, change), stem=case)
    return landing, quarantine, run_gates(landing, quarantine, gate=gate)


def bad_path(case: str) -> Path:
    kind = BAD_CASES[case][0]
    return Path(FIRM, kind, DAY, f"{case}.{SOURCE_KINDS[kind].landed_ext}")


def test_good_files_pass_beside_bad_ones(gated):
    landing, _, report = gated
    good = sorted(Path(FIRM, kind, DAY, f"good.{SOURCE_KINDS[kind].landed_ext}") for kind in GOOD)
    assert report.passed == good
    assert all((landing / path).is_file() for path in good)
    assert sorted(item.path for item in report.quarantined) == sorted(map(bad_path, BAD_CASES))


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_quarantines_bad_file(gated, case):
    kind, _, (expectation, column) = BAD_CASES[case]
    landing, quarantine, report = gated
    bad = bad_path(case)

    (item,) = [item for item in report.quarantined if item.path == bad]
    assert item.reason_code == "gate_failed"
    assert item.quarantine_path == quarantine / bad
    assert str(bad) in item.message and column in item.message
    assert not (landing / bad).exists()
    assert (quarantine / bad).is_file()
    reason = reason_of(quarantine, bad)
    assert (expectation, column) in failed(reason)
    assert reason["suite"] == f"landing.{kind}"
    assert (reason["source_kind"], reason["reason_code"]) == (kind, "gate_failed")


def test_missing_column_in_every_file_of_the_batch(dirs, gate):
    landing, quarantine = dirs
    bad = land(
        landing, "github_pulls", mutate("github_pulls", lambda c: [p.pop("team_id") for p in c])
    )

    run_gates(landing, quarantine, gate=gate)

    assert failed(reason_of(quarantine, bad)) == {("expect_table_columns_to_match_set", "team_id")}


def test_reason_json_names_file_expectation_and_examples(dirs, gate):
    landing, quarantine = dirs
    content = good_github()
    for n in range(8):
        extra = copy.deepcopy(content[0])
        extra.update(artifact_key=a(50 + n), additions=-(n + 1))
        content.append(extra)
    bad = land(landing, "github_pulls", content)

    run_gates(landing, quarantine, gate=gate)

    reason = reason_of(quarantine, bad)
    assert set(reason) == {
        "file",
        "firm_id",
        "source_kind",
        "date",
        "suite",
        "reason_code",
        "message",
        "failed_expectations",
    }
    assert reason["file"] == bad.as_posix()
    assert (reason["firm_id"], reason["source_kind"], reason["date"]) == (
        FIRM,
        "github_pulls",
        DAY,
    )
    (negative,) = reason["failed_expectations"]
    assert negative == {
        "expectation": "expect_column_values_to_be_between",
        "column": "additions__as_int",
        "kwargs": {"column": "additions__as_int", "min_value": 0},
        "unexpected_count": 8,
        "examples": [-1, -2, -3, -4, -5],
    }


def test_reason_json_keeps_the_email_example_for_the_operator(dirs, gate):
    landing, quarantine = dirs
    bad = land(landing, "daily_totals", mutate("daily_totals", BAD_CASES["daily_email_as_team"][1]))

    run_gates(landing, quarantine, gate=gate)

    (email,) = [
        f for f in reason_of(quarantine, bad)["failed_expectations"] if f["column"] == "_pii"
    ]
    assert email["examples"] == ["team: bob.smith@firm.io"]


# -- files that cannot be gated ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content", "code"),
    [
        ("github_pulls", b'[{"artifact_key": ', "unparseable"),
        ("openai_usage", b"[]", "unparseable"),
        ("jira_issues", b'{"issues": "none"}', "unparseable"),
        ("otel_genai_spans", b'{"resourceSpans": []}\nnot json\n', "unparseable"),
        ("anthropic_usage", b'{"data": "\xff\xfe"}', "bad_encoding"),
    ],
)
def test_quarantines_unparseable_file(dirs, kind, content, code, gate):
    landing, quarantine = dirs
    good = land(landing, kind, stem="good")
    bad = Path(FIRM, kind, DAY, f"bad.{SOURCE_KINDS[kind].landed_ext}")
    (landing / bad).write_bytes(content)
    record_in_manifest(landing, bad)

    report = run_gates(landing, quarantine, gate=gate)

    assert report.passed == [good]
    (item,) = report.quarantined
    assert (item.path, item.reason_code) == (bad, code)
    assert str(bad) in item.message and "\n" not in item.message
    reason = reason_of(quarantine, bad)
    assert reason["reason_code"] == code
    assert reason["failed_expectations"] == []


def test_quarantines_unknown_source_kind(dirs, gate):
    landing, quarantine = dirs
    good = land(landing, "github_pulls")
    stray = Path(FIRM, "slack_messages", DAY, "export.csv")
    (landing / stray).parent.mkdir(parents=True)
    (landing / stray).write_text("ID,Team\n1,x\n", encoding="utf-8")

    report = run_gates(landing, quarantine, gate=gate)

    assert report.passed == [good]
    assert [(i.path, i.reason_code) for i in report.quarantined] == [(stray, "unknown_source_kind")]
    assert reason_of(quarantine, stray)["source_kind"] == "slack_messages"
    assert not (landing / FIRM / "slack_messages" / DAY).exists()


def test_empty_file_is_quarantined(dirs, gate):
    landing, quarantine = dirs
    bad = land(landing, "github_pulls", [])

    report = run_gates(landing, quarantine, gate=gate)

    assert not report.any_passed
    assert failed(reason_of(quarantine, bad)) == {("expect_table_row_count_to_be_between", None)}


# -- a whole landing -------------------------------------------------------------------------


def test_bad_file_of_one_firm_leaves_other_firms_alone(dirs, gate):
    landing, quarantine = dirs
    (landing / FIRM).mkdir(parents=True)
    (landing / FIRM / "firm.json").write_text(json.dumps(firm_profile(FIRM)), encoding="utf-8")
    passing = [
        land(landing, kind, firm=firm, day=day)
        for firm in (FIRM, OTHER_FIRM)
        for kind in ("github_pulls", "openai_usage")
        for day in ("2026-01-05",)
    ]
    bad_pulls = good_github()
    bad_pulls[0]["team_id"] = "ann@example.com"
    bad = land(landing, "github_pulls", bad_pulls, firm=OTHER_FIRM, stem="page2")

    report = run_gates(landing, quarantine, gate=gate)

    assert report.passed == sorted(passing)
    assert [item.path for item in report.quarantined] == [bad]
    assert all((landing / path).is_file() for path in passing)
    assert (landing / FIRM / "firm.json").is_file()
    assert (landing / OTHER_FIRM / "github_pulls" / DAY).is_dir()


def test_quarantine_removes_emptied_day_folders(dirs, gate):
    landing, quarantine = dirs
    land(landing, "github_pulls", day="2026-01-05")
    bad = land(landing, "github_pulls", "not json", day="2026-01-06")

    run_gates(landing, quarantine, gate=gate)

    assert not (landing / bad).parent.exists()
    assert (landing / FIRM / "github_pulls" / "2026-01-05").is_dir()


def test_rerunning_the_gate_is_idempotent(dirs, gate):
    landing, quarantine = dirs
    for kind in ("github_pulls", "daily_totals"):
        land(landing, kind)
    bad_github = mutate("github_pulls", BAD_CASES["github_duplicate_pull"][1])
    bad_daily = mutate("daily_totals", BAD_CASES["daily_negative_tokens"][1])
    land(landing, "github_pulls", bad_github, stem="dupes")
    land(landing, "daily_totals", bad_daily, stem="negative")

    first = run_gates(landing, quarantine, gate=gate)
    landing_after, quarantine_after = snapshot(landing), snapshot(quarantine)
    second = run_gates(landing, quarantine, gate=gate)

    assert len(first.passed) == 2 and len(first.quarantined) == 2
    assert second.passed == first.passed and second.quarantined == []
    assert snapshot(landing) == landing_after
    assert snapshot(quarantine) == quarantine_after

    # The same bad file landed again replaces its quarantined copy with identical content.
    land(landing, "github_pulls", bad_github, stem="dupes")
    third = run_gates(landing, quarantine, gate=gate)
    assert [item.path.name for item in third.quarantined] == ["dupes.json"]
    assert snapshot(quarantine) == quarantine_after


def test_report_says_when_nothing_passed(dirs, gate):
    landing, quarantine = dirs
    land(landing, "jira_issues", "{")

    report = run_gates(landing, quarantine, gate=gate)

    assert isinstance(report, GateReport)
    assert not report.any_passed
    assert report.summary() == "0 landed files passed, 1 quarantined"


def test_missing_landing_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="landing folder not found"):
        run_gates(tmp_path / "nowhere", tmp_path / "quarantine")


# -- gating a frame directly -----------------------------------------------------------------


def test_gate_frame_attributes_failures_to_files(dirs, gate):
    landing, _ = dirs
    good = land(landing, "anthropic_usage", stem="good")
    bad = land(
        landing,
        "anthropic_usage",
        mutate("anthropic_usage", BAD_CASES["anthropic_negative_tokens"][1]),
        stem="bad",
    )
    module = SUITES["anthropic_usage"]
    frame = pd.concat(
        [module.flatten(landing / path).assign(_file=path.as_posix()) for path in (good, bad)],
        ignore_index=True,
    )

    failures = gate_frame("anthropic_usage", frame, gate=gate)

    assert [(f["file"], f["expectation"], f["column"]) for f in failures] == [
        (
            bad.as_posix(),
            "expect_column_values_to_be_between",
            "cache_creation.ephemeral_5m_input_tokens__as_int",
        )
    ]
    assert failures[0]["examples"] == [-1]


def test_gate_frame_on_a_single_frame(dirs, gate):
    landing, _ = dirs
    frame = SUITES["jira_issues"].flatten(landing / land(landing, "jira_issues"))

    assert gate_frame("jira_issues", frame) == []  # builds its own gate
    frame.loc[0, "fields.team_id"] = "t_XYZ"
    (failure,) = gate_frame("jira_issues", frame, gate=gate)
    assert (failure["file"], failure["column"], failure["examples"]) == (
        "<frame>",
        "fields.team_id",
        ["t_XYZ"],
    )


def test_run_gates_limited_to_some_firms_leaves_the_others_untouched(tmp_path):
    landing = tmp_path / "landing"
    for firm in ("f_aaaaaaaaaa", "f_bbbbbbbbbb"):
        folder = landing / firm / "daily_totals" / "2026-01-05"
        folder.mkdir(parents=True)
        (folder / "totals.csv").write_text(
            "date,team,model_class,tokens_consumed,completed_tasks,shipped_artifacts,"
            "cycle_time_hours,defect_count\n"
            "2026-01-05,t_0123456789abcdef,mid,-5,1,1,2.0,0\n"
        )
    report = run_gates(landing, tmp_path / "quarantine", firm_ids={"f_aaaaaaaaaa"})
    assert [Path(q.path).parts[0] for q in report.quarantined] == ["f_aaaaaaaaaa"]
    assert (landing / "f_bbbbbbbbbb" / "daily_totals" / "2026-01-05" / "totals.csv").exists()
