"""What the commands print: reports of each step and the headline table."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # `tpsp anonymize` runs at the firm: it never loads the warehouse's libraries
    from expectations.runner import GateReport
    from tpsp.anonymize import AnonymizeReport
    from tpsp.dbt_runner import DbtResult

# piped output (CI logs, files) gets room for the tables instead of rich's 80 columns
console = Console(width=None if sys.stdout.isatty() else 120)


def print_anonymize_report(report: AnonymizeReport) -> None:
    rows_out = sum(report.rows_out.values())
    console.print(
        f"  [green]landed[/] {len(report.landed_files)} files, {rows_out} rows "
        f"for firm {report.firm_id}"
    )
    if report.unassigned_identities:
        console.print(
            f"  {report.unassigned_identities} identities are not in the org map: "
            "their usage counts under team 'unassigned'"
        )
    if report.manifest is not None:
        console.print(f"  listed in {escape(str(report.manifest))}", soft_wrap=True)
    _print_run_notes(report)
    for folder in report.replaced_day_folders:
        console.print(f"  re-sent day replaced: {escape(folder.parent.name)}/{folder.name}")


def print_dry_run(report: AnonymizeReport) -> None:
    """What a real run would land and leave behind; these lines stay inside the firm."""
    files = len(report.exported)
    rows = sum(exported.rows for exported in report.exported)
    console.print(
        f"  [bold]dry run[/]: nothing written; firm {report.firm_id} would land {files} "
        f"files, {rows} rows"
    )
    files_per_day = Counter((exported.kind, exported.day) for exported in report.exported)
    for (kind, day), count in report.rows_by_kind_and_day().items():
        console.print(
            f"  rows {kind} {day.isoformat()}: {count} ({files_per_day[(kind, day)]} file(s))"
        )
    for kind in sorted(set(report.fields_kept) | set(report.fields_dropped)):
        kept = ", ".join(report.fields_kept.get(kind, [])) or "-"
        dropped = ", ".join(report.fields_dropped.get(kind, [])) or "-"
        console.print(f"  fields kept {kind}: {escape(kept)}", soft_wrap=True)
        console.print(f"  fields dropped {kind}: {escape(dropped)}", soft_wrap=True)
    _print_run_notes(report)
    for folder in report.replaced_day_folders:
        console.print(f"  would replace day: {escape(folder.parent.name)}/{folder.name}")


def _print_run_notes(report: AnonymizeReport) -> None:
    for kind, dropped in sorted(report.duplicates.items()):
        console.print(f"  {kind}: {dropped} duplicate record(s) dropped on their natural key")
    for skipped in report.skipped_files:
        console.print(
            f"  [yellow]skipped[/] {escape(skipped.path.as_posix())}: {escape(skipped.reason)} "
            f"({skipped.code})",
            soft_wrap=True,
        )
        if skipped.quarantine_path is not None:
            console.print(
                f"    kept with its reason: {escape(str(skipped.quarantine_path))}.reason.json",
                soft_wrap=True,
            )
    for warning in report.warnings:
        console.print(
            f"  [yellow]warning[/] {escape(warning.path.as_posix())}: {escape(warning.message)}",
            soft_wrap=True,
        )


def print_gate_report(report: GateReport) -> None:
    console.print(
        f"  [green]passed[/] {len(report.passed)} files, "
        f"[red]quarantined[/] {len(report.quarantined)}, "
        f"[yellow]warnings[/] {len(report.warnings)}"
    )
    for item in report.quarantined:
        console.print(
            f"  [red]quarantined[/] {escape(f'[{item.reason_code}]')} {escape(item.message)}",
            soft_wrap=True,
        )
        console.print(
            f"    reason: {escape(str(item.quarantine_path))}.reason.json", soft_wrap=True
        )
    for warning in report.warnings:
        console.print(
            f"  [yellow]warning[/] {escape(f'[{warning.code}]')} {escape(warning.message)}",
            soft_wrap=True,
        )


def print_build_result(result: DbtResult) -> None:
    if result.succeeded:
        console.print("  [green]dbt build succeeded[/]: models built and every test passed")
    else:
        console.print("  [red]dbt build finished with failures[/]:")
        for failure in result.failures:
            console.print(f"    {escape(failure)}")


def _number(value: float | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric.startswith("cost"):
        return f"${value:,.2f}"
    return f"{value:,.0f}"


def print_headline(warehouse: Path) -> None:
    from tpsp.headline import read_headline

    table = Table(title="Cross-firm benchmarks, last three months (p25 / median / p75)")
    for column in ("metric", "month", "firms", "p25", "median", "p75"):
        table.add_column(column, justify="left" if column in ("metric", "month") else "right")
    for row in read_headline(warehouse):
        table.add_row(
            row.metric,
            row.month.strftime("%Y-%m"),
            str(row.firms),
            *(
                ("suppressed", "suppressed", "suppressed")
                if row.suppressed
                else (_number(v, row.metric) for v in (row.p25, row.p50, row.p75))
            ),
        )
    console.print(table)


def print_signals(warehouse: Path) -> None:
    from tpsp.headline import read_signals

    signals = read_signals(warehouse)
    table = Table(title=f"Signals to investigate ({len(signals)}) — never a ranking")
    for column in ("signal", "firm", "team", "date / month", "detail"):
        table.add_column(column)
    for row in signals:
        when = row.when.isoformat() if row.when else "whole window"
        table.add_row(row.signal, row.firm_id, row.team_id or "(firm)", when, row.detail)
    console.print(table)
