"""Publish one firm: its landing gate checks, then (only when they pass) its marts."""

import dagster as dg

from orchestration.defs.landing.checks import landing_gate_checks
from orchestration.defs.landing.jobs import SERIAL_TAGS
from orchestration.defs.publishing.assets import firm_marts_published

publish_firm_job = dg.define_asset_job(
    name="publish_firm",
    selection=dg.AssetSelection.assets(firm_marts_published)
    | dg.AssetSelection.checks(landing_gate_checks),
    tags=SERIAL_TAGS,
    executor_def=dg.in_process_executor,
    description=(
        "For one firm partition: the blocking landing gate checks, then the firm's marts as "
        "Parquet. A firm with a file held in quarantine is skipped; other firms are not."
    ),
)
