"""The bad-input battery: whatever a firm's tools export, or whatever lands, the pipeline keeps
every good row and sets the bad file aside with a reason.

Two good firms are built from the hand-written vendor fixtures: ``f_batteryA`` with every
kind but daily totals, ``f_batteryB`` with daily totals only. Each case plants one bad input,
either among a firm's raw exports (the firm's ``tpsp anonymize`` sets it aside in the
firm-side quarantine) or straight into the landing zone (``tpsp build``'s gates move it to
the warehouse quarantine). The whole consortium then runs once, through the command line,
and every case asserts: a one-line message naming the file and the reason, the file in
quarantine with its ``reason.json``, every good row of every other file in the marts, and an
exit status that is non-zero only when a run could not proceed at all.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from landing_manifest import record_in_manifest
from typer.testing import CliRunner

from tpsp.cli import app

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
FIRM_A, FIRM_B = "f_batteryA", "f_batteryB"
DAY = "2026-03-02"
BIG_FILE_BYTES = 200 * 1024 * 1024
PRISTINE = "landing-as-anonymized"

# What the good files of both firms put in the marts (see test_vendor_fixtures.py): tokens per
# source kind, LiteLLM's proxy-cache hit left out; artifacts of firm A (drafts left out).
GOOD_TOKENS = {
    "otel_genai_spans": 50_800,
    "openai_usage": 24_100,
    "anthropic_usage": 27_670,
    "claude_code_otel": 103_130,
    "litellm_spend": 19_700,
    "daily_totals": 250_000,
}
GOOD_ARTIFACTS = {
    "github_pulls": 3,
    "gitlab_merge_requests": 3,
    "jira_issues": 4,
    "github_issues": 4,
    "linear_issues": 4,
    "github_releases": 3,
}


@dataclass(frozen=True)
class Case:
    where: str  # "raw": among a firm's exports; "landing": in the landing zone
    path: str  # the bad file, relative to the firm folder (raw) or the landing (landing)
    code: str  # the reason code in reason.json
    plant: Callable[[Path], None]  # writes the bad input below its root


# -- raw exports ----------------------------------------------------------------------------


def vendor_text(kind: str, name: str) -> str:
    return (VENDOR / kind / name).read_text(encoding="utf-8-sig")


def raw_truncated_json(root: Path) -> None:
    text = vendor_text("github_pulls", "pulls_p1.json")
    (root / "github_pulls" / "pulls_p9.json").write_text(text[: len(text) // 2])


def raw_wrong_encoding(root: Path) -> None:
    text = vendor_text("linear_issues", "Linear export 2026-03-05.csv").replace("Rotate", "Rôtate")
    (root / "linear_issues" / "export-latin1.csv").write_bytes(text.encode("latin-1"))


def raw_zero_byte_gz(root: Path) -> None:
    (root / "otel_genai_spans" / "traces-2026-03-09.jsonl.gz").write_bytes(b"")


def raw_empty_file(root: Path) -> None:
    (root / "jira_issues" / "search_p3.json").write_bytes(b"")


def raw_corrupt_gz(root: Path) -> None:
    (root / "claude_code_otel" / "metrics-2026-03-09.jsonl.gz").write_bytes(b"\x1f\x8bnot gzip")


def raw_path_traversal(root: Path) -> None:
    (root / "github_pulls" / "..\\..\\etc\\cron.d\\pulls.json").write_text("[]")


def raw_symlink(root: Path) -> None:
    os.symlink("/etc/hostname", root / "github_releases" / "releases_p2.json")


def raw_unknown_kind(root: Path) -> None:
    (root / "slack_messages").mkdir()
    (root / "slack_messages" / "export.json").write_text('[{"text": "hello"}]')


def raw_missing_column(root: Path) -> None:
    rows = list(csv.reader(io.StringIO(vendor_text("litellm_spend", "spend_logs_overlap.csv"))))
    at = rows[0].index("prompt_tokens")
    trimmed = [row[:at] + row[at + 1 :] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(trimmed)
    (root / "litellm_spend" / "spend_logs_no_prompt.csv").write_text(buffer.getvalue())


# -- landed files ---------------------------------------------------------------------------


def landed(landing: Path, kind: str, day: str = DAY, firm: str = FIRM_A) -> Path:
    """A good landed file of firm A's ``kind`` on ``day`` (the first, by name), read from the
    copy of the landing taken before any bad file was planted."""
    return sorted((landing.with_name(PRISTINE) / firm / kind / day).iterdir())[0]


def put(landing: Path, relative: str, data: bytes | str) -> None:
    """Plant a landed file, listed in its firm's manifest as if the firm had sent it."""
    target = landing / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    record_in_manifest(landing, relative)


def json_of(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def landing_truncated_json(landing: Path) -> None:
    text = landed(landing, "jira_issues").read_text()
    put(landing, f"{FIRM_A}/jira_issues/{DAY}/cut.json", text[:-40])


def landing_wrong_encoding(landing: Path) -> None:
    text = landed(landing, "daily_totals", firm=FIRM_B).read_text()
    put(landing, f"{FIRM_B}/daily_totals/{DAY}/totals-utf16.csv", text.encode("utf-16"))


def landing_empty_file(landing: Path) -> None:
    put(landing, f"{FIRM_A}/claude_code_otel/{DAY}/empty.jsonl", b"")


def landing_zero_byte_gz(landing: Path) -> None:
    put(landing, f"{FIRM_A}/github_releases/2026-03-03/releases.json.gz", b"")


def landing_negative_tokens(landing: Path) -> None:
    rows = csv_rows(landed(landing, "litellm_spend"))
    rows[0]["prompt_tokens"] = "-4000"
    put(landing, f"{FIRM_A}/litellm_spend/{DAY}/negative.csv", csv_text(rows))


def landing_non_numeric_tokens(landing: Path) -> None:
    page = json_of(landed(landing, "openai_usage"))
    page["data"][0]["results"][0]["output_tokens"] = "lots"
    put(landing, f"{FIRM_A}/openai_usage/{DAY}/non-numeric.json", json.dumps(page))


def landing_implausible_tokens(landing: Path) -> None:
    lines = landed(landing, "otel_genai_spans").read_text().splitlines()
    export = json.loads(lines[0])
    span = export["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    for attribute in span["attributes"]:
        if attribute["key"] == "gen_ai.usage.input_tokens":
            attribute["value"] = {"intValue": "25000000"}
    put(landing, f"{FIRM_A}/otel_genai_spans/{DAY}/huge-call.jsonl", json.dumps(export) + "\n")


def landing_future_timestamp(landing: Path) -> None:
    issues = json_of(landed(landing, "github_issues"))
    for issue in issues:
        issue["created_at"] = "2031-01-06T10:00:00Z"
    put(landing, f"{FIRM_A}/github_issues/2031-01-06/issues.json", json.dumps(issues))


def landing_before_2020(landing: Path) -> None:
    page = json_of(landed(landing, "jira_issues"))
    for issue in page["issues"]:
        issue["fields"]["created"] = "2019-06-03T09:00:00.000+0000"
    put(landing, f"{FIRM_A}/jira_issues/2019-06-03/search.json", json.dumps(page))


def landing_wrong_folder(landing: Path) -> None:
    text = landed(landing, "anthropic_usage").read_text()
    put(landing, f"{FIRM_A}/openai_usage/{DAY}/usage_report_messages.json", text)


def landing_email(landing: Path) -> None:
    mrs = json_of(landed(landing, "gitlab_merge_requests"))
    mrs[0]["source_branch"] = "alice@quill.example"
    put(landing, f"{FIRM_A}/gitlab_merge_requests/{DAY}/email.json", json.dumps(mrs))


def landing_ip_address(landing: Path) -> None:
    deployments = json_of(landed(landing, "deployments"))
    deployments[0]["ref"] = "deploy from 10.20.30.40"
    put(landing, f"{FIRM_A}/deployments/{DAY}/ip.json", json.dumps(deployments))


def landing_url_with_host(landing: Path) -> None:
    rows = csv_rows(landed(landing, "linear_issues"))
    rows[0]["Priority"] = "see https://linear.app/quill/issue/ENG-1"
    put(landing, f"{FIRM_A}/linear_issues/{DAY}/url.csv", csv_text(rows))


def landing_duplicate_keys(landing: Path) -> None:
    pulls = json_of(landed(landing, "github_pulls"))
    put(landing, f"{FIRM_A}/github_pulls/{DAY}/twice.json", json.dumps(pulls + pulls[:1]))


def landing_missing_field(landing: Path) -> None:
    rows = csv_rows(landed(landing, "litellm_spend"))
    put(
        landing,
        f"{FIRM_A}/litellm_spend/{DAY}/no-team.csv",
        csv_text([{k: v for k, v in row.items() if k != "team_id"} for row in rows]),
    )


def landing_changed_type(landing: Path) -> None:
    pulls = json_of(landed(landing, "github_pulls"))
    pulls[0]["draft"] = "no"
    put(landing, f"{FIRM_A}/github_pulls/{DAY}/draft-text.json", json.dumps(pulls))


def landing_path_traversal(landing: Path) -> None:
    text = landed(landing, "github_pulls").read_text()
    put(landing, f"{FIRM_A}/github_pulls/{DAY}/..\\..\\..\\etc\\passwd.json", text)


def landing_symlink(landing: Path) -> None:
    os.symlink("/etc/passwd", landing / FIRM_A / "github_pulls" / DAY / "passwd.json")


def landing_unknown_kind(landing: Path) -> None:
    put(landing, f"{FIRM_A}/slack_messages/{DAY}/export.json", '[{"text": "hello"}]')


def landing_firm_json_missing(landing: Path) -> None:
    text = landed(landing, "github_pulls").read_text()
    put(landing, f"f_batteryZ/github_pulls/{DAY}/pulls.json", text)


def landing_firm_json_malformed(landing: Path) -> None:
    put(landing, "f_batteryY/firm.json", '{"firm_id": "f_batteryY", "size_band": ')
    text = landed(landing, "github_pulls").read_text()
    put(landing, f"f_batteryY/github_pulls/{DAY}/pulls.json", text)


CASES: dict[str, Case] = {
    "raw_truncated_json": Case(
        "raw", "github_pulls/pulls_p9.json", "malformed_json", raw_truncated_json
    ),
    "raw_wrong_encoding": Case(
        "raw", "linear_issues/export-latin1.csv", "bad_encoding", raw_wrong_encoding
    ),
    "raw_zero_byte_gz": Case(
        "raw", "otel_genai_spans/traces-2026-03-09.jsonl.gz", "empty_file", raw_zero_byte_gz
    ),
    "raw_empty_file": Case("raw", "jira_issues/search_p3.json", "empty_file", raw_empty_file),
    "raw_corrupt_gz": Case(
        "raw", "claude_code_otel/metrics-2026-03-09.jsonl.gz", "bad_gzip", raw_corrupt_gz
    ),
    "raw_path_traversal": Case(
        "raw", "github_pulls/..\\..\\etc\\cron.d\\pulls.json", "unsafe_name", raw_path_traversal
    ),
    "raw_symlink": Case("raw", "github_releases/releases_p2.json", "symlink", raw_symlink),
    "raw_unknown_source_kind": Case(
        "raw", "slack_messages", "unknown_source_kind", raw_unknown_kind
    ),
    "raw_missing_required_column": Case(
        "raw", "litellm_spend/spend_logs_no_prompt.csv", "missing_columns", raw_missing_column
    ),
    "landing_truncated_json": Case(
        "landing", f"{FIRM_A}/jira_issues/{DAY}/cut.json", "unparseable", landing_truncated_json
    ),
    "landing_wrong_encoding": Case(
        "landing",
        f"{FIRM_B}/daily_totals/{DAY}/totals-utf16.csv",
        "bad_encoding",
        landing_wrong_encoding,
    ),
    "landing_empty_file": Case(
        "landing", f"{FIRM_A}/claude_code_otel/{DAY}/empty.jsonl", "empty_file", landing_empty_file
    ),
    "landing_zero_byte_gz": Case(
        "landing",
        f"{FIRM_A}/github_releases/2026-03-03/releases.json.gz",
        "empty_file",
        landing_zero_byte_gz,
    ),
    "negative_tokens": Case(
        "landing",
        f"{FIRM_A}/litellm_spend/{DAY}/negative.csv",
        "gate_failed",
        landing_negative_tokens,
    ),
    "non_numeric_tokens": Case(
        "landing",
        f"{FIRM_A}/openai_usage/{DAY}/non-numeric.json",
        "gate_failed",
        landing_non_numeric_tokens,
    ),
    "implausible_tokens_in_one_call": Case(
        "landing",
        f"{FIRM_A}/otel_genai_spans/{DAY}/huge-call.jsonl",
        "gate_failed",
        landing_implausible_tokens,
    ),
    "timestamp_in_the_future": Case(
        "landing",
        f"{FIRM_A}/github_issues/2031-01-06/issues.json",
        "gate_failed",
        landing_future_timestamp,
    ),
    "timestamp_before_2020": Case(
        "landing",
        f"{FIRM_A}/jira_issues/2019-06-03/search.json",
        "gate_failed",
        landing_before_2020,
    ),
    "wrong_source_folder": Case(
        "landing",
        f"{FIRM_A}/openai_usage/{DAY}/usage_report_messages.json",
        "wrong_source_kind",
        landing_wrong_folder,
    ),
    "pii_email": Case(
        "landing",
        f"{FIRM_A}/gitlab_merge_requests/{DAY}/email.json",
        "gate_failed",
        landing_email,
    ),
    "pii_ip_address": Case(
        "landing", f"{FIRM_A}/deployments/{DAY}/ip.json", "gate_failed", landing_ip_address
    ),
    "pii_url_with_host": Case(
        "landing", f"{FIRM_A}/linear_issues/{DAY}/url.csv", "gate_failed", landing_url_with_host
    ),
    "duplicate_natural_keys": Case(
        "landing",
        f"{FIRM_A}/github_pulls/{DAY}/twice.json",
        "gate_failed",
        landing_duplicate_keys,
    ),
    "missing_required_field": Case(
        "landing",
        f"{FIRM_A}/litellm_spend/{DAY}/no-team.csv",
        "gate_failed",
        landing_missing_field,
    ),
    "changed_field_type": Case(
        "landing",
        f"{FIRM_A}/github_pulls/{DAY}/draft-text.json",
        "gate_failed",
        landing_changed_type,
    ),
    "landing_path_traversal": Case(
        "landing",
        f"{FIRM_A}/github_pulls/{DAY}/..\\..\\..\\etc\\passwd.json",
        "unsafe_name",
        landing_path_traversal,
    ),
    "landing_symlink": Case(
        "landing", f"{FIRM_A}/github_pulls/{DAY}/passwd.json", "symlink", landing_symlink
    ),
    "landing_unknown_source_kind": Case(
        "landing",
        f"{FIRM_A}/slack_messages/{DAY}/export.json",
        "unknown_source_kind",
        landing_unknown_kind,
    ),
    "firm_json_missing": Case(
        "landing",
        f"f_batteryZ/github_pulls/{DAY}/pulls.json",
        "firm_json_missing",
        landing_firm_json_missing,
    ),
    "firm_json_malformed": Case(
        "landing", "f_batteryY/firm.json", "firm_json_malformed", landing_firm_json_malformed
    ),
}
# What the reason must say, beyond its code, where the code alone does not tell.
REASONS = {
    "negative_tokens": "negative prompt_tokens",
    "non_numeric_tokens": "output_tokens has the wrong type",
    "implausible_tokens_in_one_call": "over 10,000,000 tokens in one call",
    "timestamp_in_the_future": "in the future",
    "timestamp_before_2020": "before 2020",
    "pii_email": "an email address",
    "pii_ip_address": "an IP address",
    "pii_url_with_host": "a URL with a host",
    "duplicate_natural_keys": "duplicate natural keys",
    "missing_required_field": "missing required field team_id",
    "changed_field_type": "draft has the wrong type",
    "wrong_source_folder": "holds anthropic_usage content, not openai_usage",
}


# -- the run --------------------------------------------------------------------------------


def make_firm(root: Path, firm_id: str, kinds: list[str]) -> Path:
    folder = root / firm_id
    folder.mkdir(parents=True)
    profile = json.loads((VENDOR / "firm.json").read_text()) | {"firm_id": firm_id}
    (folder / "firm.json").write_text(json.dumps(profile))
    shutil.copy(VENDOR / "org_map.csv", folder / "org_map.csv")
    for kind in kinds:
        shutil.copytree(VENDOR / kind, folder / kind)
    return folder


def write_big_spend_log(path: Path, size: int) -> None:
    """A LiteLLM spend log of ``size`` bytes whose last row was cut off mid-export."""
    header = vendor_text("litellm_spend", "spend_logs_overlap.csv").splitlines()[0]
    filler = "Refactor the refund ledger so partial refunds post once. " * 12
    template = (
        "req-{n:09d},acompletion,88dc28d0f030,0.0021,1500,1400,100,"
        "2026-03-04 10:{m:02d}:00.000,2026-03-04 10:{m:02d}:02.000,,gpt-4.1-2025-04-14,,"
        "gpt-4.1,openai,https://api.openai.com/v1,alice@quill.example,{{}},False,,[],,,,"
        '"[{{""role"": ""user"", ""content"": ""' + filler + '""}}]",{{}},,success,\n'
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        written, n = len(header) + 1, 0
        while written < size:
            block = "".join(template.format(n=n + i, m=(n + i) % 60) for i in range(2000))
            handle.write(block)
            written += len(block)
            n += 2000
        handle.write("req-999999999,acompletion,88dc28d0f030,0.0021,15")  # cut off


@dataclass
class Run:
    root: Path
    landing: Path
    quarantine: Path
    firm_quarantine: Path
    anonymize: dict[str, tuple[int, str]]  # firm folder -> exit code, output
    build: tuple[int, str]
    big: tuple[int, str, int]  # exit code, output, peak resident memory in bytes
    warehouse: Path


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def anonymize(firm: Path, root: Path) -> tuple[int, str]:
    secret = root / "secrets" / f"{firm.name}.key"
    return cli(
        "anonymize", "--firm-dir", str(firm), "--secret-file", str(secret),
        "--landing", str(root / "landing"), "--quarantine", str(root / "firm_quarantine"),
    )  # fmt: skip


# The peak resident memory of this process's own image: VmHWM starts afresh at exec, unlike
# ru_maxrss, which keeps the high-water mark of the (large) test process it was forked from.
MEASURE = """
import sys
from tpsp.cli import app
code = 0
try:
    app(sys.argv[1:])
except SystemExit as exit:
    code = exit.code or 0
status = open("/proc/self/status").read()
print("PEAK_RSS_KB", status.split("VmHWM:")[1].split()[0])
sys.exit(code)
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("battery")
    raw = root / "raw"
    (root / "secrets").mkdir()
    kinds_a = sorted(p.name for p in VENDOR.iterdir() if p.is_dir() and p.name != "daily_totals")
    firms = [make_firm(raw, FIRM_A, kinds_a), make_firm(raw, FIRM_B, ["daily_totals"])]
    broken = make_firm(raw, "f_batteryC", ["openai_usage"])
    (broken / "firm.json").write_text('{"firm_id": "f_batteryC", "timezone": ')
    big = make_firm(raw, "f_batteryD", [])
    (big / "litellm_spend").mkdir()
    write_big_spend_log(big / "litellm_spend" / "spend_logs_huge.csv", BIG_FILE_BYTES)
    for firm in [*firms, broken, big]:
        (root / "secrets" / f"{firm.name}.key").write_text(f"battery-secret-{firm.name}\n")
        (root / "secrets" / f"{firm.name}.key").chmod(0o600)
    for case in CASES.values():
        if case.where == "raw":
            case.plant(firms[0])

    outcomes = {firm.name: anonymize(firm, root) for firm in [*firms, broken]}
    measured = subprocess.run(
        [
            sys.executable, "-c", MEASURE, "anonymize", "--firm-dir", str(big),
            "--secret-file", str(root / "secrets" / "f_batteryD.key"),
            "--landing", str(root / "landing"), "--quarantine", str(root / "firm_quarantine"),
        ],
        capture_output=True, text=True, env=os.environ | {"COLUMNS": "400"}, check=False,
    )  # fmt: skip
    peak = int(measured.stdout.rsplit("PEAK_RSS_KB", 1)[1].split()[0]) * 1024

    landing = root / "landing"
    shutil.copytree(landing, root / PRISTINE)
    for case in CASES.values():
        if case.where == "landing":
            case.plant(landing)
    warehouse = root / "warehouse" / "tpsp.duckdb"
    build = cli(
        "build", "--landing", str(landing), "--quarantine", str(root / "quarantine"),
        "--warehouse", str(warehouse),
    )  # fmt: skip
    return Run(
        root,
        landing,
        root / "quarantine",
        root / "firm_quarantine",
        outcomes,
        build,
        (measured.returncode, measured.stdout, peak),
        warehouse,
    )


@pytest.fixture(scope="module")
def marts(run: Run) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(run.warehouse))  # same configuration as dbt's connection


def quarantined_copy(run: Run, case: Case) -> Path:
    """Where the case's file is kept: firm-side for raw exports, else the warehouse's."""
    from expectations.runner import _safe_relative

    if case.where == "raw":
        from tpsp.anonymize.quarantine import safe_part

        return run.firm_quarantine.joinpath(FIRM_A, *map(safe_part, Path(case.path).parts))
    return run.quarantine / _safe_relative(Path(case.path))


# -- the cases ------------------------------------------------------------------------------


def test_battery_has_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_set_aside_with_a_one_line_reason(run: Run, name: str):
    case = CASES[name]
    kept = quarantined_copy(run, case)
    reason_file = kept.with_name(kept.name + ".reason.json")
    assert kept.exists() or kept.is_symlink(), kept
    reason = json.loads(reason_file.read_text(encoding="utf-8"))
    assert reason["reason_code"] == case.code
    message = reason["message"]
    assert "\n" not in message
    name = Path(case.path).name
    assert name in message or name.encode("unicode_escape").decode() in message
    assert REASONS.get(name, "") in message
    output = run.anonymize[FIRM_A][1] if case.where == "raw" else run.build[1]
    assert message in " ".join(output.split()) or message.split(":")[0] in output
    if case.where == "landing":
        assert not (run.landing / case.path).exists()
        assert not (run.landing / case.path).is_symlink()


def test_every_good_token_of_every_other_file_is_in_the_marts(marts):
    by_kind = dict(
        marts.execute(
            """
            select source_kind, sum(total_tokens)
            from firm_private.fct_token_usage_daily group by source_kind
            """
        ).fetchall()
    )
    assert by_kind == GOOD_TOKENS


def test_every_good_artifact_of_every_other_file_is_in_the_marts(marts):
    by_kind = dict(
        marts.execute(
            """
            select source_kind, count(*) from firm_private.fct_shipped_artifacts
            where firm_id = 'f_batteryA' group by source_kind
            """
        ).fetchall()
    )
    assert by_kind == GOOD_ARTIFACTS
    firms = marts.execute("select firm_id from staging.stg_firms__firm_profiles").fetchall()
    assert sorted(firm for (firm,) in firms) == [FIRM_A, FIRM_B, "f_batteryD"]


def test_runs_fail_only_when_they_cannot_proceed(run: Run):
    assert run.anonymize[FIRM_A][0] == 0
    assert run.anonymize[FIRM_B][0] == 0
    code, output = run.anonymize["f_batteryC"]
    assert code == 1 and "firm.json is not valid JSON" in output
    kept = run.firm_quarantine / "f_batteryC" / "firm.json"
    assert kept.is_file()
    assert (
        json.loads(Path(f"{kept}.reason.json").read_text())["reason_code"] == "firm_json_unusable"
    )
    assert not (run.landing / "f_batteryC").exists()
    assert run.build[0] == 0, run.build[1]


def test_a_200_mb_export_is_streamed_with_bounded_memory(run: Run):
    code, output, peak = run.big
    assert code == 0, output
    assert "spend_logs_huge.csv" in output and "malformed_csv" in output
    kept = run.firm_quarantine / "f_batteryD" / "litellm_spend" / "spend_logs_huge.csv"
    assert kept.stat().st_size > BIG_FILE_BYTES
    reason = json.loads(Path(f"{kept}.reason.json").read_text())
    assert reason["reason_code"] == "malformed_csv" and "row" in reason["message"]
    # reading the file whole would take more than the file's size; streaming takes a fraction
    assert peak < BIG_FILE_BYTES * 0.6, f"peak resident memory {peak / 2**20:.0f} MiB"


def test_unknown_landed_fields_are_kept_out_and_warned_about(tmp_path):
    from expectations.runner import run_gates

    landing = tmp_path / "landing"
    source = VENDOR / "github_releases" / "releases_p1.json"
    firm = make_firm(tmp_path / "raw", "f_drift", ["github_releases"])
    (firm / "secret").write_text("a-secret-for-the-drift-test")
    (firm / "secret").chmod(0o600)
    cli("anonymize", "--firm-dir", str(firm), "--secret-file", str(firm / "secret"),
        "--landing", str(landing))  # fmt: skip
    path = sorted((landing / "f_drift" / "github_releases").rglob("*.json"))[0]
    releases = json.loads(path.read_text())
    for release in releases:
        release["immutable"] = True  # a field a newer anonymizer might land
    path.write_text(json.dumps(releases))
    record_in_manifest(landing, path.relative_to(landing))

    report = run_gates(landing, tmp_path / "quarantine")

    assert report.quarantined == [] and source.is_file()
    (warning,) = report.warnings
    assert warning.code == "unknown_fields" and "immutable" in warning.message
