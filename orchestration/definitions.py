"""Everything Dagster knows about tpsp, loaded from ``orchestration/defs/``.

    dagster dev -m orchestration.definitions      # or: make dagster

``build_definitions(settings)`` lets tests and other deployments point the same definitions at
another landing zone and warehouse.
"""

import dagster as dg

from orchestration.defs.landing.assets import firm_profiles, gate_landing_files
from orchestration.defs.landing.checks import landing_gate_checks
from orchestration.defs.landing.jobs import gate_landing_job
from orchestration.defs.landing.sensors import landing_sensor
from orchestration.defs.publishing.assets import firm_marts_published, headline_report
from orchestration.defs.publishing.jobs import publish_firm_job
from orchestration.defs.publishing.sensors import publish_after_build
from orchestration.defs.retention.assets import retention_audit
from orchestration.defs.retention.jobs import retention_job
from orchestration.defs.warehouse.assets import tpsp_dbt_models
from orchestration.defs.warehouse.checks import benchmark_mart_gates, cost_reconciles_monthly
from orchestration.defs.warehouse.jobs import build_warehouse_job
from orchestration.defs.warehouse.project import tpsp_dbt_project
from orchestration.defs.warehouse.resources import (
    TpspSettings,
    dbt_resource,
    settings_from_environment,
)
from orchestration.defs.warehouse.schedules import daily_build_schedule


def build_definitions(settings: TpspSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=[
            firm_profiles,
            gate_landing_files,
            tpsp_dbt_models,
            firm_marts_published,
            headline_report,
            retention_audit,
        ],
        asset_checks=[landing_gate_checks, benchmark_mart_gates, cost_reconciles_monthly],
        jobs=[gate_landing_job, build_warehouse_job, publish_firm_job, retention_job],
        schedules=[daily_build_schedule],
        sensors=[landing_sensor, publish_after_build],
        resources={"tpsp": settings, "dbt": dbt_resource(tpsp_dbt_project())},
    )


defs = build_definitions(settings_from_environment())
