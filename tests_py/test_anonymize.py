"""The firm-side anonymizer: hashing, flooring, team merge, content removal and refusal."""

import csv
import hashlib
import hmac
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures_raw import (
    DAILY_TOTALS_HEADER,
    DAY1,
    DAY2,
    FIRM,
    ORG_MAP,
    PAYMENTS_REPO_URL,
    SECRET,
    build_firm,
    github_pull,
    jira_issue,
    jira_page,
    openai_page,
    openai_result,
    otel_line,
    otel_span,
    seconds,
    write_bytes,
    write_csv,
    write_json,
    write_jsonl,
    write_org_map,
)

import tpsp
from tpsp.anonymize import AnonymizeReport, SecretError, anonymize_firm, read_secret_file
from tpsp.anonymize.hashing import (
    artifact_pseudonym,
    id_pseudonym,
    normalize_issue_key,
    normalize_pr_key,
    repo_from_url,
    team_pseudonym,
)
from tpsp.anonymize.kinds import KINDS
from tpsp.anonymize.kinds.otel_genai_spans import WORKFLOW_TAGS
from tpsp.errors import InputError, LeakError, TpspError
from tpsp.source_kinds import SOURCE_KINDS

REPO_ROOT = Path(__file__).resolve().parents[1]
FIRM_ID = FIRM["firm_id"]


@pytest.fixture
def firm_dir(tmp_path: Path) -> Path:
    return build_firm(tmp_path / "raw")


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "landing"


def run(firm_dir: Path, landing: Path, secret: bytes = SECRET, **kwargs: Any) -> AnonymizeReport:
    return anonymize_firm(firm_dir, secret, landing, **kwargs)


def landed(landing: Path, kind: str, day: str, name: str) -> Any:
    path = landing / FIRM_ID / kind / day / name
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in path.read_text().splitlines()]
    if name.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(path.read_text())))
    return json.loads(path.read_text())


def all_landed_bytes(landing: Path) -> dict[str, bytes]:
    return {
        path.relative_to(landing).as_posix(): path.read_bytes()
        for path in sorted(landing.rglob("*"))
        if path.is_file()
    }


def spans_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        span
        for line in lines
        for resource_spans in line["resourceSpans"]
        for scope_spans in resource_spans["scopeSpans"]
        for span in scope_spans["spans"]
    ]


def attributes(span: dict[str, Any]) -> dict[str, str]:
    return {a["key"]: next(iter(a["value"].values())) for a in span["attributes"]}


def team(name: str, secret: bytes = SECRET) -> str:
    return team_pseudonym(secret, name)


# -- the contract's layout ----------------------------------------------------------------


def test_lands_every_kind_in_day_folders_named_after_the_raw_file(firm_dir, landing):
    report = run(firm_dir, landing)

    names = sorted(p.relative_to(landing / FIRM_ID).as_posix() for p in report.landed_files)
    assert names == [
        "anthropic_usage/2026-01-05/messages.json",
        "daily_totals/2026-01-05/totals.csv",
        "daily_totals/2026-01-06/totals.csv",
        "github_pulls/2026-01-05/pulls.json",
        "github_pulls/2026-01-06/pulls.json",
        "jira_issues/2026-03-01/page-1.json",
        "jira_issues/2026-03-02/page-1.json",
        "openai_usage/2026-01-05/usage-2026-01.json",
        "openai_usage/2026-01-06/usage-2026-01.json",
        "otel_genai_spans/2026-01-05/traces.jsonl",
        "otel_genai_spans/2026-01-06/traces.jsonl",
    ]
    assert report.firm_id == FIRM_ID
    assert report.skipped_files == []


def test_landed_firm_json_holds_the_contract_keys_and_the_anonymizer_version(firm_dir, landing):
    run(firm_dir, landing)

    firm = json.loads((landing / FIRM_ID / "firm.json").read_text())
    assert firm == {
        "firm_id": FIRM_ID,
        "size_band": "51-200",
        "industry": "saas",
        "timezone": "Europe/Berlin",
        "tco_overhead_multiplier": 1.35,
        "schema_version": 1,
        "anonymizer_version": tpsp.__version__,
    }


def test_every_source_kind_has_an_anonymizer_module():
    assert set(KINDS) == set(SOURCE_KINDS)


def test_workflow_tags_are_those_of_the_taxonomy_seed():
    seed = REPO_ROOT / "seeds" / "workflow_taxonomy.csv"
    if not seed.exists():
        pytest.skip("no workflow taxonomy seed in this checkout")
    with seed.open(newline="") as handle:
        tags = {row["workflow_tag"].strip().lower() for row in csv.DictReader(handle)}
    assert tags == WORKFLOW_TAGS


# -- determinism and pseudonyms -----------------------------------------------------------


def test_same_input_and_secret_give_byte_identical_landing(firm_dir, tmp_path):
    run(firm_dir, tmp_path / "one")
    run(firm_dir, tmp_path / "two")

    assert all_landed_bytes(tmp_path / "one") == all_landed_bytes(tmp_path / "two")


def test_a_different_secret_gives_different_pseudonyms(firm_dir, tmp_path):
    run(firm_dir, tmp_path / "one")
    run(firm_dir, tmp_path / "two", secret=b"another secret entirely")

    one = all_landed_bytes(tmp_path / "one")
    two = all_landed_bytes(tmp_path / "two")
    assert one.keys() == two.keys()
    pulls_one = json.loads(one[f"{FIRM_ID}/github_pulls/2026-01-05/pulls.json"])
    pulls_two = json.loads(two[f"{FIRM_ID}/github_pulls/2026-01-05/pulls.json"])
    for field in ("artifact_key", "team_id"):
        assert pulls_one[0][field] != pulls_two[0][field]
    assert pulls_one[0]["head"]["ref"] != pulls_two[0]["head"]["ref"]


def test_team_pseudonym_is_truncated_hmac_sha256_of_the_team_name(firm_dir, landing):
    expected = "t_" + hmac.new(SECRET, b"team:payments", hashlib.sha256).hexdigest()[:16]
    assert team_pseudonym(SECRET, "payments") == expected
    assert team_pseudonym(SECRET, " Payments ") == expected

    run(firm_dir, landing)
    pulls = landed(landing, "github_pulls", "2026-01-05", "pulls.json")
    assert pulls[0]["team_id"] == expected


def test_artifact_and_id_pseudonyms_are_hmacs_of_the_normalized_key():
    digest = hmac.new(SECRET, b"acme/payments-api#42", hashlib.sha256).hexdigest()[:16]
    assert artifact_pseudonym(SECRET, "acme/payments-api#42") == "a_" + digest
    assert id_pseudonym(SECRET, " Main ") == id_pseudonym(SECRET, "main")
    assert id_pseudonym(SECRET, "main").startswith("h_")
    assert len(id_pseudonym(SECRET, "main")) == 18


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/Acme/Payments-API.git",
        "https://github.com/acme/payments-api",
        "https://x-token:abc@github.example.com:8443/Acme/Payments-API.git/",
        "ssh://git@github.com/Acme/Payments-API.git",
        "git@github.com:Acme/Payments-API.git",
        "Acme/Payments-API",
    ],
)
def test_repo_from_url_removes_scheme_host_and_dot_git(url):
    assert repo_from_url(url) == "acme/payments-api"


def test_pull_request_keys_are_repository_qualified_and_lower_case():
    assert normalize_pr_key("Acme/Payments-API", 42) == "acme/payments-api#42"
    assert normalize_pr_key(PAYMENTS_REPO_URL, " #042 ") == "acme/payments-api#42"
    assert normalize_pr_key("acme/payments-api", "https://github.com/acme/payments-api/pull/42")
    assert normalize_issue_key(" PAY-123 ") == "pay-123"
    with pytest.raises(ValueError):
        repo_from_url("https://github.com/")


def test_otel_span_and_github_pull_of_the_same_change_share_the_artifact_key(firm_dir, landing):
    run(firm_dir, landing)

    span = spans_of(landed(landing, "otel_genai_spans", "2026-01-05", "traces.jsonl"))[0]
    pull = landed(landing, "github_pulls", "2026-01-05", "pulls.json")[0]
    expected = artifact_pseudonym(SECRET, "acme/payments-api#42")
    assert attributes(span)["tpsp.artifact_key"] == expected == pull["artifact_key"]
    assert attributes(span)["vcs.repository.url.full"] == pull["base"]["repo"]["full_name"]
    assert attributes(span)["vcs.ref.head.name"] == pull["head"]["ref"]


def test_jira_issue_key_is_hashed_lower_case(firm_dir, landing):
    run(firm_dir, landing)

    page = landed(landing, "jira_issues", "2026-03-02", "page-1.json")
    assert page["issues"][0]["key"] == artifact_pseudonym(SECRET, "pay-123")
    assert page["issues"][0]["id"] == id_pseudonym(SECRET, "10001")


# -- timestamps ---------------------------------------------------------------------------


def test_otel_start_nanos_are_floored_to_the_hour_and_duration_kept(firm_dir, landing):
    run(firm_dir, landing)

    spans = spans_of(landed(landing, "otel_genai_spans", "2026-01-05", "traces.jsonl"))
    nine = str(seconds(DAY1.replace(hour=9)) * 1_000_000_000)
    assert [span["startTimeUnixNano"] for span in spans] == [
        nine,
        nine,
        str(seconds(DAY1.replace(hour=23)) * 1_000_000_000),
    ]
    assert all("endTimeUnixNano" not in span for span in spans)
    assert attributes(spans[0])["tpsp.duration_ms"] == "2500"
    next_day = spans_of(landed(landing, "otel_genai_spans", "2026-01-06", "traces.jsonl"))
    assert next_day[0]["startTimeUnixNano"] == str(seconds(DAY2) * 1_000_000_000)


def test_openai_unix_seconds_are_floored_to_the_hour(tmp_path, landing):
    firm_dir = minimal_firm(tmp_path)
    mid_hour = seconds(DAY1.replace(hour=13, minute=27, second=5))
    write_json(
        firm_dir / "openai_usage" / "hourly.json",
        openai_page([(mid_hour, [openai_result("user-alice", 10, 1)])]),
    )
    run(firm_dir, landing)

    bucket = landed(landing, "openai_usage", "2026-01-05", "hourly.json")["data"][0]
    assert bucket["start_time"] == seconds(DAY1.replace(hour=13))
    assert bucket["end_time"] == seconds(DAY2.replace(hour=13))


def test_iso_z_timestamps_are_floored_to_the_hour(firm_dir, landing):
    run(firm_dir, landing)

    first, second = landed(landing, "github_pulls", "2026-01-06", "pulls.json")
    assert first["created_at"] == "2026-01-06T14:00:00Z"  # raw 14:59:59Z
    assert first["closed_at"] == "2026-01-06T17:00:00Z"  # raw 17:45:12Z
    assert first["merged_at"] is None
    assert second["created_at"] == "2026-01-06T15:00:00Z"


def test_jira_offsets_are_converted_to_utc_in_jiras_format(firm_dir, landing):
    run(firm_dir, landing)

    fields = landed(landing, "jira_issues", "2026-03-02", "page-1.json")["issues"][0]["fields"]
    assert fields["created"] == "2026-03-02T09:00:00.000+0000"  # raw 10:15 +0100
    assert fields["resolutiondate"] == "2026-03-04T15:00:00.000+0000"  # raw 16:40 +0100
    # 00:30 +0100 is 23:30 UTC the day before: it lands in the previous day's folder
    earlier = landed(landing, "jira_issues", "2026-03-01", "page-1.json")["issues"][0]
    assert earlier["fields"]["created"] == "2026-03-01T23:00:00.000+0000"
    assert earlier["fields"]["resolutiondate"] is None


# -- people to teams ----------------------------------------------------------------------


def test_two_person_team_lands_as_small_teams(firm_dir, landing):
    report = run(firm_dir, landing)

    pulls = landed(landing, "github_pulls", "2026-01-06", "pulls.json")
    assert pulls[0]["team_id"] == team("small_teams")  # dave-gh of the 2-person search team
    assert report.merged_small_teams == ["infra", "search"]
    landed_text = b"".join(all_landed_bytes(landing).values()).decode()
    assert team("search") not in landed_text


def test_identities_of_one_person_count_once_toward_team_size(firm_dir, landing):
    run(firm_dir, landing)

    rows = landed(landing, "daily_totals", "2026-01-05", "totals.csv")
    assert team("infra") not in {row["team"] for row in rows}  # 3 identities, 1 person


def test_without_a_person_column_each_identity_is_a_person(firm_dir, landing):
    write_org_map(firm_dir, ORG_MAP, person=False)
    report = run(firm_dir, landing)

    assert report.merged_small_teams == []  # search now counts 6 identities, infra 3
    rows = landed(landing, "daily_totals", "2026-01-05", "totals.csv")
    assert team("infra") in {row["team"] for row in rows}


def test_min_team_size_is_configurable(firm_dir, landing):
    report = run(firm_dir, landing, min_team_size=4)

    assert report.merged_small_teams == ["infra", "payments", "platform", "search"]
    pulls = landed(landing, "github_pulls", "2026-01-05", "pulls.json")
    assert pulls[0]["team_id"] == team("small_teams")


def test_identities_missing_from_the_org_map_are_unassigned_and_counted(firm_dir, landing):
    report = run(firm_dir, landing)

    # mallory@ (otel), user-zoe (openai), zed-gh (github); an absent identity is not counted
    assert report.unassigned_identities == 3
    pulls = landed(landing, "github_pulls", "2026-01-06", "pulls.json")
    assert pulls[1]["team_id"] == team("unassigned")
    jira = landed(landing, "jira_issues", "2026-03-01", "page-1.json")["issues"][0]
    assert jira["fields"]["team_id"] == team("unassigned")


def test_identity_matching_ignores_case_and_whitespace(firm_dir, landing):
    run(firm_dir, landing)

    spans = spans_of(landed(landing, "otel_genai_spans", "2026-01-05", "traces.jsonl"))
    assert attributes(spans[0])["tpsp.team_id"] == team("payments")  # raw Alice@Acme.example


# -- content removed ----------------------------------------------------------------------


def test_no_content_or_identity_survives_in_any_landed_byte(firm_dir, landing):
    run(firm_dir, landing)

    text = b"".join(all_landed_bytes(landing).values()).decode().lower()
    forbidden = [
        "fix checkout rounding",  # PR title
        "payments channel",  # PR body
        "checkout fails",  # Jira summary
        "alice example",  # Jira display name
        "please fix the payment bug",  # prompt attribute
        "rate limited",  # span status message
        "alice-laptop",  # resource attribute
        "acme widgets",  # firm name in raw firm.json
        "acme-helpdesk-bot",  # service name that is no workflow tag
        "customer:bigcorp",  # label outside the allow-list
        "alice-followup",  # Jira label
        "backend",
        "@",
        "https://",
        "payments-api",
        "fix/alice-rounding",
        "5b8efff798038103",  # raw trace id
        "a1b2c3d4e5f6",  # raw span ids
        "proj_payments",
        "wrkspc_",
        "apikey_",
        "user-",
        "583231",  # GitHub user id
        "page_aaaa",  # page cursor
        "caeaaggd",
        "pay-123",
        "mallory",
        "zed-gh",
        "opentelemetry.instrumentation",
        "parentspanid",
        "title",
        "body",
        "summary",
        "assignee",
        "updated_at",
    ]
    for identity, team_name, person in ORG_MAP:
        # a team name may occur inside a field name ("web_search_requests"), not as a value
        forbidden += [identity.lower(), f'"{team_name.lower()}"', f",{team_name.lower()},", person]
    present = [needle for needle in forbidden if needle in text]
    assert present == []
    assert SECRET.decode() not in text


def test_github_labels_keep_only_allow_listed_names(firm_dir, landing):
    run(firm_dir, landing)

    pull = landed(landing, "github_pulls", "2026-01-05", "pulls.json")[0]
    assert pull["labels"] == [{"name": "bug"}]
    assert "number" not in pull and "user" not in pull and "title" not in pull


def test_service_names_outside_the_workflow_taxonomy_become_other(firm_dir, landing):
    run(firm_dir, landing)

    lines = {
        day: landed(landing, "otel_genai_spans", day, "traces.jsonl")
        for day in ("2026-01-05", "2026-01-06")
    }
    service = {day: lines[day][0]["resourceSpans"][0]["resource"]["attributes"] for day in lines}
    assert service["2026-01-05"] == [{"key": "service.name", "value": {"stringValue": "ide-chat"}}]
    assert service["2026-01-06"] == [{"key": "service.name", "value": {"stringValue": "other"}}]


def test_spans_without_a_genai_operation_are_left_out(firm_dir, landing):
    report = run(firm_dir, landing)

    assert report.rows_in["otel_genai_spans"] == 5
    assert report.rows_out["otel_genai_spans"] == 4


# -- re-aggregation -----------------------------------------------------------------------


def test_openai_per_user_rows_are_summed_per_team_with_totals_preserved(firm_dir, landing):
    run(firm_dir, landing)

    page = landed(landing, "openai_usage", "2026-01-05", "usage-2026-01.json")
    assert page["has_more"] is False and page["next_page"] is None
    results = {row["team_id"]: row for row in page["data"][0]["results"]}
    assert set(results) == {team("payments"), team("small_teams"), team("unassigned")}
    payments = results[team("payments")]  # user-alice + user-bob
    assert (payments["input_tokens"], payments["output_tokens"]) == (2000, 400)
    assert (payments["input_cached_tokens"], payments["num_model_requests"]) == (900, 6)
    assert results[team("small_teams")]["input_tokens"] == 1200  # dave + erin
    assert "user_id" not in payments and "api_key_id" not in payments
    assert sum(row["input_tokens"] for row in results.values()) == 1200 + 800 + 500 + 700 + 10


def test_anthropic_rows_are_summed_per_team(firm_dir, landing):
    report = run(firm_dir, landing)

    page = landed(landing, "anthropic_usage", "2026-01-05", "messages.json")
    results = {row["team_id"]: row for row in page["data"][0]["results"]}
    payments = results[team("payments")]
    assert payments["uncached_input_tokens"] == 2000
    assert payments["cache_read_input_tokens"] == 2010
    assert payments["workspace_id"] == id_pseudonym(SECRET, "wrkspc_01payments")
    assert "api_key_id" not in payments
    assert results[team("unassigned")]["uncached_input_tokens"] == 5
    assert (report.rows_in["anthropic_usage"], report.rows_out["anthropic_usage"]) == (3, 2)


def test_daily_totals_merge_small_teams_with_artifact_weighted_cycle_time(firm_dir, landing):
    run(firm_dir, landing)

    rows = landed(landing, "daily_totals", "2026-01-05", "totals.csv")
    small = next(row for row in rows if row["team"] == team("small_teams"))
    assert small["tokens_consumed"] == "12000"
    assert small["shipped_artifacts"] == "4"
    assert small["cycle_time_hours"] == "7"  # (4h x 1 + 8h x 3) / 4
    assert list(rows[0]) == DAILY_TOTALS_HEADER
    later = landed(landing, "daily_totals", "2026-01-06", "totals.csv")
    assert later[0]["team"] == team("payments")
    assert later[0]["cycle_time_hours"] == "" and later[0]["defect_count"] == ""


# -- refusal ------------------------------------------------------------------------------


def assert_refused(firm_dir: Path, landing: Path, *, reveals: str) -> str:
    with pytest.raises(LeakError) as raised:
        run(firm_dir, landing)
    message = str(raised.value)
    assert "\n" not in message
    assert reveals.lower() not in message.lower()
    assert SECRET.decode() not in message
    assert not landing.exists()
    return message


def test_refuses_when_a_kept_jira_status_contains_an_email(firm_dir, landing):
    write_json(
        firm_dir / "jira_issues" / "page-2.json",
        jira_page(
            [
                jira_issue(
                    "PAY-200",
                    "acc-alice",
                    "2026-03-05T10:00:00.000+0000",
                    status="Waiting for someone@elsewhere.example",
                )
            ]
        ),
    )
    message = assert_refused(firm_dir, landing, reveals="someone@elsewhere.example")
    assert "jira_issues" in message and "fields.status.name" in message
    assert "email" in message


def test_refuses_when_a_kept_value_equals_an_identity(firm_dir, landing):
    write_jsonl(
        firm_dir / "otel_genai_spans" / "custom.jsonl",
        [otel_line([otel_span("ffff000000000001", DAY1, "bob@acme.example", model="Carol-GH")])],
    )
    message = assert_refused(firm_dir, landing, reveals="carol-gh")
    assert "otel_genai_spans" in message and "gen_ai.request.model" in message
    assert id_pseudonym(SECRET, "carol-gh") in message  # a hint the firm can look up


def test_refuses_when_a_kept_value_contains_a_team_name(firm_dir, landing):
    write_json(
        firm_dir / "openai_usage" / "tuned.json",
        openai_page(
            [(seconds(DAY1), [openai_result("user-bob", 1, 1, model="ft:gpt-4.1:payments:v2")])]
        ),
    )
    message = assert_refused(firm_dir, landing, reveals="payments")
    assert "openai_usage" in message and "model" in message and "team name" in message


def test_refuses_when_a_team_name_equals_a_value_that_would_survive(firm_dir, landing):
    write_org_map(firm_dir, [*ORG_MAP, ("x@acme.example", "Story", "x")])
    assert_refused(firm_dir, landing, reveals="story")  # the Jira issue type "Story"


def test_refuses_when_an_unmapped_identity_would_survive(firm_dir, landing):
    write_jsonl(
        firm_dir / "otel_genai_spans" / "stray.jsonl",
        [otel_line([otel_span("ffff000000000002", DAY1, "nobody-known", model="nobody-known")])],
    )
    assert_refused(firm_dir, landing, reveals="nobody-known")


def test_refuses_when_the_secret_would_appear(firm_dir, landing):
    write_json(
        firm_dir / "jira_issues" / "page-3.json",
        jira_page(
            [jira_issue("PAY-300", None, "2026-03-05T10:00:00.000+0000", status=SECRET.decode())]
        ),
    )
    message = assert_refused(firm_dir, landing, reveals=SECRET.decode())
    assert "the secret" in message


def test_a_raw_file_named_after_a_person_or_team_lands_under_a_pseudonym(firm_dir, landing):
    shutil.move(
        firm_dir / "github_pulls" / "pulls.json",
        firm_dir / "github_pulls" / "alice@acme.example.json",
    )
    write_json(
        firm_dir / "jira_issues" / "payments-board.json",
        jira_page([jira_issue("PAY-400", "acc-alice", "2026-03-06T10:00:00.000+0000")]),
    )

    report = run(firm_dir, landing)

    assert report.renamed_files == [
        Path("github_pulls/alice@acme.example.json"),
        Path("jira_issues/payments-board.json"),
    ]
    pulls = landing / FIRM_ID / "github_pulls" / "2026-01-05"
    assert [p.name for p in pulls.iterdir()] == [
        id_pseudonym(SECRET, "alice@acme.example") + ".json"
    ]
    board = landing / FIRM_ID / "jira_issues" / "2026-03-06"
    assert [p.name for p in board.iterdir()] == [id_pseudonym(SECRET, "payments-board") + ".json"]
    names = " ".join(p.name for p in report.landed_files)
    assert "alice" not in names and "payments" not in names


def test_strings_the_anonymizer_writes_itself_are_not_mistaken_for_team_names(firm_dir, landing):
    # a team named like an allow-listed label, a digit-only identity equal to a token count,
    # and an industry that is also a team name: none of them says anything about a person
    write_org_map(firm_dir, [*ORG_MAP, ("z@acme.example", "bug", "z"), ("1000", "qa", "q")])
    write_json(firm_dir / "firm.json", {**FIRM, "industry": "Payments"})

    run(firm_dir, landing)

    pull = landed(landing, "github_pulls", "2026-01-05", "pulls.json")[0]
    assert pull["labels"] == [{"name": "bug"}]


def test_refuses_an_email_in_firm_json(firm_dir, landing):
    write_json(firm_dir / "firm.json", {**FIRM, "industry": "saas, ask cfo@acme.example"})

    message = assert_refused(firm_dir, landing, reveals="cfo@acme.example")
    assert "firm.json: industry" in message


def test_a_refused_run_leaves_earlier_landing_untouched(firm_dir, landing):
    run(firm_dir, landing)
    before = all_landed_bytes(landing)
    write_org_map(firm_dir, [*ORG_MAP, ("y@acme.example", "Done", "y")])  # Jira status "Done"

    with pytest.raises(LeakError):
        run(firm_dir, landing)
    assert all_landed_bytes(landing) == before


# -- bad files ----------------------------------------------------------------------------


def test_truncated_json_is_reported_by_name_and_the_rest_still_lands(firm_dir, landing):
    good = (firm_dir / "jira_issues" / "page-1.json").read_text()
    write_bytes(firm_dir / "jira_issues" / "page-9.json", good[: len(good) // 2].encode())

    report = run(firm_dir, landing)

    assert [(s.path, s.code) for s in report.skipped_files] == [
        (Path("jira_issues/page-9.json"), "malformed_json")
    ]
    assert "invalid JSON" in report.skipped_files[0].reason
    assert (landing / FIRM_ID / "jira_issues" / "2026-03-02" / "page-1.json").exists()
    assert len(report.landed_files) == 11


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("broken.jsonl.gz", b"this is not gzip", "bad_gzip"),
        ("latin1.jsonl", '{"resourceSpans": []}\n# caf\xe9'.encode("latin-1"), "bad_encoding"),
        ("half.jsonl", b'{"resourceSpans": [\n', "malformed_json"),
        ("notes.txt", b"hello", "unsupported_extension"),
        ("spans.csv", b"a,b\n1,2\n", "unsupported_extension"),
        ("shape.jsonl", b'{"resourceSpans": {"not": "a list"}}\n', "malformed_record"),
    ],
)
def test_unreadable_files_are_skipped_with_a_code(firm_dir, landing, name, data, code):
    (firm_dir / "otel_genai_spans" / name).write_bytes(data)

    report = run(firm_dir, landing)

    assert [(s.path.name, s.code) for s in report.skipped_files] == [(name, code)]
    assert all("\n" not in s.reason for s in report.skipped_files)
    assert (landing / FIRM_ID / "otel_genai_spans" / "2026-01-05" / "traces.jsonl").exists()


def test_csv_missing_required_columns_is_skipped(firm_dir, landing):
    write_csv(firm_dir / "daily_totals" / "short.csv", ["date", "team"], [["2026-01-05", "x"]])

    report = run(firm_dir, landing)

    (skipped,) = report.skipped_files
    assert (skipped.path, skipped.code) == (Path("daily_totals/short.csv"), "missing_columns")
    assert "model_class" in skipped.reason


def test_a_record_with_a_bad_timestamp_skips_its_file_naming_the_field(firm_dir, landing):
    write_json(
        firm_dir / "github_pulls" / "bad.json", [github_pull(50, "bob-gh", "yesterday at noon")]
    )

    report = run(firm_dir, landing)

    (skipped,) = report.skipped_files
    assert skipped.code == "malformed_record"
    assert "created_at" in skipped.reason and "pull request 1" in skipped.reason


def test_gzipped_raw_files_are_read(firm_dir, landing):
    write_jsonl(
        firm_dir / "otel_genai_spans" / "nested" / "more.jsonl.gz",
        [otel_line([otel_span("ffff000000000003", DAY2, "bob@acme.example")])],
    )

    report = run(firm_dir, landing)

    assert report.skipped_files == []
    assert (landing / FIRM_ID / "otel_genai_spans" / "2026-01-06" / "more.jsonl").exists()


def test_unknown_source_kind_folder_is_reported_not_fatal(firm_dir, landing):
    write_json(firm_dir / "slack_messages" / "export.json", [{"text": "hi"}])

    report = run(firm_dir, landing)

    assert [(s.path, s.code) for s in report.skipped_files] == [
        (Path("slack_messages"), "unknown_source_kind")
    ]
    assert not (landing / FIRM_ID / "slack_messages").exists()


def test_files_sharing_a_stem_in_different_subfolders_get_distinct_stable_names(firm_dir, landing):
    for month in ("2026-01", "2026-02"):
        write_json(
            firm_dir / "github_pulls" / month / "pulls.json",
            [github_pull(60, "bob-gh", "2026-01-07T10:00:00Z", repo=f"acme/repo-{month}")],
        )

    report = run(firm_dir, landing)

    names = sorted(p.name for p in report.landed_files if p.parent.name == "2026-01-07")
    assert len(names) == 2 and len(set(names)) == 2
    assert all(name.startswith("pulls-") and name.endswith(".json") for name in names)
    again = run(firm_dir, landing.parent / "again")
    assert names == sorted(p.name for p in again.landed_files if p.parent.name == "2026-01-07")


# -- re-exports ---------------------------------------------------------------------------


def test_a_corrected_re_export_replaces_only_that_days_folder(tmp_path):
    firm_dir, landing = minimal_firm(tmp_path), tmp_path / "landing"
    write_json(
        firm_dir / "github_pulls" / "pulls.json",
        [
            github_pull(1, "alice-gh", "2026-01-05T09:00:00Z"),
            github_pull(2, "alice-gh", "2026-01-06T09:00:00Z"),
        ],
    )
    run(firm_dir, landing)
    day1 = landing / FIRM_ID / "github_pulls" / "2026-01-05" / "pulls.json"
    day1_bytes, day1_mtime = day1.read_bytes(), day1.stat().st_mtime_ns
    os.utime(day1, ns=(day1_mtime - 10**9, day1_mtime - 10**9))

    (firm_dir / "github_pulls" / "pulls.json").unlink()
    write_json(
        firm_dir / "github_pulls" / "pulls-2026-01-06-fixed.json",
        [github_pull(2, "alice-gh", "2026-01-06T09:00:00Z", state="open", merged_at=None)],
    )
    report = run(firm_dir, landing)

    day2 = landing / FIRM_ID / "github_pulls" / "2026-01-06"
    assert sorted(p.name for p in day2.iterdir()) == ["pulls-2026-01-06-fixed.json"]
    assert json.loads((day2 / "pulls-2026-01-06-fixed.json").read_text())[0]["state"] == "open"
    assert day1.read_bytes() == day1_bytes
    assert day1.stat().st_mtime_ns == day1_mtime - 10**9
    assert report.replaced_day_folders == [day2]


# -- inputs of the run as a whole ---------------------------------------------------------


def minimal_firm(root: Path) -> Path:
    firm_dir = root / "minimal"
    write_json(firm_dir / "firm.json", FIRM)
    write_org_map(firm_dir, ORG_MAP)
    return firm_dir


def test_missing_firm_json_stops_the_run(tmp_path, landing):
    firm_dir = minimal_firm(tmp_path)
    (firm_dir / "firm.json").unlink()

    with pytest.raises(InputError, match=r"firm\.json"):
        run(firm_dir, landing)
    assert not landing.exists()


@pytest.mark.parametrize(
    "content",
    [
        b'{"firm_id": "f_demo01", ',
        json.dumps({**FIRM, "firm_id": "../escape"}).encode(),
        json.dumps({k: v for k, v in FIRM.items() if k != "timezone"}).encode(),
        json.dumps({**FIRM, "schema_version": 2}).encode(),
    ],
)
def test_malformed_firm_json_stops_the_run(tmp_path, landing, content):
    firm_dir = minimal_firm(tmp_path)
    write_bytes(firm_dir / "firm.json", content)

    with pytest.raises(InputError):
        run(firm_dir, landing)


def test_missing_or_ambiguous_org_map_stops_the_run(tmp_path, landing):
    firm_dir = minimal_firm(tmp_path)
    write_csv(firm_dir / "org_map.csv", ["identity", "team"], [["a", "x"], ["A ", "y"]])
    with pytest.raises(InputError, match="second team"):
        run(firm_dir, landing)

    (firm_dir / "org_map.csv").unlink()
    with pytest.raises(InputError, match="org map"):
        run(firm_dir, landing)


def test_empty_secret_is_refused(firm_dir, landing):
    with pytest.raises(TpspError):
        run(firm_dir, landing, secret=b"")


def test_read_secret_file_strips_whitespace_and_refuses_empty(tmp_path):
    path = tmp_path / "secret"
    path.write_bytes(b"  s3cret-value\n")
    path.chmod(0o600)
    assert read_secret_file(path) == b"s3cret-value"

    path.write_bytes(b" \n\t")
    with pytest.raises(SecretError) as raised:
        read_secret_file(path)
    assert isinstance(raised.value, TpspError)
    with pytest.raises(SecretError):
        read_secret_file(tmp_path / "missing")


def test_summary_lines_name_skips_and_merged_teams_but_never_the_secret(firm_dir, landing):
    write_bytes(firm_dir / "jira_issues" / "cut.json", b'{"issues": [')
    report = run(firm_dir, landing)

    lines = report.summary()
    text = "\n".join(lines)
    assert "jira_issues/cut.json [malformed_json]" in text
    assert "search" in text
    assert SECRET.decode() not in text


# -- re-sent days, the firm-side quarantine, links and names -------------------------------


def test_a_re_sent_day_that_changes_is_appended_to_the_landing_audit(tmp_path):
    firm_dir, landing = minimal_firm(tmp_path), tmp_path / "landing"
    pulls = firm_dir / "github_pulls" / "pulls.json"
    write_json(pulls, [github_pull(1, "alice-gh", "2026-01-05T09:00:00Z")])
    run(firm_dir, landing)
    audit = landing / FIRM_ID / "landing_audit.jsonl"
    assert not audit.exists()

    run(firm_dir, landing)  # the same export again: nothing changed, nothing to record
    assert not audit.exists()

    write_json(pulls, [github_pull(1, "alice-gh", "2026-01-05T09:00:00Z", state="open")])
    report = run(firm_dir, landing)

    (line,) = audit.read_text().splitlines()
    record = json.loads(line)
    landed = landing / FIRM_ID / "github_pulls" / "2026-01-05" / "pulls.json"
    assert report.replaced_day_folders == [landed.parent]
    assert record["sequence"] == 1 and record["firm_id"] == FIRM_ID
    assert (record["source_kind"], record["export_date"]) == ("github_pulls", "2026-01-05")
    assert record["landed_files"] == [
        {"name": "pulls.json", "sha256": hashlib.sha256(landed.read_bytes()).hexdigest()}
    ]
    assert record["replaced_files"][0]["sha256"] != record["landed_files"][0]["sha256"]
    assert record["anonymizer_version"] == tpsp.__version__


def test_unreadable_raw_files_are_copied_to_the_firm_quarantine_with_a_reason(firm_dir, landing):
    write_bytes(firm_dir / "jira_issues" / "cut.json", b'{"issues": [')
    quarantine = landing.parent / "firm_quarantine"

    report = run(firm_dir, landing, quarantine=quarantine)

    (skipped,) = report.skipped_files
    kept = quarantine / FIRM_ID / "jira_issues" / "cut.json"
    assert skipped.quarantine_path == kept
    assert kept.read_bytes() == b'{"issues": ['
    assert (firm_dir / "jira_issues" / "cut.json").exists()  # the firm's original stays
    reason = json.loads(kept.with_name("cut.json.reason.json").read_text())
    assert reason["reason_code"] == "malformed_json"
    assert reason["source_kind"] == "jira_issues"
    assert reason["message"].startswith("jira_issues/cut.json: truncated or invalid JSON")


def test_symbolic_links_among_raw_exports_are_never_followed(firm_dir, landing, tmp_path):
    secret_elsewhere = tmp_path / "elsewhere.json"
    write_json(secret_elsewhere, [github_pull(99, "alice-gh", "2026-01-05T09:00:00Z")])
    os.symlink(secret_elsewhere, firm_dir / "github_pulls" / "linked.json")
    os.symlink(firm_dir / "github_pulls", firm_dir / "jira_issues" / "linked-folder")

    report = run(firm_dir, landing)

    assert sorted((s.path.as_posix(), s.code) for s in report.skipped_files) == [
        ("github_pulls/linked.json", "symlink"),
        ("jira_issues/linked-folder", "symlink"),
    ]
    assert not any("linked" in p.name for p in report.landed_files)


def test_names_that_could_be_read_as_paths_are_refused_and_others_made_safe(firm_dir, landing):
    pulls = [github_pull(70, "alice-gh", "2026-01-07T10:00:00Z")]
    write_json(firm_dir / "github_pulls" / "..\\..\\pulls.json", pulls)
    write_json(firm_dir / "github_pulls" / "Pulls export (2).json", pulls)

    report = run(firm_dir, landing)

    assert [(s.path.name, s.code) for s in report.skipped_files] == [
        ("..\\..\\pulls.json", "unsafe_name")
    ]
    day = landing / FIRM_ID / "github_pulls" / "2026-01-07"
    assert [p.name for p in day.iterdir()] == ["Pulls_export_2.json"]


def test_a_github_issues_page_lands_issues_but_not_the_pull_requests_it_lists(tmp_path):
    firm_dir, landing = minimal_firm(tmp_path), tmp_path / "landing"
    api = "https://api.github.com/repos/Acme/payments"
    issue = {
        "repository_url": api,
        "number": 7,
        "state": "closed",
        "state_reason": "completed",
        "title": "Refund fails for alice@acme.example",
        "user": {"login": "bob-gh"},
        "assignee": {"login": "alice-gh"},
        "labels": [{"name": "bug"}, {"name": "customer: Acme"}],
        "created_at": "2026-01-05T09:30:00Z",
        "closed_at": "2026-01-06T10:00:00Z",
    }
    pull = issue | {"number": 8, "pull_request": {"url": f"{api}/pulls/8", "merged_at": None}}
    write_json(firm_dir / "github_issues" / "issues.json", [issue, pull])

    report = run(firm_dir, landing)

    (landed,) = json.loads(
        (landing / FIRM_ID / "github_issues" / "2026-01-05" / "issues.json").read_text()
    )
    assert report.rows_in["github_issues"] == 2 and report.rows_out["github_issues"] == 1
    assert landed["artifact_key"] == artifact_pseudonym(SECRET, "acme/payments#7")
    assert landed["labels"] == [{"name": "bug"}]
    assert landed["team_id"] == team("payments")
    assert (landed["created_at"], landed["closed_at"]) == (
        "2026-01-05T09:00:00Z",
        "2026-01-06T10:00:00Z",
    )
