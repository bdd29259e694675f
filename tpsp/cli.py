"""tpsp command line: generate, anonymize, gate, build, demo and report."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from tpsp.cli_group import TpspGroup
from tpsp.errors import TpspError
from tpsp.project import DEFAULT_K_MIN_FIRMS, DEFAULT_MIN_TEAM_SIZE, DEFAULT_WAREHOUSE

DEFAULT_REPORT_WAREHOUSE = Path("demo/tpsp.duckdb")


class LandingFormat(StrEnum):  # tpsp.anonymize.parquet.LANDING_FORMATS, without its import
    json = "json"
    parquet = "parquet"


app = typer.Typer(
    cls=TpspGroup,
    help="tpsp — Tokens Per Shipped Product: AI tokens per unit of shipped software, "
    "benchmarked across firms without exposing anyone.\n\n"
    "Each firm runs `anonymize` on its raw vendor exports and sends the landing/<firm_id>/ "
    "folder it writes. The warehouse operator runs `build` (quality gates, then dbt into a "
    "DuckDB warehouse) and `report` (the quarterly benchmark report as one HTML file). "
    "`demo` runs the whole chain on synthetic firms from `generate`.\n\n"
    "A failing command prints one line and a hint; --verbose adds the traceback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show the full traceback when a command fails.")
    ] = False,
) -> None:
    # read back by TpspGroup when a command fails: the option only changes error output
    del verbose


def _fail(error: Exception) -> NoReturn:
    """End the command; TpspGroup prints the error (and its traceback with --verbose)."""
    raise error


@app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option(help="Folder for raw/<firm>/… exports and truth.json.")],
    firms: Annotated[int, typer.Option(min=1, help="Number of firms.")] = 6,
    days: Annotated[int, typer.Option(min=30, help="Days of history.")] = 120,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 7,
) -> None:
    """Write synthetic raw vendor exports (pre-anonymization) with planted truths.

    Writes OUT/raw/<firm>/ (firm.json, org_map.csv and one folder per source kind, as the
    vendors export them) and OUT/truth.json, the planted spikes, outliers and gaming teams the
    tests look for. Input for `anonymize`; `demo` runs both.
    """
    from tpsp.console import console
    from tpsp.generate import generate
    from tpsp.progress import steps

    with steps() as progress:
        progress(f"generate: {firms} firms x {days} days of raw vendor exports (seed {seed})")
        result = generate(out, firms=firms, days=days, seed=seed)
    console.print(f"wrote {len(result.firm_dirs)} firms under {out / 'raw'}")
    console.print(f"planted truths: {result.truth_path}")


@app.command("anonymize")
def anonymize_command(
    firm_dir: Annotated[
        Path,
        typer.Option(help="A firm's raw folder: firm.json, org_map.csv, <source_kind>/ exports."),
    ],
    landing: Annotated[Path, typer.Option(help="Landing zone to write to.")],
    secret_file: Annotated[
        Path | None,
        typer.Option(
            help="File holding the firm's secret HMAC key, readable by its owner only "
            "(chmod 600). Without it the secret is read from the TPSP_SECRET environment "
            "variable."
        ),
    ] = None,
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
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print what would be landed (rows per source kind and day, fields kept and "
            "dropped) and write nothing.",
        ),
    ] = False,
    landing_format: Annotated[
        LandingFormat,
        typer.Option(
            "--format",
            help="parquet: land per-call kinds (OTel GenAI spans, Claude Code metrics, "
            "LiteLLM spend) and the CSV kinds as typed Parquet, the same records as json; "
            "json: every kind in its vendor's JSON or CSV shape.",
        ),
    ] = LandingFormat.json,
) -> None:
    """Anonymize one firm's raw exports into the landing zone (run inside the firm)."""
    from tpsp.anonymize import anonymize_firm, read_secret
    from tpsp.console import print_anonymize_report, print_dry_run

    try:
        secret = read_secret(secret_file)
        report = anonymize_firm(
            firm_dir,
            secret,
            landing,
            min_team_size=min_team_size,
            quarantine=quarantine,
            dry_run=dry_run,
            landing_format=landing_format.value,
        )
    except TpspError as error:
        _fail(error)
    if dry_run:
        print_dry_run(report)
    else:
        print_anonymize_report(report)


@app.command("gate")
def gate_command(
    landing: Annotated[Path, typer.Option(help="Landing zone to check.")],
    quarantine: Annotated[Path, typer.Option(help="Where failing files are moved.")],
) -> None:
    """Check every landed file against its firm's export manifest, then run the Great
    Expectations gates; quarantine the failures."""
    from expectations.runner import run_gates
    from tpsp.console import print_gate_report
    from tpsp.progress import steps

    with steps() as progress:
        progress("gate: Great Expectations suites on every landed file")
        report = run_gates(landing, quarantine)
    print_gate_report(report)
    if not report.passed:
        _fail(
            TpspError(
                "no landed file passed the gates: nothing to build",
                hint="each quarantined file's reason.json says what its gate found",
            )
        )


@app.command("build")
def build_command(
    landing: Annotated[Path, typer.Option(help="Landing zone with the firms' files.")],
    quarantine: Annotated[Path, typer.Option(help="Where failing files are moved.")],
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file.")] = DEFAULT_WAREHOUSE,
    target: Annotated[str, typer.Option(help="dbt target in profiles.yml.")] = "duckdb",
    k_min_firms: Annotated[
        int, typer.Option(min=1, help="Firms a benchmark cell needs to be published.")
    ] = DEFAULT_K_MIN_FIRMS,
    dp_epsilon: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            help="Release the benchmarks with differential privacy, spending this epsilon per "
            "published statistic (recorded in ops.dp_budget_ledger). Off by default.",
        ),
    ] = None,
) -> None:
    """Gate the landing zone, then dbt build the warehouse from the files that passed.

    Reads LANDING/<firm_id>/<source_kind>/<date>/ files; moves each failing file to
    QUARANTINE with its reason.json; builds the staging, intermediate and mart tables (with
    their tests) in the DuckDB file WAREHOUSE and prints the headline benchmarks. Exits 1
    when a dbt model or test fails.
    """
    from expectations.runner import run_gates
    from tpsp.console import console, print_build_result, print_gate_report, print_headline
    from tpsp.dbt_runner import run_dbt
    from tpsp.progress import steps

    try:
        with steps() as progress:
            progress("gate: Great Expectations suites on every landed file")
            gate = run_gates(landing, quarantine)
            print_gate_report(gate)
            progress("dbt build: staging → intermediate → marts, with tests")
            result = run_dbt(
                ["build"],
                landing,
                warehouse,
                target=target,
                k_min_firms=k_min_firms,
                dp_epsilon=dp_epsilon,
            )
            if target == "duckdb" and result.succeeded:
                from tpsp.privacy.release_guard import apply_release_guard

                # before any DP release: the guard decides on the exact firm sets
                progress("release guard: cells whose firms changed by fewer than k")
                console.print(apply_release_guard(warehouse, k_min_firms).summary())
            if dp_epsilon is not None and target == "duckdb" and result.succeeded:
                from tpsp.privacy import release_dp_benchmarks

                progress("release: differentially private benchmarks")
                release = release_dp_benchmarks(warehouse, dp_epsilon, k_min_firms)
                console.print(release.summary())
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
    dp_epsilon: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            help="Release the benchmarks with differential privacy, spending this epsilon per "
            "published statistic (recorded in ops.dp_budget_ledger). Off by default.",
        ),
    ] = None,
) -> None:
    """Generate → anonymize every firm → gate → dbt build → print the headline table.

    Everything is written under OUT: raw/ (synthetic exports), secrets/, landing/,
    quarantine/, firm_quarantine/, truth.json and the DuckDB warehouse tpsp.duckdb, which
    `tpsp report` and `make report` read. Running it twice gives identical marts.
    """
    from tpsp.console import (
        console,
        print_anonymize_report,
        print_build_result,
        print_gate_report,
        print_headline,
        print_signals,
    )
    from tpsp.demo import run_demo
    from tpsp.progress import steps

    try:
        with steps() as progress:
            result = run_demo(
                out, firms=firms, days=days, seed=seed, progress=progress, dp_epsilon=dp_epsilon
            )
    except TpspError as error:
        _fail(error)
    for report in result.anonymized:
        print_anonymize_report(report)
    print_gate_report(result.gate)
    print_build_result(result.build)
    if not result.build.succeeded:
        raise typer.Exit(code=1)
    if result.release_guard is not None:
        console.print(result.release_guard.summary())
    if result.dp_release is not None:
        console.print(result.dp_release.summary())
    print_headline(result.layout.warehouse)
    print_signals(result.layout.warehouse)
    console.print(f"warehouse (DuckDB): {result.layout.warehouse.resolve()}")
    console.print(f"planted truths:     {result.layout.truth.resolve()}")
    console.print("browse lineage and docs: make docs")


@app.command("report")
def report_command(
    out: Annotated[
        Path, typer.Option(help="HTML file to write; `--pdf` writes the PDF beside it.")
    ] = Path("report.html"),
    period: Annotated[
        str | None,
        typer.Option(
            help="Quarter as YYYYQn, e.g. 2026Q3. Default: the latest quarter the data covers "
            "to its last day."
        ),
    ] = None,
    warehouse: Annotated[
        Path,
        typer.Option(
            envvar="TPSP_WAREHOUSE", help="DuckDB warehouse built by `tpsp build` or `tpsp demo`."
        ),
    ] = DEFAULT_REPORT_WAREHOUSE,
    firm: Annotated[
        str | None,
        typer.Option(
            help="A firm_id: add that firm's own values and signals beside the cross-firm "
            "percentiles. The file is then for that firm only; no other firm is named."
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print the report to PDF with headless Chromium.")
    ] = False,
) -> None:
    """Write the quarterly benchmark report: one self-contained HTML file.

    Reads the marts of a built warehouse (benchmark.fct_benchmarks, the firm-level values, the
    signal marts and the metric glossary). The page holds percentile fan charts by month,
    the distribution of firms, cache-hit ratio and attribution coverage, signals to
    investigate (never a ranking), data freshness, the firms and teams behind each figure,
    and the glossary. Charts are inline SVG: viewing it needs no network. Without --firm no
    firm or team is named.
    """
    from tpsp.console import console
    from tpsp.progress import steps
    from tpsp.report import load_report_data, print_pdf, render_page, write_report

    with steps() as progress:
        progress(f"report: read the marts of {warehouse}")
        data = load_report_data(warehouse, period, firm)
        progress(f"report: render {data.quarter}" + (f" for firm {firm}" if firm else ""))
        written = write_report(render_page(data), out)
        if pdf:
            progress("report: print to PDF with headless Chromium")
            pdf_file = print_pdf(written, out.with_suffix(".pdf"))
    console.print(f"report ({data.quarter}): {written.resolve()}")
    if pdf:
        console.print(f"PDF: {pdf_file.resolve()}")


@app.command("governance")
def governance_command(
    manifest: Annotated[
        Path | None,
        typer.Option(help="dbt manifest to read. Default: the project's target/manifest.json."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Page to write. Default: the project's models/docs/governance.md."),
    ] = None,
) -> None:
    """Write the governance page of the dbt docs from dbt's manifest.

    Reads the manifest that `dbt parse` writes (`make governance` parses first) and the vars
    of dbt_project.yml; writes a docs block listing every public column with its
    meta.privacy class and the dbt sources and seeds its model derives from, every model's
    group and access, and the privacy settings. `make docs` shows it under Projects → tpsp.
    """
    from tpsp.console import console
    from tpsp.governance import DEFAULT_MANIFEST, GOVERNANCE_PAGE, write_page

    page = out or GOVERNANCE_PAGE
    try:
        models = write_page(manifest or DEFAULT_MANIFEST, page)
    except TpspError as error:
        _fail(error)
    columns = sum(len(model.columns) for model in models)
    console.print(f"governance page ({len(models)} public models, {columns} columns): {page}")


@app.command("prices")
def prices_command(
    out: Annotated[
        Path | None,
        typer.Option(help="Seed to write. Default: the project's seeds/model_prices.csv."),
    ] = None,
) -> None:
    """Rewrite the price seed from the pinned genai-prices package.

    Reads the list prices genai-prices ships (no network) for the models of
    tpsp/prices/catalog.py and writes one row per model, service tier, context-window class
    and validity period to seeds/model_prices.csv, the only price list the warehouse reads.
    Update prices by bumping genai-prices, running this and reviewing the seed's diff; price
    a new model by adding it to the catalog first.
    """
    from tpsp.console import console
    from tpsp.prices import write_seed
    from tpsp.project import PROJECT_DIR

    seed = out or PROJECT_DIR / "seeds" / "model_prices.csv"
    rows = write_seed(seed)
    console.print(f"price seed ({rows} rows): {seed}")


def main() -> None:
    sys.exit(app())
