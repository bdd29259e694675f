"""tpsp command line: generate, anonymize, gate, build and demo."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from tpsp.errors import TpspError
from tpsp.project import DEFAULT_K_MIN_FIRMS, DEFAULT_MIN_TEAM_SIZE, DEFAULT_WAREHOUSE

app = typer.Typer(
    help="tpsp — Tokens Per Shipped Product: AI tokens per unit of shipped software, "
    "benchmarked across firms without exposing anyone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(error: Exception) -> None:
    from tpsp.console import console

    console.print(f"[red]error:[/] {error}", soft_wrap=True)
    raise typer.Exit(code=1)


@app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option(help="Folder for raw/<firm>/… exports and truth.json.")],
    firms: Annotated[int, typer.Option(min=1, help="Number of firms.")] = 6,
    days: Annotated[int, typer.Option(min=30, help="Days of history.")] = 120,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 7,
) -> None:
    """Write synthetic raw vendor exports (pre-anonymization) with planted truths."""
    from tpsp.console import console
    from tpsp.generate import generate

    result = generate(out, firms=firms, days=days, seed=seed)
    console.print(f"wrote {len(result.firm_dirs)} firms under {out / 'raw'}")
    console.print(f"planted truths: {result.truth_path}")


@app.command("anonymize")
def anonymize_command(
    firm_dir: Annotated[
        Path,
        typer.Option(help="A firm's raw folder: firm.json, org_map.csv, <source_kind>/ exports."),
    ],
    secret_file: Annotated[Path, typer.Option(help="File holding the firm's secret HMAC key.")],
    landing: Annotated[Path, typer.Option(help="Landing zone to write to.")],
    min_team_size: Annotated[
        int, typer.Option(min=1, help="Teams with fewer people merge into 'small_teams'.")
    ] = DEFAULT_MIN_TEAM_SIZE,
    quarantine: Annotated[
        Path | None,
        typer.Option(
            help="Firm-side folder for raw files that cannot be landed, each with a "
            "reason.json (raw data: keep it inside the firm)."
        ),
    ] = None,
) -> None:
    """Anonymize one firm's raw exports into the landing zone (run inside the firm)."""
    from tpsp.anonymize import anonymize_firm, read_secret_file
    from tpsp.console import print_anonymize_report

    try:
        secret = read_secret_file(secret_file)
        report = anonymize_firm(
            firm_dir, secret, landing, min_team_size=min_team_size, quarantine=quarantine
        )
    except TpspError as error:
        _fail(error)
    print_anonymize_report(report)


@app.command("gate")
def gate_command(
    landing: Annotated[Path, typer.Option(help="Landing zone to check.")],
    quarantine: Annotated[Path, typer.Option(help="Where failing files are moved.")],
) -> None:
    """Run the Great Expectations gates on every landed file; quarantine the failures."""
    from expectations.runner import run_gates
    from tpsp.console import print_gate_report

    report = run_gates(landing, quarantine)
    print_gate_report(report)
    if not report.passed:
        _fail(TpspError("no landed file passed the gates: nothing to build"))


@app.command("build")
def build_command(
    landing: Annotated[Path, typer.Option(help="Landing zone with the firms' files.")],
    quarantine: Annotated[Path, typer.Option(help="Where failing files are moved.")],
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file.")] = DEFAULT_WAREHOUSE,
    target: Annotated[str, typer.Option(help="dbt target in profiles.yml.")] = "duckdb",
    k_min_firms: Annotated[
        int, typer.Option(min=1, help="Firms a benchmark cell needs to be published.")
    ] = DEFAULT_K_MIN_FIRMS,
) -> None:
    """Gate the landing zone, then dbt build the warehouse from the files that passed."""
    from expectations.runner import run_gates
    from tpsp.console import console, print_build_result, print_gate_report, print_headline
    from tpsp.dbt_runner import run_dbt

    try:
        console.print("[bold]gate[/]")
        gate = run_gates(landing, quarantine)
        print_gate_report(gate)
        console.print("[bold]dbt build[/]")
        result = run_dbt(["build"], landing, warehouse, target=target, k_min_firms=k_min_firms)
    except TpspError as error:
        _fail(error)
    print_build_result(result)
    if target == "duckdb" and result.succeeded:
        print_headline(warehouse)
    console.print(f"warehouse: {warehouse.resolve()}")
    if not result.succeeded:
        raise typer.Exit(code=1)


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option(help="Everything the demo writes goes here.")] = Path("demo"),
    firms: Annotated[int, typer.Option(min=1, help="Number of firms.")] = 6,
    days: Annotated[int, typer.Option(min=30, help="Days of history.")] = 120,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate → anonymize every firm → gate → dbt build → print the headline table."""
    from tpsp.console import (
        console,
        print_anonymize_report,
        print_build_result,
        print_gate_report,
        print_headline,
        print_signals,
    )
    from tpsp.demo import run_demo

    def progress(message: str) -> None:
        console.print(f"[bold cyan]▶[/] {message}")

    try:
        result = run_demo(out, firms=firms, days=days, seed=seed, progress=progress)
    except TpspError as error:
        _fail(error)
    for report in result.anonymized:
        print_anonymize_report(report)
    print_gate_report(result.gate)
    print_build_result(result.build)
    if not result.build.succeeded:
        raise typer.Exit(code=1)
    print_headline(result.layout.warehouse)
    print_signals(result.layout.warehouse)
    console.print(f"warehouse (DuckDB): {result.layout.warehouse.resolve()}")
    console.print(f"planted truths:     {result.layout.truth.resolve()}")
    console.print("browse lineage and docs: make docs")


def main() -> None:
    sys.exit(app())
