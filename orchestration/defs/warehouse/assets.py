"""Every dbt model and seed as a Dagster asset (dagster-dbt), dbt tests as asset checks.

One ``dbt build`` per run, over the selected models, reading the gated landing zone (see
``gated_landing.py``). The dbt vars come from the ``tpsp`` resource: ``landing_path``,
``k_min_firms`` and, when the run carries a date window (the daily schedule tags its runs with
the day it covers), ``window_start`` / ``window_end`` for incremental models; the current
models are all tables and do not read the window yet.
"""

import json
import subprocess
from datetime import date

import dagster as dg
import duckdb
from dagster_dbt import DbtCliInvocation, DbtCliResource, dbt_assets

from orchestration.defs.warehouse import ops_log
from orchestration.defs.warehouse.gated_landing import gated_landing
from orchestration.defs.warehouse.project import TpspDbtTranslator, tpsp_dbt_project
from orchestration.defs.warehouse.resources import TpspSettings
from tpsp.privacy.release_guard import apply_release_guard

WINDOW_START_TAG = "tpsp/window_start"
WINDOW_END_TAG = "tpsp/window_end"
DBT_TARGET_FOLDER = "dagster_dbt_target"
MAX_LISTED = 20
STOP_TIMEOUT_SECONDS = 30


def date_window(context: dg.AssetExecutionContext) -> tuple[date, date] | None:
    """The run's date window: a time-partitioned run's partition, or the window tags."""
    partitions_def = context.assets_def.partitions_def
    if context.has_partition_key and isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
        window = context.partition_time_window
        return window.start.date(), window.end.date()
    tags = context.run.tags
    if WINDOW_START_TAG in tags and WINDOW_END_TAG in tags:
        return date.fromisoformat(tags[WINDOW_START_TAG]), date.fromisoformat(tags[WINDOW_END_TAG])
    return None


@dbt_assets(
    manifest=tpsp_dbt_project().manifest_path,
    project=tpsp_dbt_project(),
    dagster_dbt_translator=TpspDbtTranslator(),
    name="tpsp_dbt_models",
)
def tpsp_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, tpsp: TpspSettings):
    started_at = ops_log.utc_now()
    landing = gated_landing(tpsp.landing, tpsp.workdir, ops_log.passed_files(tpsp.warehouse))
    if landing.not_gated:
        listed = ", ".join(landing.not_gated[:MAX_LISTED])
        context.log.warning(
            f"{len(landing.not_gated)} landed files are not gated yet and wait for their "
            f"firm's next gate run: {listed}"
        )
    context.log.info(f"dbt reads {len(landing.files)} gated files from {landing.root}")
    full_build = set(context.selected_asset_keys) == set(context.assets_def.keys)
    dbt_vars = tpsp.dbt_build_vars(landing.root, date_window(context))
    args = ["build", "--target", tpsp.target, "--vars", json.dumps(dbt_vars)]
    succeeded = False
    invocation: DbtCliInvocation | None = None
    try:
        with tpsp.dbt_environment():
            invocation = dbt.cli(
                args, context=context, target_path=tpsp.workdir / DBT_TARGET_FOLDER
            )
        yield from invocation.stream()
        succeeded = True
    finally:
        if invocation is not None:
            _stop(invocation)  # dbt holds the warehouse's lock until it exits
        landing.remove()
        build = ops_log.BuildRow(
            run_id=context.run.run_id,
            started_at=started_at,
            succeeded=succeeded,
            full_build=full_build,
            files_read=len(landing.files),
            files_not_gated=len(landing.not_gated),
        )
        try:
            ops_log.record_build(tpsp.warehouse, build, landing.files)
        except duckdb.Error as error:
            context.log.error(f"could not record the build in ops.build_log: {error}")
            if succeeded:
                raise
    if succeeded and tpsp.target == "duckdb":
        # after _stop: dbt held the warehouse's lock
        context.log.info(apply_release_guard(tpsp.warehouse, tpsp.k_min_firms).summary())


def _stop(invocation: DbtCliInvocation) -> None:
    process = invocation.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
