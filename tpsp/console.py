"""What the commands print: reports of each step and the headline table."""

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from expectations.runner import GateReport
from tpsp.anonymize import AnonymizeReport
from tpsp.dbt_runner import DbtResult
from tpsp.headline import read_headline, read_signals

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
    for skipped in report.skipped_files:
        console.print(f"  [yellow]skipped[/] {skipped.path}: {skipped.reason} ({skipped.code})")


def print_gate_report(report: GateReport) -> None:
    console.print(
        f"  [green]passed[/] {len(report.passed)} files, "
        f"[red]quarantined[/] {len(report.quarantined)}"
    )
    for item in report.quarantined:
        console.print(f"  [red]quarantined[/] {item.message}")
        console.print(f"    reason: {item.quarantine_path}.reason.json")


def print_build_result(result: DbtResult) -> None:
    if result.succeeded:
        console.print("  [green]dbt build succeeded[/]: models built and every test passed")
    else:
        console.print("  [red]dbt build finished with failures[/]:")
        for failure in result.failures:
            console.print(f"    {failure}")


def _number(value: float | None, metric: str) -> str:
    if value is None:
        return "—"
    if metric.startswith("cost"):
        return f"${value:,.2f}"
    return f"{value:,.0f}"


def print_headline(warehouse: Path) -> None:
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
    signals = read_signals(warehouse)
    table = Table(title=f"Signals to investigate ({len(signals)}) — never a ranking")
    for column in ("signal", "firm", "team", "date / month", "detail"):
        table.add_column(column)
    for row in signals:
        table.add_row(row.signal, row.firm_id, row.team_id, row.when.isoformat(), row.detail)
    console.print(table)
