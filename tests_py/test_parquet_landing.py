"""``tpsp anonymize --format parquet``: the session demo's raw exports landed again, every
other firm in Parquet, pass the same gates and stage exactly the rows the JSON landing
staged; a Parquet file lands the same bytes on every run; the gates read a Parquet file's
every column, so a tampered or broken one is quarantined like a JSON one."""

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import E2E_SEED, query
from landing_manifest import record_in_manifest
from typer.testing import CliRunner

from expectations.runner import run_gates
from tpsp.anonymize import anonymize_firm
from tpsp.anonymize.landing import AUDIT_FILE
from tpsp.anonymize.parquet import PARQUET_LAYOUTS, ParquetLayoutError, to_parquet
from tpsp.cli import app
from tpsp.dbt_runner import run_dbt
from tpsp.demo import demo_secret

STAGING = "staging"


def _firm_dirs(raw: Path) -> list[Path]:
    return sorted(path for path in raw.iterdir() if (path / "firm.json").is_file())


def _parquet_firms(raw: Path) -> list[Path]:
    """Raw firm folders that land in Parquet: in turn, each firm sending a Parquet kind no
    firm chosen before sends, so that every Parquet kind lands in Parquet and the rest of
    the firms stay JSON."""
    chosen: list[Path] = []
    covered: set[str] = set()
    for firm in _firm_dirs(raw):
        kinds = {path.name for path in firm.iterdir() if path.name in PARQUET_LAYOUTS}
        if kinds - covered:
            chosen.append(firm)
            covered |= kinds
    return chosen


def _firm_id(firm_dir: Path) -> str:
    return json.loads((firm_dir / "firm.json").read_text())["firm_id"]


@pytest.fixture(scope="module")
def mixed(demo_run, tmp_path_factory):
    """The demo's raw exports anonymized again with the demo's secrets, every other firm
    with ``--format parquet``; gated; the staging models built from that landing."""
    out = tmp_path_factory.mktemp("parquet_landing")
    raw = demo_run.layout.raw
    in_parquet = _parquet_firms(raw)
    for firm_dir in _firm_dirs(raw):
        anonymize_firm(
            firm_dir,
            demo_secret(E2E_SEED, firm_dir.name),
            out / "landing",
            quarantine=out / "firm_quarantine",
            landing_format="parquet" if firm_dir in in_parquet else "json",
        )
    gate = run_gates(out / "landing", out / "quarantine")
    warehouse = out / "tpsp.duckdb"
    build = run_dbt(["run", "--select", f"path:models/{STAGING}"], out / "landing", warehouse)
    assert build.succeeded, build.failures
    return out, gate, warehouse


def _parquet_kinds(landing: Path) -> set[str]:
    return {path.relative_to(landing).parts[1] for path in landing.rglob("*.parquet")}


def test_parquet_firms_land_every_parquet_kind_in_parquet_and_the_others_in_json(demo_run, mixed):
    out, _, _ = mixed
    landing = out / "landing"
    in_parquet = {_firm_id(firm_dir) for firm_dir in _parquet_firms(demo_run.layout.raw)}
    assert _parquet_kinds(landing) == set(PARQUET_LAYOUTS)
    for path in landing.rglob("*.parquet"):
        assert path.relative_to(landing).parts[0] in in_parquet
    json_firm_kinds = {
        path.relative_to(landing).parts[1]
        for path in landing.glob("*/*/*/*")
        if path.relative_to(landing).parts[0] not in in_parquet
    }
    assert json_firm_kinds & set(PARQUET_LAYOUTS), "JSON firms still land those kinds as text"


def test_the_gates_pass_and_quarantine_the_same_files_in_either_format(demo_run, mixed):
    _, gate, _ = mixed

    def stems(paths) -> list[str]:
        return sorted(str(Path(path).with_suffix("")) for path in paths)

    assert gate.passed
    assert stems(gate.passed) == stems(demo_run.gate.passed)
    assert stems(q.path for q in gate.quarantined) == stems(
        q.path for q in demo_run.gate.quarantined
    )


def _staging_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = query(
        connection,
        "select table_name from information_schema.tables where table_schema = ? "
        "order by table_name",
        STAGING,
    )
    return [name for (name,) in rows]


def _staged(connection: duckdb.DuckDBPyConnection, table: str) -> Counter:
    """The table's rows without ``landed_file``, which names the file and so its format."""
    columns = [
        name
        for (name,) in query(
            connection,
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            STAGING,
            table,
        )
        if name != "landed_file"
    ]
    kept = ", ".join(f'"{name}"' for name in columns)
    return Counter(query(connection, f"select {kept} from {STAGING}.{table}"))


def test_staging_holds_exactly_the_rows_the_json_landing_staged(warehouse, mixed):
    _, _, mixed_warehouse = mixed
    tables = _staging_tables(warehouse)
    assert len(tables) >= len(PARQUET_LAYOUTS)
    # same configuration as dbt's connection to that file in this process
    with duckdb.connect(str(mixed_warehouse)) as connection:
        assert _staging_tables(connection) == tables
        for table in tables:
            json_rows, mixed_rows = _staged(warehouse, table), _staged(connection, table)
            assert json_rows or not table.startswith(tuple(f"stg_{k}__" for k in PARQUET_LAYOUTS))
            assert mixed_rows == json_rows, table


def test_staged_parquet_rows_name_their_parquet_file(mixed):
    _, _, mixed_warehouse = mixed
    with duckdb.connect(str(mixed_warehouse)) as connection:
        files = query(
            connection, f"select distinct landed_file from {STAGING}.stg_otel_genai_spans__spans"
        )
    suffixes = {Path(name).suffix for (name,) in files}
    assert suffixes == {".parquet", ".jsonl"}


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_anonymizing_again_lands_the_same_parquet_bytes_and_records_no_replacement(
    demo_run, tmp_path
):
    firm_dir = _parquet_firms(demo_run.layout.raw)[0]
    secret = demo_secret(E2E_SEED, firm_dir.name)
    landing = tmp_path / "landing"
    anonymize_firm(firm_dir, secret, landing, landing_format="parquet")
    first = _digests(landing)
    assert any(name.endswith(".parquet") for name in first)

    anonymize_firm(firm_dir, secret, landing, landing_format="parquet")

    assert _digests(landing) == first
    assert not (landing / firm_dir.name / AUDIT_FILE).exists()


def test_the_command_takes_the_format(demo_run, tmp_path):
    firm_dir = _parquet_firms(demo_run.layout.raw)[0]
    key = tmp_path / "firm.key"
    key.write_bytes(demo_secret(E2E_SEED, firm_dir.name))
    key.chmod(0o600)
    base = ["anonymize", "--firm-dir", str(firm_dir), "--secret-file", str(key)]

    parquet = CliRunner().invoke(
        app, [*base, "--landing", str(tmp_path / "p"), "--format", "parquet"]
    )
    unknown = CliRunner().invoke(app, [*base, "--landing", str(tmp_path / "x"), "--format", "xml"])

    assert parquet.exit_code == 0, parquet.output
    assert _parquet_kinds(tmp_path / "p")
    assert unknown.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_a_document_the_layout_cannot_hold_is_refused_not_truncated():
    span = {
        "attributes": [{"key": "gen_ai.request.temperature", "value": {"doubleValue": 0.2}}],
        "spanId": "h_1",
    }
    document = {"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}

    with pytest.raises(ParquetLayoutError, match="otel_genai_spans"):
        to_parquet("otel_genai_spans", (json.dumps(document) + "\n").encode())


def _one_landed_parquet_file(mixed, tmp_path: Path, kind: str) -> tuple[Path, Path]:
    """A landing holding one firm's profile and manifest and one of its ``kind`` Parquet
    files; returns (landing, the file)."""
    out, _, _ = mixed
    source = sorted((out / "landing").glob(f"*/{kind}/*/*.parquet"))[0]
    relative = source.relative_to(out / "landing")
    landing = tmp_path / "landing"
    firm = landing / relative.parts[0]
    shutil.copytree(out / "landing" / relative.parts[0], firm)
    for path in firm.glob("*/*/*"):
        if path.relative_to(landing) != relative:
            path.unlink()
    return landing, landing / relative


def test_a_parquet_file_with_an_extra_column_holding_an_email_is_quarantined(mixed, tmp_path):
    landing, landed = _one_landed_parquet_file(mixed, tmp_path, "litellm_spend")
    tampered = tmp_path / "tampered.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select *, 'jane.doe@example.com' as user_email from read_parquet('{landed}'))"
            f" to '{tampered}' (format parquet)"
        )
    shutil.move(tampered, landed)
    record_in_manifest(landing, landed.relative_to(landing))

    report = run_gates(landing, tmp_path / "quarantine")

    assert [q.path for q in report.quarantined] == [landed.relative_to(landing)]
    assert "jane.doe@example.com" not in report.quarantined[0].message
    assert "holds an email address" in report.quarantined[0].message


def test_a_broken_parquet_file_is_quarantined_as_unparseable(mixed, tmp_path):
    landing, landed = _one_landed_parquet_file(mixed, tmp_path, "otel_genai_spans")
    landed.write_bytes(landed.read_bytes()[:-200])
    record_in_manifest(landing, landed.relative_to(landing))

    report = run_gates(landing, tmp_path / "quarantine")

    assert [(q.path, q.reason_code) for q in report.quarantined] == [
        (landed.relative_to(landing), "unparseable")
    ]
    assert (tmp_path / "quarantine" / landed.relative_to(landing)).is_file()
