"""The daily full build. Each run is tagged with the day it covers (the UTC day before the
tick), which reaches dbt as the vars ``window_start`` / ``window_end``."""

from datetime import timedelta

import dagster as dg

from orchestration.defs.warehouse.assets import WINDOW_END_TAG, WINDOW_START_TAG
from orchestration.defs.warehouse.jobs import build_warehouse_job


@dg.schedule(
    job=build_warehouse_job,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Full dbt build every day at 03:00 UTC, covering the day before.",
)
def daily_build_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = context.scheduled_execution_time.date() - timedelta(days=1)
    return dg.RunRequest(
        run_key=day.isoformat(),
        tags={
            WINDOW_START_TAG: day.isoformat(),
            WINDOW_END_TAG: (day + timedelta(days=1)).isoformat(),
        },
    )
