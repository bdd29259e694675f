"""Dagster runs the warehouse: the landing sensor gates firms, blocking gate checks stop only
the blocked firm's partition, dbt models and tests become assets and checks, retention deletes
only consumed files. Everything runs in process on a small generated consortium."""

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from landing_manifest import record_in_manifest

from orchestration.definitions import build_definitions
from orchestration.defs.landing.partitions import FIRM_PARTITIONS_NAME, gate_check_key
from orchestration.defs.landing.sensors import DAYS_TAG, landing_sensor
from orchestration.defs.publishing.sensors import publish_requests
from orchestration.defs.warehouse.assets import DBT_TARGET_FOLDER
from orchestration.defs.warehouse.benchmark_gates import BenchmarkGates, gate_frame
from orchestration.defs.warehouse.resources import TpspSettings
from orchestration.defs.warehouse.schedules import daily_build_schedule

FIRMS = 5
DAYS = 35
SEED = 11
CORRUPTED_KIND = "github_pulls"
SCHEDULED_AT = datetime(2026, 11, 1, 3, tzinfo=UTC)


@dataclass
class Consortium:
    root: Path
    landing: Path
    quarantine: Path
    warehouse: Path
    corrupted: str  # firm_id/source_kind/date/file of the file delivered broken
    original: bytes  # its correct content, re-delivered later

    @property
    def corrupted_firm(self) -> str:
        return self.corrupted.split("/")[0]

    def settings(self, **overrides: object) -> TpspSettings:
        paths = {
            "landing_path": str(self.landing),
            "quarantine_path": str(self.quarantine),
            "warehouse_path": str(self.warehouse),
        }
        return TpspSettings(**{**paths, **overrides})


def make_consortium(root: Path) -> Consortium:
    """Five anonymized firms; one firm's pull-request page arrives with a negative count.

    The generator's own planted gate-breaking files are removed, so that exactly one firm
    is blocked.
    """
    from tpsp.anonymize import anonymize_firm
    from tpsp.demo import demo_secret
    from tpsp.generate import generate

    generated = generate(root, firms=FIRMS, days=DAYS, seed=SEED)
    landing = root / "landing"
    for firm_dir in generated.firm_dirs:
        anonymize_firm(firm_dir, demo_secret(SEED, firm_dir.name), landing)
    truth = json.loads(generated.truth_path.read_text())
    for bad in truth["bad_inputs"]:
        if bad["expected"] == "gate_quarantines":
            day_folder = landing / bad["firm_id"] / bad["source_kind"] / bad["date"]
            for path in day_folder.glob(f"{Path(bad['file']).stem}.*"):
                path.unlink()
    pages = sorted(landing.glob(f"*/{CORRUPTED_KIND}/*/*.json"))
    target = pages[len(pages) // 2]
    original = target.read_bytes()
    records = json.loads(original)
    records[0]["additions"] = -12
    target.write_text(json.dumps(records))
    record_in_manifest(landing, target.relative_to(landing))  # as the firm's anonymizer sent it
    return Consortium(
        root=root,
        landing=landing,
        quarantine=root / "quarantine",
        warehouse=root / "warehouse" / "tpsp.duckdb",
        corrupted=target.relative_to(landing).as_posix(),
        original=original,
    )


@dataclass
class Pipeline:
    consortium: Consortium
    instance: dg.DagsterInstance
    firms: list[str]
    gate_requests: list[dg.RunRequest]
    gate_runs: dict[str, dg.ExecuteInProcessResult] = field(default_factory=dict)
    build: dg.ExecuteInProcessResult | None = None
    publish_runs: dict[str, dg.ExecuteInProcessResult] = field(default_factory=dict)
    build_vars: dict = field(default_factory=dict)  # the dbt vars of the first build
    consumed_before_fix: set[str] = field(default_factory=set)
    published_before_fix: set[str] = field(default_factory=set)
    fix_requests: list[dg.RunRequest] = field(default_factory=list)
    fix_gate: dg.ExecuteInProcessResult | None = None
    rebuild: dg.ExecuteInProcessResult | None = None
    republish: dg.ExecuteInProcessResult | None = None


def tick(
    defs: dg.Definitions, instance: dg.DagsterInstance, settings: TpspSettings, cursor: str | None
) -> dg.SensorResult:
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"tpsp": settings}, definitions=defs
    )
    result = landing_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def execute(
    defs: dg.Definitions, job: str, instance: dg.DagsterInstance, request: dg.RunRequest
) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        instance=instance,
        partition_key=request.partition_key,
        run_config=request.run_config,
        asset_selection=request.asset_selection,
        tags=request.tags,
        raise_on_error=False,
    )


def consumed_files(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            select file from ops.consumed_files
            where run_id = (select arg_max(run_id, consumed_at) from ops.consumed_files)
            """
        ).fetchall()
    return {file for (file,) in rows}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    """The whole flow as the daemon would run it: sensor → one gate run per firm → full build
    → one publish run per firm; then the firm re-delivers its file and the same again."""
    consortium = make_consortium(tmp_path_factory.mktemp("consortium"))
    settings = consortium.settings()
    defs = build_definitions(settings)
    with dg.instance_for_test() as instance:
        first = tick(defs, instance, settings, None)
        firms = sorted(instance.get_dynamic_partitions(FIRM_PARTITIONS_NAME))
        run = Pipeline(consortium, instance, firms, list(first.run_requests or []))
        for request in run.gate_requests:
            run.gate_runs[request.partition_key] = execute(defs, "gate_landing", instance, request)
        schedule = daily_build_schedule(
            dg.build_schedule_context(scheduled_execution_time=SCHEDULED_AT)
        )
        run.build = execute(defs, "build_warehouse", instance, schedule)
        run_results = consortium.warehouse.parent / DBT_TARGET_FOLDER / "run_results.json"
        run.build_vars = json.loads(run_results.read_text())["args"]["vars"]
        run.consumed_before_fix = consumed_files(consortium.warehouse)
        for request in publish_requests(instance, run.build.run_id):
            run.publish_runs[request.partition_key] = execute(
                defs, "publish_firm", instance, request
            )
        published = consortium.warehouse.parent / "published"
        run.published_before_fix = {folder.name for folder in published.iterdir()}

        (consortium.landing / consortium.corrupted).write_bytes(consortium.original)
        record_in_manifest(consortium.landing, consortium.corrupted)
        fixed = tick(defs, instance, settings, first.cursor)
        run.fix_requests = list(fixed.run_requests or [])
        run.fix_gate = execute(defs, "gate_landing", instance, run.fix_requests[0])
        run.rebuild = defs.resolve_job_def("build_warehouse").execute_in_process(
            instance=instance, raise_on_error=False
        )
        run.republish = execute(
            defs, "publish_firm", instance, dg.RunRequest(partition_key=consortium.corrupted_firm)
        )
        yield run


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}


def failed_checks(result: dg.ExecuteInProcessResult) -> list[dg.AssetCheckEvaluation]:
    return [check for check in result.get_asset_check_evaluations() if not check.passed]


def started_steps(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.step_key for event in result.all_events if event.event_type_value == "STEP_START"}


# -- blocking gates -------------------------------------------------------------------------


def test_sensor_requests_one_gate_run_per_new_firm(pipeline):
    assert len(pipeline.firms) == FIRMS
    assert sorted(r.partition_key for r in pipeline.gate_requests) == pipeline.firms
    assert all(r.tags[DAYS_TAG] == "all" for r in pipeline.gate_requests)


def test_corrupted_firm_fails_its_gate_check_with_the_reason(pipeline):
    bad = pipeline.consortium.corrupted_firm
    result = pipeline.gate_runs[bad]
    assert not result.success
    (check,) = failed_checks(result)
    assert check.asset_key == dg.AssetKey(["landing", CORRUPTED_KIND])
    metadata = {key: value.value for key, value in check.metadata.items()}
    assert metadata["reason_codes"] == ["gate_failed"]
    assert pipeline.consortium.corrupted in metadata["messages"][0]
    assert "additions" in metadata["messages"][0]
    reason_file = Path(metadata["reason_files"][0])
    assert json.loads(reason_file.read_text())["file"] == pipeline.consortium.corrupted
    # the reason is in the run log too
    logged = [
        event.message
        for event in pipeline.instance.all_logs(result.run_id)
        if event.message and "blocked by the github_pulls gate" in event.message
    ]
    assert logged and pipeline.consortium.corrupted in logged[0]


def test_other_firms_pass_their_gates(pipeline):
    bad = pipeline.consortium.corrupted_firm
    for firm_id, result in pipeline.gate_runs.items():
        if firm_id != bad:
            assert result.success, firm_id
            assert not failed_checks(result)
            assert materialized(result)


def test_build_reads_only_files_that_passed(pipeline):
    consumed = pipeline.consumed_before_fix
    assert pipeline.consortium.corrupted not in consumed
    assert {file.split("/")[0] for file in consumed} == set(pipeline.firms)


def test_blocked_firm_is_skipped_and_the_other_firms_are_published(pipeline):
    bad = pipeline.consortium.corrupted_firm
    blocked = pipeline.publish_runs[bad]
    assert not blocked.success
    assert "firm_marts_published" not in started_steps(blocked)
    assert not materialized(blocked)
    assert [c.asset_key for c in failed_checks(blocked)] == [
        dg.AssetKey(["landing", CORRUPTED_KIND])
    ]
    assert pipeline.published_before_fix == set(pipeline.firms) - {bad}
    published = pipeline.consortium.warehouse.parent / "published"
    for firm_id, result in pipeline.publish_runs.items():
        if firm_id == bad:
            continue
        assert result.success, firm_id
        assert materialized(result) == {"firm_marts_published"}
        efficiency = published / firm_id / "fct_firm_efficiency.parquet"
        with duckdb.connect() as connection:
            firms = connection.execute(
                "select distinct firm_id from read_parquet(?)", [str(efficiency)]
            ).fetchall()
        assert firms == [(firm_id,)]


# -- dbt ------------------------------------------------------------------------------------


def test_build_materializes_every_mart_and_the_report(pipeline):
    assert pipeline.build.success
    built = materialized(pipeline.build)
    assert {
        "benchmark/fct_benchmarks",
        "firm_private/fct_firm_efficiency",
        "firm_private/fct_token_usage_daily",
        "staging/stg_github_pulls__pull_requests",
        "headline_report",
    } <= built
    with duckdb.connect(str(pipeline.consortium.warehouse), read_only=True) as connection:
        firms = {
            firm_id
            for (firm_id,) in connection.execute(
                "select distinct firm_id from firm_private.fct_token_usage_daily"
            ).fetchall()
        }
    assert firms == set(pipeline.firms)


def test_dbt_tests_and_mart_gates_are_asset_checks(pipeline):
    checks = {
        (c.asset_key.to_user_string(), c.check_name): c.passed
        for c in pipeline.build.get_asset_check_evaluations()
    }
    assert checks[("benchmark/fct_benchmarks", "not_null_fct_benchmarks_benchmark_id")]
    assert checks[("benchmark/fct_benchmarks", "unique_fct_benchmarks_benchmark_id")]
    for gate in ("percentiles_ordered", "no_unsuppressed_cell_below_k", "coverage_not_collapsing"):
        assert checks[("benchmark/fct_benchmarks", gate)], gate
    dbt_tests = [key for key in checks if key[1].startswith(("not_null_", "unique_"))]
    assert len(dbt_tests) > 20
    failed = [key for key, passed in checks.items() if not passed]
    assert failed in ([], [("firm_private/fct_cost_reconciliation", "cost_reconciles_monthly")])


def test_cost_gate_warns_about_the_firm_whose_usage_day_went_missing(pipeline):
    """The fixture removes the generator's quarantined Anthropic usage re-export: its vendor
    still billed that day, so the firm's month no longer reconciles. The gate warns about that
    firm alone, with the reason, and blocks nothing."""
    truth = json.loads((pipeline.consortium.root / "truth.json").read_text())
    removed = {
        bad["firm_id"]
        for bad in truth["bad_inputs"]
        if bad["expected"] == "gate_quarantines" and bad["source_kind"] == "anthropic_usage"
    }
    (cost,) = [
        c
        for c in pipeline.build.get_asset_check_evaluations()
        if c.check_name == "cost_reconciles_monthly"
    ]
    assert cost.severity == dg.AssetCheckSeverity.WARN
    failures = [] if cost.passed else cost.metadata["failures"].value
    assert {failure["firm_id"] for failure in failures} <= removed
    assert all("missing_usage_export" in (failure["reasons"] or "") for failure in failures)
    with duckdb.connect(str(pipeline.consortium.warehouse), read_only=True) as connection:
        flagged = connection.execute(
            """
            select distinct firm_id from firm_private.fct_cost_reconciliation
            where reason = 'missing_usage_export'
            """
        ).fetchall()
    assert {firm for (firm,) in flagged} == removed


def test_daily_build_passes_landing_thresholds_and_its_day_to_dbt(pipeline):
    warehouse_folder = pipeline.consortium.warehouse.parent
    assert pipeline.build_vars == {
        "landing_path": str(warehouse_folder / "gated_landing"),
        "k_min_firms": 5,
        "exports_path": str(warehouse_folder / "exports"),
        "window_start": "2026-10-31",
        "window_end": "2026-11-01",
    }
    assert not (warehouse_folder / "gated_landing").exists()  # removed after the build


def test_mart_gates_catch_disordered_percentiles_small_cells_and_collapsing_coverage():
    def cell(benchmark_id: str, firms: int, suppressed: bool, *percentiles: float | None):
        p10, p25, p50, p75, p90 = percentiles
        return {
            "benchmark_id": benchmark_id,
            "metric": "tokens_per_merged_pr",
            "period_type": "month",
            "period_start": date(2026, 10, 1),
            "firms": firms,
            "teams": firms * 3,
            "suppressed": suppressed,
            **{"p10": p10, "p25": p25, "p50": p50, "p75": p75, "p90": p90},
        }

    good = pd.DataFrame(
        [cell("a", 6, False, 1.0, 2.0, 3.0, 4.0, 5.0), cell("b", 2, True, *[None] * 5)]
    )
    outcomes = BenchmarkGates().run(gate_frame(good, {"a": 7}), 5, 0.5)
    assert all(outcome.passed for outcome in outcomes.values())

    bad = pd.DataFrame(
        [
            cell("disordered", 6, False, 1.0, 3.0, 2.0, 4.0, 5.0),
            cell("small", 3, False, 1.0, 2.0, 3.0, 4.0, 5.0),
            cell("leaky", 2, True, None, None, 3.0, None, None),
            cell("collapsed", 6, False, 1.0, 2.0, 3.0, 4.0, 5.0),
        ]
    )
    outcomes = BenchmarkGates().run(gate_frame(bad, {"collapsed": 20}), 5, 0.5)
    failing = {
        gate: sorted(e["benchmark_id"] for f in outcome.failures for e in f["examples"])
        for gate, outcome in outcomes.items()
    }
    assert failing == {
        "percentiles_ordered": ["disordered"],
        "no_unsuppressed_cell_below_k": ["leaky", "small"],
        "coverage_not_collapsing": ["collapsed"],
    }


# -- re-delivery ----------------------------------------------------------------------------


def test_sensor_requests_exactly_the_redelivered_firm_and_day(pipeline):
    (request,) = pipeline.fix_requests
    firm_id, kind, day, _ = pipeline.consortium.corrupted.split("/")
    assert request.partition_key == firm_id
    assert request.asset_selection == [dg.AssetKey(["landing", kind])]
    assert request.asset_check_keys == [gate_check_key(kind)]
    assert request.tags[DAYS_TAG] == day


def test_fixing_the_file_publishes_the_skipped_firm(pipeline):
    assert pipeline.fix_gate.success
    assert not failed_checks(pipeline.fix_gate)
    assert (pipeline.consortium.landing / pipeline.consortium.corrupted).exists()
    assert pipeline.rebuild.success
    assert pipeline.consortium.corrupted in consumed_files(pipeline.consortium.warehouse)
    assert pipeline.republish.success
    assert materialized(pipeline.republish) == {"firm_marts_published"}
    published = pipeline.consortium.warehouse.parent / "published"
    assert (published / pipeline.consortium.corrupted_firm / "fct_firm_efficiency.parquet").exists()


# -- retention ------------------------------------------------------------------------------

RETENTION_DAYS = 30


def copy_state(pipeline: Pipeline, root: Path) -> Consortium:
    source = pipeline.consortium
    shutil.copytree(source.landing, root / "landing")
    shutil.copytree(source.quarantine, root / "quarantine")
    (root / "warehouse").mkdir()
    shutil.copy2(source.warehouse, root / "warehouse" / "tpsp.duckdb")
    return Consortium(
        root=root,
        landing=root / "landing",
        quarantine=root / "quarantine",
        warehouse=root / "warehouse" / "tpsp.duckdb",
        corrupted=source.corrupted,
        original=source.original,
    )


def run_retention(state: Consortium, as_of: date, **settings: object) -> dg.ExecuteInProcessResult:
    defs = build_definitions(state.settings(raw_retention_days=RETENTION_DAYS, **settings))
    return defs.resolve_job_def("retention").execute_in_process(
        run_config={"ops": {"ops__retention_audit": {"config": {"as_of": as_of.isoformat()}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )


def landed_files(landing: Path) -> set[str]:
    return {
        path.relative_to(landing).as_posix()
        for path in landing.glob("*/*/*/*")
        if path.is_file() and not path.name.startswith(".")
    }


def test_retention_deletes_only_old_consumed_files_and_audits_them(pipeline, tmp_path):
    state = copy_state(pipeline, tmp_path)
    consumed = consumed_files(state.warehouse)
    newest = max(date.fromisoformat(file.split("/")[2]) for file in consumed)
    as_of = newest + timedelta(days=10)
    cutoff = as_of - timedelta(days=RETENTION_DAYS)
    old = sorted(f for f in consumed if date.fromisoformat(f.split("/")[2]) < cutoff)
    assert old
    # a consumed file replaced since, and an old file no build has read: both stay
    changed = state.landing / old[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    unread = state.landing / old[-1].replace(old[-1].split("/")[2], "2000-01-01")
    unread.parent.mkdir(parents=True)
    unread.write_bytes((state.landing / old[-1]).read_bytes())
    before = landed_files(state.landing)

    result = run_retention(state, as_of)

    deleted = before - landed_files(state.landing)
    assert deleted == set(old[1:])
    with duckdb.connect(str(state.warehouse), read_only=True) as connection:
        audit = connection.execute(
            'select file, sha256, "rows", run_id from ops.retention_audit'
        ).fetchall()
        consumed_sha = dict(
            connection.execute("select file, sha256 from ops.consumed_files").fetchall()
        )
    assert {row[0] for row in audit} == deleted
    assert all(sha == consumed_sha[file] for file, sha, _, _ in audit)
    assert all(rows and rows > 0 for _, _, rows, _ in audit)
    assert {run_id for *_, run_id in audit} == {result.run_id}
    assert old[0] in landed_files(state.landing)
    assert unread.exists()


def test_retention_deletes_nothing_after_a_failed_build(pipeline, tmp_path):
    state = copy_state(pipeline, tmp_path)
    failing = build_definitions(state.settings(target="no_such_target"))
    build = failing.resolve_job_def("build_warehouse").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    assert not build.success
    before = landed_files(state.landing)

    result = run_retention(state, date(2030, 1, 1))

    assert landed_files(state.landing) == before
    (event,) = result.get_asset_materialization_events()
    refused = event.materialization.metadata["refused"].value
    assert "failed" in refused and build.run_id in refused
    with duckdb.connect(str(state.warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from ops.retention_audit").fetchone() == (0,)


# -- sensor ---------------------------------------------------------------------------------


def write_day(landing: Path, firm_id: str, kind: str, day: str, content: str = "[]") -> Path:
    path = landing / firm_id / kind / day / f"{kind}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def test_sensor_requests_only_new_or_replaced_firm_days(tmp_path):
    landing = tmp_path / "landing"
    settings = TpspSettings(landing_path=str(landing), warehouse_path=str(tmp_path / "w.duckdb"))
    defs = build_definitions(settings)
    write_day(landing, "f_a", "github_pulls", "2026-10-01")
    write_day(landing, "f_a", "openai_usage", "2026-10-01")
    replaced = write_day(landing, "f_b", "github_pulls", "2026-10-01")
    with dg.instance_for_test() as instance:
        first = tick(defs, instance, settings, None)
        assert sorted(instance.get_dynamic_partitions(FIRM_PARTITIONS_NAME)) == ["f_a", "f_b"]
        assert sorted(r.partition_key for r in first.run_requests) == ["f_a", "f_b"]

        assert not tick(defs, instance, settings, first.cursor).run_requests

        write_day(landing, "f_a", "github_pulls", "2026-10-02")
        second = tick(defs, instance, settings, first.cursor)
        (request,) = second.run_requests
        assert request.partition_key == "f_a"
        assert request.asset_selection == [dg.AssetKey(["landing", "github_pulls"])]
        assert request.tags[DAYS_TAG] == "2026-10-02"
        gate_config = request.run_config["ops"]["gate_landing_files"]["config"]
        assert gate_config == {"days": ["2026-10-02"]}

        replaced.write_text('[{"state": "closed"}]')
        (shutil.rmtree(landing / "f_a" / "openai_usage"))  # a removal alone gates nothing
        third = tick(defs, instance, settings, second.cursor)
        (request,) = third.run_requests
        assert (request.partition_key, request.tags[DAYS_TAG]) == ("f_b", "2026-10-01")

        write_day(landing, "f_c", "jira_issues", "2026-10-03")
        fourth = tick(defs, instance, settings, third.cursor)
        assert "f_c" in instance.get_dynamic_partitions(FIRM_PARTITIONS_NAME)
        (request,) = fourth.run_requests
        assert (request.partition_key, request.tags[DAYS_TAG]) == ("f_c", "all")


def test_definitions_load_with_their_jobs_schedule_and_sensors():
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    repository = defs.get_repository_def()
    assert {job.name for job in repository.get_all_jobs()} >= {
        "gate_landing",
        "build_warehouse",
        "publish_firm",
        "retention",
    }
    assert {s.name for s in repository.sensor_defs} == {"landing_sensor", "publish_after_build"}
    assert [s.name for s in repository.schedule_defs] == ["daily_build_schedule"]
