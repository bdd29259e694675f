"""The retention job (not scheduled: run it when the warehouse no longer needs old raw days)."""

import dagster as dg

from orchestration.defs.landing.jobs import SERIAL_TAGS
from orchestration.defs.retention.assets import retention_audit

retention_job = dg.define_asset_job(
    name="retention",
    selection=dg.AssetSelection.assets(retention_audit),
    tags=SERIAL_TAGS,
    executor_def=dg.in_process_executor,
    description=(
        "Deletes landing files older than raw_retention_days that a successful gate and full "
        "build consumed, recording each in ops.retention_audit; nothing after a failed build."
    ),
)
