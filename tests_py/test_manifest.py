"""The export manifest: the anonymizer lists what it lands, the warehouse's gates verify it."""

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures_raw import SECRET, build_firm, github_pull, write_json
from typer.testing import CliRunner

import tpsp
from expectations.runner import Gate, GateReport, run_gates
from expectations.suites import SUITES
from orchestration.defs.landing.gating import gate_firm
from tpsp.anonymize import anonymize_firm
from tpsp.anonymize.allow_lists import allow_lists_version
from tpsp.anonymize.manifest import MANIFEST_FILE, ManifestError, read_manifest
from tpsp.cli import app
from tpsp.source_kinds import SOURCE_KINDS

FIRM_ID = "f_demo01"
TAMPERED = Path(FIRM_ID, "github_pulls", "2026-01-06", "pulls.json")


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture
def landed(tmp_path: Path) -> Path:
    """One firm's landing as its anonymizer wrote it (every kind of ``build_firm``)."""
    anonymize_firm(build_firm(tmp_path / "raw"), SECRET, tmp_path / "landing")
    return tmp_path / "landing"


def manifest_of(landing: Path) -> dict[str, Any]:
    return json.loads((landing / FIRM_ID / MANIFEST_FILE).read_text())


def data_files(landing: Path, firm_id: str = FIRM_ID) -> list[Path]:
    return sorted(p.relative_to(landing) for p in landing.glob(f"{firm_id}/*/*/*") if p.is_file())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def reason_of(quarantine: Path, relative: Path) -> dict[str, Any]:
    return json.loads((quarantine / relative.parent / f"{relative.name}.reason.json").read_text())


def tamper(landing: Path, relative: Path = TAMPERED) -> None:
    """Raise a count in a landed file after the export, keeping it valid for every suite."""
    path = landing / relative
    pulls = json.loads(path.read_text())
    pulls[0]["additions"] += 1000
    path.write_text(json.dumps(pulls))


# -- what the anonymizer writes ----------------------------------------------------------------


def test_every_export_lists_each_landed_file_with_its_sha256_rows_and_rules(landed):
    manifest = manifest_of(landed)

    assert manifest["manifest_version"] == 1 and manifest["firm_id"] == FIRM_ID
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(listed) == [Path(*p.parts[1:]).as_posix() for p in data_files(landed)]
    for path, entry in listed.items():
        data = (landed / FIRM_ID / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == len(SUITES[path.split("/")[0]].flatten(landed / FIRM_ID / path))
    (rules,) = manifest["rules"].values()
    assert {entry["rules"] for entry in manifest["files"]} == set(manifest["rules"])
    assert rules["anonymizer_version"] == tpsp.__version__
    assert rules["min_team_size"] == 3 and rules["small_teams_bucket"] == "small_teams"
    assert rules["timestamps"] == "utc, floored to the hour"
    assert rules["pseudonyms"] == "hmac-sha256, hex truncated to 16"
    assert rules["allow_lists"] == allow_lists_version()
    assert "email addresses" in rules["refused_in_output"]


def test_the_manifest_names_no_firm_json_audit_or_hidden_file(landed, tmp_path):
    anonymize_firm(build_firm(tmp_path / "again"), SECRET, landed)

    paths = [entry["path"] for entry in manifest_of(landed)["files"]]
    assert all(path.count("/") == 2 for path in paths)
    assert not list((landed / FIRM_ID).glob(".*"))  # no partial manifest left behind


def test_a_re_sent_day_replaces_only_that_days_entries_and_keeps_their_rules(tmp_path):
    firm_dir, landing = build_firm(tmp_path / "raw"), tmp_path / "landing"
    anonymize_firm(firm_dir, SECRET, landing)
    before = {entry["path"]: entry for entry in manifest_of(landing)["files"]}
    for path in firm_dir.iterdir():
        if path.is_dir() and path.name != "github_pulls":
            shutil.rmtree(path)
    write_json(
        firm_dir / "github_pulls" / "pulls.json",
        [github_pull(42, "alice-gh", "2026-01-05T08:12:00Z", state="open", merged_at=None)],
    )

    anonymize_firm(firm_dir, SECRET, landing, min_team_size=2)

    manifest = manifest_of(landing)
    after = {entry["path"]: entry for entry in manifest["files"]}
    resent = "github_pulls/2026-01-05/pulls.json"
    assert after.keys() == before.keys()
    assert after[resent]["sha256"] != before[resent]["sha256"]
    assert {path: e for path, e in after.items() if path != resent} == {
        path: e for path, e in before.items() if path != resent
    }
    assert len(manifest["rules"]) == 2
    assert manifest["rules"][after[resent]["rules"]]["min_team_size"] == 2


def test_re_running_the_same_export_leaves_the_manifest_byte_identical(landed, tmp_path):
    before = (landed / FIRM_ID / MANIFEST_FILE).read_bytes()
    anonymize_firm(build_firm(tmp_path / "same"), SECRET, landed)
    assert (landed / FIRM_ID / MANIFEST_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: "not json", "not readable JSON"),
        (lambda m: m | {"manifest_version": 2}, "manifest_version"),
        (lambda m: m | {"firm_id": "f_someone_else"}, "names firm 'f_someone_else'"),
        (lambda m: m | {"files": m["files"] + m["files"][:1]}, "a second time"),
        (lambda m: m | {"files": [m["files"][0] | {"sha256": "ABC"}]}, "sha256"),
        (lambda m: m | {"files": [m["files"][0] | {"path": "../../etc/passwd"}]}, "path"),
        (lambda m: m | {"files": [m["files"][0] | {"rows": -1}]}, "rows"),
        (lambda m: m | {"files": [m["files"][0] | {"rules": "r_nowhere"}]}, "no rule set"),
    ],
)
def test_a_malformed_manifest_is_refused_with_a_one_line_reason(landed, change, expected):
    path = landed / FIRM_ID / MANIFEST_FILE
    changed = change(json.loads(path.read_text()))
    path.write_text(changed if isinstance(changed, str) else json.dumps(changed))

    with pytest.raises(ManifestError, match=expected) as raised:
        read_manifest(path, FIRM_ID)
    assert "\n" not in str(raised.value)


# -- what the warehouse checks -----------------------------------------------------------------


def test_every_file_its_manifest_lists_passes_even_when_others_are_gone(landed, tmp_path, gate):
    """Entries whose file was quarantined or deleted by retention since are no failure."""
    (landed / FIRM_ID / "jira_issues" / "2026-03-01" / "page-1.json").unlink()

    report = run_gates(landed, tmp_path / "quarantine", gate=gate)

    assert report.quarantined == []
    assert report.passed == data_files(landed)


def test_a_file_tampered_after_export_is_quarantined_and_the_rest_still_pass(
    landed, tmp_path, gate
):
    quarantine = tmp_path / "quarantine"
    untouched = [path for path in data_files(landed) if path != TAMPERED]
    tamper(landed)
    tampered_sha = hashlib.sha256((landed / TAMPERED).read_bytes()).hexdigest()

    report = run_gates(landed, quarantine, gate=gate)

    (item,) = report.quarantined
    assert (item.path, item.reason_code) == (TAMPERED, "manifest_mismatch")
    assert report.passed == untouched
    assert not (landed / TAMPERED).exists() and (quarantine / TAMPERED).is_file()
    reason = reason_of(quarantine, TAMPERED)
    assert reason["reason_code"] == "manifest_mismatch"
    assert reason["source_kind"] == "github_pulls" and reason["date"] == "2026-01-06"
    message = reason["message"]
    assert "\n" not in message and TAMPERED.as_posix() in message
    assert tampered_sha in message and "re-runs tpsp anonymize" in message
    assert reason["failed_expectations"] == []

    landing_after, quarantine_after = snapshot(landed), snapshot(quarantine)
    again = run_gates(landed, quarantine, gate=gate)

    assert again.quarantined == [] and again.passed == untouched
    assert snapshot(landed) == landing_after and snapshot(quarantine) == quarantine_after


def test_the_firms_re_export_of_the_tampered_day_passes_again(landed, tmp_path, gate):
    tamper(landed)
    run_gates(landed, tmp_path / "quarantine", gate=gate)

    anonymize_firm(build_firm(tmp_path / "resend"), SECRET, landed)
    report = run_gates(landed, tmp_path / "quarantine", gate=gate)

    assert report.quarantined == [] and TAMPERED in report.passed


def test_a_landed_file_missing_from_the_manifest_is_quarantined(landed, tmp_path, gate):
    stray = TAMPERED.with_name("pulls-extra.json")
    shutil.copy(landed / TAMPERED, landed / stray)  # valid content, but nobody exported it

    report = run_gates(landed, tmp_path / "quarantine", gate=gate)

    (item,) = report.quarantined
    assert (item.path, item.reason_code) == (stray, "not_in_manifest")
    assert f"{FIRM_ID}/{MANIFEST_FILE}" in item.message
    assert reason_of(tmp_path / "quarantine", stray)["reason_code"] == "not_in_manifest"
    assert TAMPERED in report.passed


def test_a_firm_folder_without_a_manifest_has_every_file_quarantined(landed, tmp_path, gate):
    files = data_files(landed)
    (landed / FIRM_ID / MANIFEST_FILE).unlink()

    report = run_gates(landed, tmp_path / "quarantine", gate=gate)

    assert report.passed == []
    assert sorted(item.path for item in report.quarantined) == files
    assert {item.reason_code for item in report.quarantined} == {"manifest_missing"}
    assert f"{FIRM_ID}/{MANIFEST_FILE} is missing" in report.quarantined[0].message
    assert (landed / FIRM_ID / "firm.json").is_file()


def test_a_malformed_manifest_is_moved_out_with_the_firms_files(landed, tmp_path, gate):
    quarantine, files = tmp_path / "quarantine", data_files(landed)
    (landed / FIRM_ID / MANIFEST_FILE).write_text('{"manifest_version": 1, "files": ')

    report = run_gates(landed, quarantine, gate=gate)

    assert report.passed == []
    codes = {item.path: item.reason_code for item in report.quarantined}
    assert codes.pop(Path(FIRM_ID, MANIFEST_FILE)) == "manifest_malformed"
    assert sorted(codes) == files
    assert set(codes.values()) == {"manifest_malformed"}
    assert (quarantine / FIRM_ID / MANIFEST_FILE).is_file()
    assert reason_of(quarantine, Path(FIRM_ID, MANIFEST_FILE))["reason_code"] == (
        "manifest_malformed"
    )


def test_one_firms_tampered_file_leaves_another_firms_files_alone(landed, tmp_path, gate):
    other = build_firm(tmp_path / "other")
    profile = json.loads((other / "firm.json").read_text()) | {"firm_id": "f_other02"}
    (other / "firm.json").write_text(json.dumps(profile))
    anonymize_firm(other, b"the other firm's secret", landed)
    tamper(landed)

    report = run_gates(landed, tmp_path / "quarantine", gate=gate)

    assert [(item.path, item.reason_code) for item in report.quarantined] == [
        (TAMPERED, "manifest_mismatch")
    ]
    assert set(data_files(landed, "f_other02")) <= set(report.passed)


def test_gating_only_some_days_checks_them_against_the_manifest(landed, tmp_path, gate):
    tamper(landed)

    firm_gate = gate_firm(
        landed,
        tmp_path / "quarantine",
        FIRM_ID,
        kinds=["github_pulls"],
        all_kinds=list(SOURCE_KINDS),
        days=["2026-01-05", "2026-01-06"],
        gate=gate,
    )

    report: GateReport = firm_gate.report
    assert [(item.path, item.reason_code) for item in report.quarantined] == [
        (TAMPERED, "manifest_mismatch")
    ]
    assert report.passed == [Path(FIRM_ID, "github_pulls", "2026-01-05", "pulls.json")]
    assert not (landed / TAMPERED).exists()
    assert (landed / FIRM_ID / MANIFEST_FILE).is_file()
    assert not (landed / ".tpsp-gating").exists()


def test_the_gate_command_reports_the_tampered_file_and_its_reason(landed, tmp_path):
    tamper(landed)

    result = CliRunner().invoke(
        app, ["gate", "--landing", str(landed), "--quarantine", str(tmp_path / "quarantine")]
    )

    assert result.exit_code == 0, result.output
    assert "[manifest_mismatch]" in result.output
    assert TAMPERED.as_posix() in " ".join(result.output.split())
