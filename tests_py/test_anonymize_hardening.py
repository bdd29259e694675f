"""The anonymizer's edges: where the secret comes from and where it never goes, the dry run,
and the allow-lists that keep every field a kind does not name out of the landing."""

import csv
import gzip
import io
import json
import logging
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fixtures_raw import (
    DAY1,
    ORG_MAP,
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
    write_json,
    write_jsonl,
    write_org_map,
)
from typer.testing import CliRunner

from expectations.suites import SUITES
from tpsp.anonymize import SecretError, anonymize_firm, read_secret, read_secret_file
from tpsp.anonymize.allow_lists import allow_lists_version, fields_outside
from tpsp.anonymize.kinds import KINDS, github_pulls
from tpsp.anonymize.manifest import MANIFEST_FILE, read_manifest
from tpsp.cli import app
from tpsp.errors import LeakError
from tpsp.source_kinds import SOURCE_KINDS

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
FIRM_ID = "f_demo01"
KNOWN_SECRET = "Kn0wn-Secret/for+grep=tests"


def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def secret_file(folder: Path, secret: str = KNOWN_SECRET, mode: int = 0o600) -> Path:
    path = folder / "firm.key"
    path.write_text(secret + "\n")
    path.chmod(mode)
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- the secret -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660, 0o700 | 0o004])
def test_a_secret_file_open_to_group_or_others_is_refused_with_the_chmod_hint(tmp_path, mode):
    path = secret_file(tmp_path, mode=mode)

    with pytest.raises(SecretError) as raised:
        read_secret_file(path)

    message = str(raised.value)
    assert "\n" not in message
    assert f"chmod 600 {path}" in message and f"{mode:04o}" in message
    assert KNOWN_SECRET not in message


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_a_secret_file_only_its_owner_can_read_is_accepted(tmp_path, mode):
    assert read_secret_file(secret_file(tmp_path, mode=mode)) == KNOWN_SECRET.encode()


def test_the_secret_comes_from_tpsp_secret_when_no_file_is_given(tmp_path):
    assert read_secret(None, {"TPSP_SECRET": f"  {KNOWN_SECRET}\n"}) == KNOWN_SECRET.encode()
    file_secret = secret_file(tmp_path, "from-the-file")
    assert read_secret(file_secret, {"TPSP_SECRET": KNOWN_SECRET}) == b"from-the-file"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({}, "pass --secret-file, or set TPSP_SECRET"), ({"TPSP_SECRET": " \n"}, "TPSP_SECRET is")],
)
def test_no_secret_or_an_empty_variable_is_refused(environ, expected):
    with pytest.raises(SecretError, match=expected):
        read_secret(None, environ)


def test_the_command_reads_tpsp_secret_and_lands_what_the_same_secret_in_a_file_lands(
    tmp_path,
):
    firm_dir = build_firm(tmp_path / "raw")
    from_env = tmp_path / "from_env"
    from_file = tmp_path / "from_file"

    env_code, env_output = cli(
        "anonymize", "--firm-dir", str(firm_dir), "--landing", str(from_env),
        env={"TPSP_SECRET": KNOWN_SECRET},
    )  # fmt: skip
    file_code, _ = cli(
        "anonymize", "--firm-dir", str(firm_dir), "--landing", str(from_file),
        "--secret-file", str(secret_file(tmp_path)),
    )  # fmt: skip

    assert (env_code, file_code) == (0, 0), env_output
    assert files_under(from_env) == files_under(from_file)


def test_the_command_refuses_a_shared_secret_file_before_reading_anything(tmp_path):
    firm_dir = build_firm(tmp_path / "raw")
    shared = secret_file(tmp_path, mode=0o644)

    code, output = cli(
        "anonymize", "--firm-dir", str(firm_dir), "--landing", str(tmp_path / "landing"),
        "--secret-file", str(shared),
    )  # fmt: skip

    assert code == 1
    assert "chmod 600" in output and KNOWN_SECRET not in output
    assert not (tmp_path / "landing").exists()


def test_the_secret_appears_in_no_output_log_report_or_written_file(tmp_path, caplog):
    """Every way a run can speak: real and dry runs, a re-run, a re-sent day, a skipped file
    kept in the firm quarantine, a refused run, a refused key file, and the warehouse gate."""
    caplog.set_level(logging.DEBUG)
    firm_dir = build_firm(tmp_path / "raw")
    write_bytes(firm_dir / "jira_issues" / "cut.json", b'{"issues": [')
    key = secret_file(tmp_path)
    landing, firm_quarantine = tmp_path / "landing", tmp_path / "firm_quarantine"
    anonymize = (
        "anonymize", "--firm-dir", str(firm_dir), "--landing", str(landing),
        "--quarantine", str(firm_quarantine),
    )  # fmt: skip

    outputs = [
        cli(*anonymize, "--secret-file", str(key), "--dry-run"),
        cli(*anonymize, "--secret-file", str(key)),
        cli(*anonymize, env={"TPSP_SECRET": KNOWN_SECRET}),  # the same run again
    ]
    write_json(
        firm_dir / "github_pulls" / "pulls.json",
        [github_pull(42, "alice-gh", "2026-01-05T08:12:00Z", state="open", merged_at=None)],
    )
    outputs.append(cli(*anonymize, "--secret-file", str(key)))  # a re-sent day
    write_org_map(firm_dir, [*ORG_MAP, ("x@acme.example", "Done", "x")])  # Jira's "Done"
    outputs.append(cli(*anonymize, "--secret-file", str(key)))  # refused: a leak
    key.chmod(0o644)
    outputs.append(cli(*anonymize, "--secret-file", str(key)))  # refused: a shared key
    outputs.append(
        cli("gate", "--landing", str(landing), "--quarantine", str(tmp_path / "quarantine"))
    )

    codes = [code for code, _ in outputs]
    assert codes == [0, 0, 0, 0, 1, 1, 0], [output for _, output in outputs]
    assert (landing / FIRM_ID / "landing_audit.jsonl").is_file()
    assert (firm_quarantine / FIRM_ID / "jira_issues" / "cut.json.reason.json").is_file()
    written = {
        name: data
        for folder in (landing, firm_quarantine, tmp_path / "quarantine")
        for name, data in files_under(folder).items()
    }
    assert len(written) > 12
    needles = {KNOWN_SECRET, KNOWN_SECRET.lower()}
    for needle in needles:
        assert all(needle not in output for _, output in outputs)
        assert needle not in caplog.text
        assert [name for name, data in written.items() if needle.encode() in data] == []


# -- determinism ------------------------------------------------------------------------------


def test_same_input_and_secret_land_byte_identical_files_and_manifest(tmp_path):
    firm_dir = build_firm(tmp_path / "raw")
    anonymize_firm(firm_dir, SECRET, tmp_path / "one")
    anonymize_firm(firm_dir, SECRET, tmp_path / "two")
    anonymize_firm(firm_dir, SECRET, tmp_path / "two")  # again over its own landing

    one, two = files_under(tmp_path / "one"), files_under(tmp_path / "two")
    assert f"{FIRM_ID}/{MANIFEST_FILE}" in one
    assert one == two


def test_a_different_secret_gives_different_pseudonyms_and_digests_with_the_same_layout(
    tmp_path,
):
    firm_dir = build_firm(tmp_path / "raw")
    anonymize_firm(firm_dir, SECRET, tmp_path / "one")
    anonymize_firm(firm_dir, b"a different secret", tmp_path / "two")

    one = read_manifest(tmp_path / "one" / FIRM_ID / MANIFEST_FILE)
    two = read_manifest(tmp_path / "two" / FIRM_ID / MANIFEST_FILE)
    assert one.files.keys() == two.files.keys()
    for path, entry in one.files.items():
        assert entry.rows == two.files[path].rows
        assert entry.sha256 != two.files[path].sha256
    pulls = [
        json.loads(
            (tmp_path / side / FIRM_ID / "github_pulls" / "2026-01-05" / "pulls.json").read_text()
        )
        for side in ("one", "two")
    ]
    assert pulls[0][0]["team_id"] != pulls[1][0]["team_id"]
    assert pulls[0][0]["artifact_key"] != pulls[1][0]["artifact_key"]


# -- the dry run ------------------------------------------------------------------------------

ROWS_LINE = re.compile(r"^\s*rows (\w+) (\d{4}-\d{2}-\d{2}): (\d+) ", re.MULTILINE)


def landed_rows(landing: Path, firm_id: str) -> Counter:
    """Records per source kind and day in the landed files, as the warehouse's gates read
    them (independently of the anonymizer's own count)."""
    rows: Counter = Counter()
    for path in sorted(landing.glob(f"{firm_id}/*/*/*")):
        kind, day = path.parts[-3], path.parts[-2]
        rows[(kind, day)] += len(SUITES[kind].flatten(path))
    return rows


def test_a_dry_run_writes_nothing_and_prints_what_a_real_run_then_lands(tmp_path):
    shutil.copytree(VENDOR, tmp_path / "raw" / "vendor")
    firm_dir = tmp_path / "raw" / "vendor"
    write_bytes(firm_dir / "jira_issues" / "cut.json", b'{"issues": [')
    key = secret_file(tmp_path)
    landing, firm_quarantine = tmp_path / "landing", tmp_path / "firm_quarantine"
    args = [
        "anonymize", "--firm-dir", str(firm_dir), "--secret-file", str(key),
        "--landing", str(landing), "--quarantine", str(firm_quarantine),
    ]  # fmt: skip

    code, output = cli(*args, "--dry-run")

    assert code == 0, output
    assert "dry run" in output and "nothing written" in output
    assert not landing.exists() and not firm_quarantine.exists()
    printed = Counter({(kind, day): int(rows) for kind, day, rows in ROWS_LINE.findall(output)})
    assert {kind for kind, _ in printed} == set(SOURCE_KINDS)

    code, output = cli(*args)

    assert code == 0, output
    assert printed == landed_rows(landing, "f_vendorfix")
    manifest = read_manifest(landing / "f_vendorfix" / MANIFEST_FILE)
    listed: Counter = Counter()
    for entry in manifest.files.values():
        kind, day, _ = entry.path.split("/")
        listed[(kind, day)] += entry.rows
    assert printed == listed


def test_a_dry_run_counts_every_kind_and_day_as_the_gates_count_the_landed_files(tmp_path):
    shutil.copytree(VENDOR, tmp_path / "vendor")
    dry = anonymize_firm(tmp_path / "vendor", SECRET, tmp_path / "landing", dry_run=True)
    assert not (tmp_path / "landing").exists()
    real = anonymize_firm(tmp_path / "vendor", SECRET, tmp_path / "landing")

    expected = landed_rows(tmp_path / "landing", "f_vendorfix")
    assert {(k, d.isoformat()): n for (k, d), n in dry.rows_by_kind_and_day().items()} == expected
    assert dry.exported == real.exported
    assert sum(e.rows for e in dry.exported) == sum(real.rows_out.values())


def test_a_dry_run_names_the_fields_each_kind_keeps_and_leaves_behind(tmp_path):
    firm_dir = build_firm(tmp_path / "raw")

    report = anonymize_firm(firm_dir, SECRET, tmp_path / "landing", dry_run=True)

    pulls_kept, pulls_dropped = (
        report.fields_kept["github_pulls"],
        report.fields_dropped["github_pulls"],
    )
    assert {"artifact_key", "team_id", "labels[].name", "head.ref"} <= set(pulls_kept)
    assert {"title", "body", "user", "number", "labels[].color", "head.sha"} <= set(pulls_dropped)
    assert "user.login" not in pulls_dropped  # the container is named, not each of its fields
    spans_dropped = report.fields_dropped["otel_genai_spans"]
    assert "resourceSpans[].scopeSpans[].spans[].attributes[user.email]" in spans_dropped
    assert "resourceSpans[].scopeSpans[].spans[].attributes[gen_ai.prompt]" in spans_dropped
    assert report.fields_dropped["daily_totals"] == ["notes"]
    assert "issues[].fields.summary" in report.fields_dropped["jira_issues"]
    for kind, kept in report.fields_kept.items():
        assert not set(kept) & set(report.fields_dropped[kind]), kind


def test_a_dry_run_over_an_earlier_landing_changes_nothing_and_names_the_days_it_would_replace(
    tmp_path,
):
    firm_dir = build_firm(tmp_path / "raw")
    landing = tmp_path / "landing"
    anonymize_firm(firm_dir, SECRET, landing)
    before = files_under(landing)

    report = anonymize_firm(firm_dir, SECRET, landing, dry_run=True)

    assert files_under(landing) == before
    assert len(report.replaced_day_folders) == len({e.path.parent for e in report.exported})
    assert report.landed_files == [] and report.manifest is None
    assert report.summary()[0].startswith(f"firm {FIRM_ID}: dry run, nothing written")


def test_a_dry_run_refuses_a_leak_like_a_real_run(tmp_path):
    firm_dir = build_firm(tmp_path / "raw")
    write_org_map(firm_dir, [*ORG_MAP, ("y@acme.example", "Done", "y")])

    with pytest.raises(LeakError, match="nothing was written"):
        anonymize_firm(firm_dir, SECRET, tmp_path / "landing", dry_run=True)


# -- allow-lists ------------------------------------------------------------------------------

SMUGGLED = {"reviewer_email": "mallory@evil.example", "api_token": "sk-proj-Zx9vT3qLmN8wP2rK7s"}


def _smuggle_into(record: dict[str, Any]) -> None:
    record.update(SMUGGLED)


def _smuggle_attributes(attributes: list[dict[str, Any]]) -> None:
    attributes.extend({"key": k, "value": {"stringValue": v}} for k, v in SMUGGLED.items())


def _records(document: Any) -> None:
    for record in document if isinstance(document, list) else [document]:
        _smuggle_into(record)


def _jira(page: dict[str, Any]) -> None:
    _smuggle_into(page)
    for issue in page["issues"]:
        _smuggle_into(issue)
        _smuggle_into(issue["fields"])
        _smuggle_into(issue["fields"]["status"])


def _usage(page: dict[str, Any]) -> None:
    _smuggle_into(page)
    for bucket in page["data"]:
        _smuggle_into(bucket)
        for result in bucket["results"]:
            _smuggle_into(result)


def _spans(line: dict[str, Any]) -> None:
    for resource_spans in line["resourceSpans"]:
        _smuggle_attributes(resource_spans["resource"]["attributes"])
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                _smuggle_into(span)
                _smuggle_attributes(span["attributes"])


def _metrics(line: dict[str, Any]) -> None:
    for resource_metrics in line["resourceMetrics"]:
        _smuggle_attributes(resource_metrics["resource"]["attributes"])
        for scope_metrics in resource_metrics["scopeMetrics"]:
            for metric in scope_metrics["metrics"]:
                _smuggle_into(metric)
                for point in metric["sum"]["dataPoints"]:
                    _smuggle_into(point)
                    _smuggle_attributes(point["attributes"])


def _activity_pages(page: dict[str, Any]) -> None:
    _smuggle_into(page)
    for record in page["data"]:
        _smuggle_into(record)
        _smuggle_into(record["actor"])
        _smuggle_into(record["core_metrics"])
        for model in record["model_breakdown"]:
            _smuggle_into(model)


def _activity_lines(line: dict[str, Any]) -> None:
    _smuggle_into(line)
    for entry in line["totals_by_ide"] + line["totals_by_feature"]:
        _smuggle_into(entry)


INJECT: dict[str, Callable[[Any], None]] = {
    "github_pulls": _records,
    "github_issues": _records,
    "github_releases": _records,
    "gitlab_merge_requests": _records,
    "deployments": _records,
    "jira_issues": _jira,
    "openai_usage": _usage,
    "anthropic_usage": _usage,
    # cost reports page their daily buckets like the usage reports
    "anthropic_cost_report": _usage,
    "openai_costs": _usage,
    "otel_genai_spans": _spans,
    "claude_code_otel": _metrics,
    "claude_code_analytics": _activity_pages,
    "copilot_usage_metrics": _activity_lines,
}


def _rewrite(path: Path, change: Callable[[Any], None]) -> None:
    """Apply ``change`` to every JSON document of a raw file (``.json``, ``.jsonl``, ``.gz``)."""
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.name.endswith(".gz") else raw).decode("utf-8-sig")
    if ".jsonl" in path.name:
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        for document in documents:
            change(document)
        text = "".join(json.dumps(document) + "\n" for document in documents)
    else:
        document = json.loads(text)
        change(document)
        text = json.dumps(document)
    write_bytes(path, text.encode("utf-8"))


def _add_columns(path: Path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0] += list(SMUGGLED)
    for row in rows[1:]:
        row += list(SMUGGLED.values())
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_fields_outside_every_kinds_allow_list_are_dropped_not_copied(tmp_path):
    firm_dir = tmp_path / "vendor"
    shutil.copytree(VENDOR, firm_dir)
    for kind in SOURCE_KINDS:
        for path in sorted((firm_dir / kind).iterdir()):
            if path.name.endswith((".csv", ".csv.gz")):
                _add_columns(path)
            else:
                _rewrite(path, INJECT[kind])

    report = anonymize_firm(firm_dir, SECRET, tmp_path / "landing")

    assert report.skipped_files == []
    assert {path.parts[-3] for path in report.landed_files} == set(SOURCE_KINDS)
    landed = files_under(tmp_path / "landing")
    for needle in [*SMUGGLED, *SMUGGLED.values()]:
        assert [name for name, data in landed.items() if needle.encode() in data] == [], needle
    warned = " ".join(w.message for w in report.warnings if w.code == "unknown_fields")
    assert "reviewer_email" in warned and "api_token" in warned


def test_every_kind_lands_only_fields_on_its_allow_list(tmp_path):
    """The run refuses any other field; this reads the landed bytes back to be sure."""
    shutil.copytree(VENDOR, tmp_path / "vendor")
    anonymize_firm(tmp_path / "vendor", SECRET, tmp_path / "landing")

    paths = sorted((tmp_path / "landing" / "f_vendorfix").glob("*/*/*"))
    assert {path.parts[-3] for path in paths} == set(SOURCE_KINDS)
    for path in paths:
        text = path.read_text()
        if path.suffix == ".json":
            content: Any = json.loads(text)
        elif path.suffix == ".jsonl":
            content = [json.loads(line) for line in text.splitlines()]
        else:
            content = list(csv.DictReader(io.StringIO(text)))
        assert fields_outside(path.parts[-3], content) == [], path


def test_a_transform_that_starts_copying_a_field_through_is_refused(tmp_path, monkeypatch):
    firm_dir = build_firm(tmp_path / "raw")
    original = github_pulls._pull

    def leaky(pull: Any, ctx: Any) -> dict[str, Any]:
        return original(pull, ctx) | {"merge_commit_sha": "6dcb09b5b5"}

    monkeypatch.setattr(github_pulls, "_pull", leaky)

    with pytest.raises(LeakError) as raised:
        anonymize_firm(firm_dir, SECRET, tmp_path / "landing")
    assert "merge_commit_sha" in str(raised.value)
    assert "outside the github_pulls allow-list" in str(raised.value)
    assert not (tmp_path / "landing").exists()


def test_the_allow_lists_fingerprint_is_stable_and_in_the_manifest(tmp_path):
    firm_dir = build_firm(tmp_path / "raw")
    anonymize_firm(firm_dir, SECRET, tmp_path / "landing")

    manifest = read_manifest(tmp_path / "landing" / FIRM_ID / MANIFEST_FILE)
    (rules,) = manifest.rules.values()
    assert rules["allow_lists"] == allow_lists_version()
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", allow_lists_version())
    assert all(module.LANDED_FIELDS for module in KINDS.values())


# -- leaks smuggled into kept free-text fields -------------------------------------------------

SMUGGLED_VALUES = {
    "an email address": "ops-lead@partner.example",
    "an IP address": "10.20.30.40",
    "a URL with a host": "https://intranet.acme.example/wiki",
}


def _jira_status(firm_dir: Path, value: str) -> None:
    issue = jira_issue("PAY-500", "acc-alice", "2026-03-05T10:00:00.000+0000", status=value)
    write_json(firm_dir / "jira_issues" / "smuggled.json", jira_page([issue]))


def _jira_resolution(firm_dir: Path, value: str) -> None:
    issue = jira_issue("PAY-501", "acc-alice", "2026-03-05T10:00:00.000+0000")
    issue["fields"]["resolution"] = {"name": f"Won't do, see {value}"}
    write_json(firm_dir / "jira_issues" / "smuggled.json", jira_page([issue]))


def _openai_model(firm_dir: Path, value: str) -> None:
    page = openai_page([(seconds(DAY1), [openai_result("user-bob", 1, 1, model=value)])])
    write_json(firm_dir / "openai_usage" / "smuggled.json", page)


def _otel_model(firm_dir: Path, value: str) -> None:
    span = otel_span("ffff0000000000aa", DAY1, "bob@acme.example", model=f"proxy {value}")
    write_jsonl(firm_dir / "otel_genai_spans" / "smuggled.jsonl", [otel_line([span])])


def _github_state(firm_dir: Path, value: str) -> None:
    pull = github_pull(77, "alice-gh", "2026-01-05T10:00:00Z", state=value)
    write_json(firm_dir / "github_pulls" / "smuggled.json", [pull])


SMUGGLERS = {
    "jira status": (_jira_status, "fields.status.name"),
    "jira resolution": (_jira_resolution, "fields.resolution.name"),
    "openai model": (_openai_model, "model"),
    "otel request model": (_otel_model, "gen_ai.request.model"),
    "github state": (_github_state, "state"),
}


@pytest.mark.parametrize("what", sorted(SMUGGLED_VALUES))
@pytest.mark.parametrize("where", sorted(SMUGGLERS))
def test_personal_data_smuggled_into_a_kept_text_field_refuses_the_run(tmp_path, where, what):
    firm_dir = build_firm(tmp_path / "raw")
    smuggle, field = SMUGGLERS[where]
    value = SMUGGLED_VALUES[what]
    smuggle(firm_dir, value)

    with pytest.raises(LeakError) as raised:
        anonymize_firm(firm_dir, SECRET, tmp_path / "landing")

    message = str(raised.value)
    assert f"would contain {what}" in message and field in message
    assert value not in message and "\n" not in message
    assert not (tmp_path / "landing").exists()
