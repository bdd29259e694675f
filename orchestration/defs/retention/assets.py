"""The retention audit table as an asset: materializing it applies the retention policy to
the landing zone and appends one row per deleted file to ``ops.retention_audit``."""

from datetime import UTC, date, datetime

import dagster as dg
from pydantic import Field

from orchestration.defs.landing.gating import remove_if_empty
from orchestration.defs.landing.partitions import LANDING_KINDS, landing_key
from orchestration.defs.retention.policy import count_rows, plan_retention
from orchestration.defs.warehouse import ops_log
from orchestration.defs.warehouse.resources import TpspSettings

MAX_LISTED = 50


class RetentionConfig(dg.Config):
    as_of: str = Field(
        default="", description="Day (YYYY-MM-DD) file ages are counted from; empty: today, UTC."
    )
    dry_run: bool = Field(default=False, description="Only report what would be deleted.")


@dg.asset(
    key=["ops", "retention_audit"],
    deps=[landing_key(kind) for kind in LANDING_KINDS],
    group_name="operations",
    kinds={"duckdb"},
)
def retention_audit(context: dg.AssetExecutionContext, config: RetentionConfig, tpsp: TpspSettings):
    """Delete consumed landing files older than `raw_retention_days`; audit each deletion."""
    as_of = date.fromisoformat(config.as_of) if config.as_of else datetime.now(UTC).date()
    plan = plan_retention(
        tpsp.landing,
        as_of,
        tpsp.raw_retention_days,
        ops_log.consumed_files(tpsp.warehouse),
        ops_log.latest_build(tpsp.warehouse),
    )
    if plan.refused:
        context.log.warning(f"retention deletes nothing: {plan.refused}")
    deleted: list[str] = []
    if not config.dry_run and plan.delete:
        deleted_at = ops_log.utc_now()
        with ops_log.connect(tpsp.warehouse) as connection:
            for item in plan.delete:
                where = ops_log.LandedPath(item.file)
                rows = count_rows(item.path, where.source_kind)
                item.path.unlink()
                ops_log.insert_deletion(
                    connection,
                    context.run.run_id,
                    ops_log.DeletionRow(item.file, item.sha256, rows, item.consumed_by_run_id),
                    deleted_at,
                )
                deleted.append(item.file)
                remove_if_empty(item.path.parent)
    context.log.info(
        f"retention as of {as_of}: {len(deleted)} files deleted, "
        f"{len(plan.kept_not_consumed)} old files kept (not consumed), "
        f"{len(plan.kept_changed_since_consumed)} kept (changed since consumed)"
    )
    return dg.MaterializeResult(
        metadata={
            "as_of": as_of.isoformat(),
            "cutoff": plan.cutoff.isoformat(),
            "raw_retention_days": tpsp.raw_retention_days,
            "dry_run": config.dry_run,
            "refused": plan.refused or "",
            "files_deleted": len(deleted),
            "files_eligible": len(plan.delete),
            "kept_not_consumed": len(plan.kept_not_consumed),
            "kept_changed_since_consumed": len(plan.kept_changed_since_consumed),
            "deleted": deleted[:MAX_LISTED],
        }
    )
