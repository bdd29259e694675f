"""Which landed files retention may delete, decided from the `ops` log.

A landed file is deleted when all of these hold:

- its day folder is older than ``raw_retention_days`` before the day retention runs for;
- its current content (sha256) was consumed by a successful full build, which read it only
  because its gate had passed (``ops.consumed_files``);
- the latest full build succeeded; after a failed build nothing is deleted.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from orchestration.defs.warehouse.ops_log import LandedPath, sha256_of


@dataclass(frozen=True)
class Deletion:
    file: str  # relative to the landing folder
    path: Path
    sha256: str
    consumed_by_run_id: str


@dataclass
class RetentionPlan:
    cutoff: date  # files of days before this one are old enough
    delete: list[Deletion] = field(default_factory=list)
    kept_not_consumed: list[str] = field(default_factory=list)
    kept_changed_since_consumed: list[str] = field(default_factory=list)
    refused: str | None = None  # why nothing at all is deleted


def plan_retention(
    landing: Path,
    as_of: date,
    retention_days: int,
    consumed: dict[tuple[str, str], str],
    latest_build: tuple[str, bool] | None,
) -> RetentionPlan:
    from expectations.runner import discover

    plan = RetentionPlan(cutoff=as_of - timedelta(days=retention_days))
    if latest_build is None:
        plan.refused = "no full build has been recorded yet"
    elif not latest_build[1]:
        plan.refused = f"the latest full build (run {latest_build[0]}) failed"
    consumed_paths = {file for file, _ in consumed}
    for landed in discover(landing) if landing.is_dir() else []:
        relative = landed.relative.as_posix()
        export_date = LandedPath(relative).export_date
        if export_date is None or export_date >= plan.cutoff:
            continue
        sha256 = sha256_of(landed.path)
        run_id = consumed.get((relative, sha256))
        if run_id is not None:
            plan.delete.append(Deletion(relative, landed.path, sha256, run_id))
        elif relative in consumed_paths:
            plan.kept_changed_since_consumed.append(relative)
        else:
            plan.kept_not_consumed.append(relative)
    if plan.refused:
        plan.delete = []
    return plan


def count_rows(path: Path, source_kind: str | None) -> int | None:
    """Records in a landed file, at its kind's natural-key grain (None if unreadable)."""
    from expectations.suites import SUITES

    module = SUITES.get(source_kind or "")
    if module is None:
        return None
    try:
        return len(module.flatten(path))
    except (ValueError, OSError):
        return None
