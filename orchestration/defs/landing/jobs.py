"""Gate one firm's landing: the landing assets of a firm partition and their gate checks."""

import dagster as dg

from orchestration.defs.landing.assets import gate_landing_files
from orchestration.defs.landing.checks import landing_gate_checks

# Every tpsp run reads or writes the landing zone and the DuckDB warehouse; the instance
# (orchestration/dagster.yaml) runs at most one run with this tag at a time. Steps run one
# after another in the run's process (in_process_executor): they would wait for each other
# anyway, and each extra process would load the code again.
SERIAL_TAGS = {"tpsp/warehouse": "serial"}

gate_landing_job = dg.define_asset_job(
    name="gate_landing",
    selection=dg.AssetSelection.assets(gate_landing_files)
    | dg.AssetSelection.checks(landing_gate_checks),
    tags=SERIAL_TAGS,
    executor_def=dg.in_process_executor,
    description="Gate a firm's landed files and check that nothing of the firm is quarantined.",
)
