"""After each successful full build, publish every firm (each in its own run, so that a
blocked firm stops only its own partition)."""

import dagster as dg

from orchestration.defs.landing.partitions import FIRM_PARTITIONS_NAME
from orchestration.defs.publishing.jobs import publish_firm_job
from orchestration.defs.warehouse.jobs import build_warehouse_job


def publish_requests(instance: dg.DagsterInstance, build_run_id: str) -> list[dg.RunRequest]:
    return [
        dg.RunRequest(run_key=f"{build_run_id}:{firm_id}", partition_key=firm_id)
        for firm_id in sorted(instance.get_dynamic_partitions(FIRM_PARTITIONS_NAME))
    ]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[build_warehouse_job],
    request_job=publish_firm_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests publish_firm for every firm partition after build_warehouse succeeds.",
)
def publish_after_build(context: dg.RunStatusSensorContext) -> list[dg.RunRequest]:
    return publish_requests(context.instance, context.dagster_run.run_id)
