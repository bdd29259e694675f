"""The full build: every dbt model with its tests, the mart gates and the report."""

import dagster as dg

from orchestration.defs.landing.jobs import SERIAL_TAGS
from orchestration.defs.publishing.assets import headline_report
from orchestration.defs.warehouse.assets import tpsp_dbt_models

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.assets(tpsp_dbt_models, headline_report),
    tags=SERIAL_TAGS,
    executor_def=dg.in_process_executor,
    description=(
        "dbt build of every model and test from the gated landing files, then the mart gates "
        "on fct_benchmarks and the headline report."
    ),
)
