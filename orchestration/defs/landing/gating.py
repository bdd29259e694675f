"""Gate one firm's landed files, all of them or only some source kinds and days.

``expectations.runner.run_gates`` gates whole firms. To gate only some day folders, their
files are hard-linked (copied when links are impossible) into a hidden staging folder inside
the landing zone, with the firm's export manifest they are verified against, gated there,
and every file the gate quarantined is then removed from the landing zone too, exactly as a
whole-firm run would have moved it. Hidden folders are ignored by the gates, by dbt's
landing globs and by the landing sensor.
"""

import os
import shutil
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.defs.warehouse.ops_log import PASSED, QUARANTINED, GateRow, sha256_of

if TYPE_CHECKING:
    from expectations.runner import Gate, GateReport

STAGING_FOLDER = ".tpsp-gating"


@dataclass(frozen=True)
class FirmGate:
    report: "GateReport"
    rows: list[GateRow]  # one per gated file, for the gate log
    kinds: tuple[str, ...]
    days: tuple[str, ...]  # empty: every day


def gate_firm(
    landing: Path,
    quarantine: Path,
    firm_id: str,
    kinds: Collection[str],
    all_kinds: Collection[str],
    days: Collection[str] = (),
    gate: "Gate | None" = None,
) -> FirmGate:
    """Gate the firm's files of ``kinds`` (on ``days``, or all days when empty)."""
    from expectations.runner import run_gates

    kinds, days = tuple(sorted(kinds)), tuple(sorted(days))
    if set(kinds) >= set(all_kinds) and not days:
        report = run_gates(landing, quarantine, gate=gate, firm_ids={firm_id})
    else:
        report = _gate_staged(landing, quarantine, firm_id, kinds, days, gate)
    rows = _gate_rows(landing, report)
    return FirmGate(report=report, rows=rows, kinds=kinds, days=days)


def _gate_staged(
    landing: Path,
    quarantine: Path,
    firm_id: str,
    kinds: tuple[str, ...],
    days: tuple[str, ...],
    gate: "Gate | None",
) -> "GateReport":
    from expectations.runner import GateReport, run_gates
    from tpsp.anonymize.manifest import MANIFEST_FILE

    staging = landing / STAGING_FOLDER / uuid.uuid4().hex[:12]
    try:
        for kind in kinds:
            kind_folder = landing / firm_id / kind
            if not kind_folder.is_dir():
                continue
            for day_folder in sorted(kind_folder.iterdir()):
                if not day_folder.is_dir() or (days and day_folder.name not in days):
                    continue
                for path in sorted(day_folder.iterdir()):
                    if path.is_file() and not path.name.startswith("."):
                        link_or_copy(path, staging / path.relative_to(landing))
        if not staging.is_dir():
            return GateReport()
        manifest = landing / firm_id / MANIFEST_FILE
        if manifest.is_file() and not manifest.is_symlink():
            link_or_copy(manifest, staging / firm_id / MANIFEST_FILE)
        report = run_gates(staging, quarantine, gate=gate, firm_ids={firm_id})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        remove_if_empty(landing / STAGING_FOLDER)
    for item in report.quarantined:
        original = landing / item.path
        original.unlink(missing_ok=True)
        remove_if_empty(original.parent)
    return report


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def remove_if_empty(folder: Path) -> None:
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _gate_rows(landing: Path, report: "GateReport") -> list[GateRow]:
    from expectations.runner import REASON_SUFFIX

    rows = [
        GateRow(file=path.as_posix(), sha256=sha256_of(landing / path), outcome=PASSED)
        for path in report.passed
    ]
    for item in report.quarantined:
        held = Path(item.quarantine_path)
        rows.append(
            GateRow(
                file=item.path.as_posix(),
                sha256=sha256_of(held) if held.exists() else "",
                outcome=QUARANTINED,
                reason_code=item.reason_code,
                message=item.message,
                reason_file=str(held.with_name(held.name + REASON_SUFFIX)),
            )
        )
    return rows
