"""The landing gates as blocking asset checks, one per source kind and firm partition.

A check fails while a file of that firm and kind sits in the quarantine and no corrected
delivery of it has passed a later gate run. Being blocking, a failure stops whatever is
downstream of the firm's landing assets *in the same run*: the firm's own
``firm_marts_published`` partition, never another firm's run.
"""

import dagster as dg

from orchestration.defs.landing.partitions import (
    GATE_CHECK_NAME,
    LANDING_KINDS,
    firm_partitions,
    kind_of,
    landing_key,
)
from orchestration.defs.warehouse import ops_log
from orchestration.defs.warehouse.resources import TpspSettings


@dg.multi_asset_check(
    name="landing_gate_checks",
    specs=[
        dg.AssetCheckSpec(
            GATE_CHECK_NAME,
            asset=landing_key(kind),
            blocking=True,
            partitions_def=firm_partitions,
            description=(
                f"No `{kind}` file of the firm is held in quarantine by the Great Expectations "
                "gate (a corrected re-delivery that passes clears it)."
            ),
        )
        for kind in LANDING_KINDS
    ],
    can_subset=True,
)
def landing_gate_checks(context: dg.AssetCheckExecutionContext, tpsp: TpspSettings):
    firm_id = context.partition_key
    outstanding = ops_log.outstanding_quarantine(tpsp.warehouse, tpsp.quarantine, firm_id)
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        kind = kind_of(check_key.asset_key)
        held = [item for item in outstanding if item.source_kind == kind]
        for item in held:
            context.log.error(f"{firm_id} blocked by the {kind} gate: {item.message}")
        yield dg.AssetCheckResult(
            asset_key=check_key.asset_key,
            check_name=check_key.name,
            passed=not held,
            description=held[0].message if held else None,
            metadata={
                "firm_id": firm_id,
                "files_quarantined": len(held),
                "reason_codes": sorted({item.reason_code for item in held}),
                "messages": [item.message for item in held],
                "reason_files": [str(item.reason_file) for item in held],
            },
        )
