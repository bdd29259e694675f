"""One landing asset per source kind, partitioned by firm; materializing a partition gates
that firm's files (Great Expectations suites of ``expectations/``) and moves failures to the
quarantine. Whether the firm may go further is decided by the blocking checks in
``checks.py``."""

import dagster as dg
from pydantic import Field

from orchestration.defs.landing.gating import gate_firm
from orchestration.defs.landing.partitions import (
    LANDING_KINDS,
    LANDING_PREFIX,
    firm_partitions,
    kind_of,
    landing_key,
)
from orchestration.defs.warehouse import ops_log
from orchestration.defs.warehouse.resources import TpspSettings

FIRM_PROFILES_KEY = dg.AssetKey([LANDING_PREFIX, "firm_profiles"])


class GateLandingConfig(dg.Config):
    days: list[str] = Field(
        default_factory=list,
        description="Day folders (YYYY-MM-DD) to gate; empty gates every day of the firm.",
    )


def _landing_spec(kind: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=landing_key(kind),
        partitions_def=firm_partitions,
        group_name=LANDING_PREFIX,
        kinds={"file"},
        description=(
            f"The firm's landed `{kind}` files (`landing/<firm_id>/{kind}/<date>/`), "
            f"gated by the `landing.{kind}` suite; failing files move to the quarantine."
        ),
        metadata={"source_kind": kind},
    )


firm_profiles = dg.AssetSpec(
    key=FIRM_PROFILES_KEY,
    group_name=LANDING_PREFIX,
    kinds={"file"},
    description="Each firm's `landing/<firm_id>/firm.json`, written by its anonymizer; not gated.",
)


@dg.multi_asset(
    name="gate_landing_files",
    specs=[_landing_spec(kind) for kind in LANDING_KINDS],
    can_subset=True,
)
def gate_landing_files(
    context: dg.AssetExecutionContext, config: GateLandingConfig, tpsp: TpspSettings
):
    """Gate the partition's firm: its files of the selected kinds, on the configured days."""
    from expectations.runner import Gate

    firm_id = context.partition_key
    kinds = sorted(kind_of(key) for key in context.selected_asset_keys)
    gated = gate_firm(
        tpsp.landing,
        tpsp.quarantine,
        firm_id,
        kinds=kinds,
        all_kinds=LANDING_KINDS,
        days=config.days,
        gate=Gate(),
    )
    ops_log.record_gate(tpsp.warehouse, context.run.run_id, gated.rows)
    context.log.info(f"{firm_id}: {gated.report.summary()}")
    for item in gated.report.quarantined:
        context.log.warning(f"quarantined ({item.reason_code}): {item.message}")
    for kind in kinds:
        passed = [p for p in gated.report.passed if p.parts[1] == kind]
        quarantined = [q for q in gated.report.quarantined if q.path.parts[1:2] == (kind,)]
        yield dg.MaterializeResult(
            asset_key=landing_key(kind),
            metadata={
                "files_passed": len(passed),
                "files_quarantined": len(quarantined),
                "days_gated": ", ".join(gated.days) or "all",
                "quarantined": [
                    {
                        "file": q.path.as_posix(),
                        "reason_code": q.reason_code,
                        "message": q.message,
                        "reason_file": f"{q.quarantine_path}.reason.json",
                    }
                    for q in quarantined
                ],
                "landing_folder": dg.MetadataValue.path(str(tpsp.landing / firm_id / kind)),
            },
        )
