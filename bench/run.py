"""Benchmark: dbt build times at N per-call usage events against the hand-written limit.

For each size: write a landing zone (bench/landing.py) without its last day; (a) a full
`dbt build`; (b) append the last day and run the incremental `dbt build`; (c) the limit,
bench/limit_fct_firm_efficiency.sql, fct_firm_efficiency straight from the landed files in
one DuckDB statement. Each step runs in its own process, so its peak RSS is its own.
``--format parquet`` lands the spans in Parquet (``tpsp anonymize --format parquet``) for
every step, the limit included. Prints a table and writes bench/results.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.landing import write_landing
from tpsp.anonymize.parquet import LANDING_FORMATS

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
# integer and text columns must match exactly, doubles within this relative tolerance
CHECKED_COLUMNS = (
    "count(*)",
    "sum(total_tokens)",
    "sum(attributed_tokens)",
    "sum(direct_key_tokens)",
    "sum(merged_prs)",
    "sum(feature_tokens)",
    "sum(tco_cost_usd)",
    "sum(cycle_time_p90_hours)",
)

# dbt's unit tests read fixtures, not the landing zone: they cost the same at every size and
# belong to `make test`, so the benchmark builds leave them out, as production runs would.
DBT_STEP = """
import os
import sys
from pathlib import Path
os.environ["DBT_EXCLUDE_RESOURCE_TYPES"] = "unit_test"
from tpsp.dbt_runner import run_dbt
outcome = run_dbt(["build"], Path(sys.argv[1]), Path(sys.argv[2]))
sys.exit(0 if outcome.succeeded else 1)
"""

LIMIT_STEP = """
import sys
import duckdb
with duckdb.connect(sys.argv[1]) as connection:
    connection.execute("set enable_progress_bar = false")
    connection.execute("set memory_limit = '" + sys.argv[5] + "'")
    connection.execute("set variable landing = ?", [sys.argv[2]])
    connection.execute("set variable seeds = ?", [sys.argv[3]])
    connection.execute(open(sys.argv[6]).read())
    connection.execute(open(sys.argv[4]).read())
"""


@dataclass(frozen=True)
class Result:
    events: int
    landing_format: str
    full_build_s: float
    incremental_s: float
    limit_s: float
    ratio_to_limit: float
    peak_rss_mib: dict[str, float]
    cores: int


@dataclass(frozen=True)
class Step:
    seconds: float
    peak_rss_mib: float


def run_step(*args: str) -> Step:
    """Run one step in a child process: its wall time and its own peak resident memory."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", *args], cwd=PROJECT_DIR)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {args[1:]}")
    # Linux reports ru_maxrss in KiB
    return Step(seconds=round(seconds, 2), peak_rss_mib=round(usage.ru_maxrss / 1024, 1))


def move_day(source: Path, target: Path, day: str) -> None:
    for folder in sorted(source.glob(f"*/*/{day}")):
        destination = target / folder.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder, destination)


def limit_differences(warehouse: Path, limit: Path) -> list[str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(f"attach '{limit}' as limit_db (read_only)")
        found = []
        for column in CHECKED_COLUMNS:
            built, limited = connection.execute(
                f"select (select {column} from firm_private.fct_firm_efficiency), "
                f"(select {column} from limit_db.limit_fct_firm_efficiency)"
            ).fetchone()
            same = (
                abs(built - limited) <= 1e-9 * max(abs(built), abs(limited))
                if isinstance(built, float)
                else built == limited
            )
            if not same:
                found.append(f"{column}: dbt {built}, limit {limited}")
    return found


def bench(events: int, work: Path, memory_limit: str, landing_format: str) -> Result:
    shutil.rmtree(work, ignore_errors=True)
    landing, held = work / "landing", work / "held_back"
    print(f"\n{events:,} events: writing the landing zone to {landing}", flush=True)
    written = write_landing(landing, events, landing_format=landing_format)
    move_day(landing, held, written.last_day.isoformat())

    warehouse = work / "dbt" / "tpsp.duckdb"
    print("(a) full dbt build", flush=True)
    full = run_step(DBT_STEP, str(landing), str(warehouse))
    move_day(held, landing, written.last_day.isoformat())
    print("(b) incremental dbt build after one new day", flush=True)
    incremental = run_step(DBT_STEP, str(landing), str(warehouse))

    limit_db = work / "limit" / "limit.duckdb"
    limit_db.parent.mkdir(parents=True, exist_ok=True)
    print("(c) the limit: one DuckDB statement", flush=True)
    limit = run_step(
        LIMIT_STEP,
        str(limit_db),
        str(landing),
        str(PROJECT_DIR / "seeds"),
        str(BENCH_DIR / "limit_fct_firm_efficiency.sql"),
        memory_limit,
        str(BENCH_DIR / f"limit_spans_{landing_format}.sql"),
    )
    differences = limit_differences(warehouse, limit_db)
    if differences:
        raise SystemExit(
            "the limit disagrees with dbt's fct_firm_efficiency: " + "; ".join(differences)
        )
    return Result(
        events=events,
        landing_format=landing_format,
        full_build_s=full.seconds,
        incremental_s=incremental.seconds,
        limit_s=limit.seconds,
        ratio_to_limit=round(full.seconds / limit.seconds, 1),
        peak_rss_mib={
            "full_build": full.peak_rss_mib,
            "incremental": incremental.peak_rss_mib,
            "limit": limit.peak_rss_mib,
        },
        cores=os.cpu_count() or 1,
    )


def print_table(results: list[Result]) -> None:
    header = (
        f"{'events':>12} {'format':>7} {'full s':>8} {'incr s':>8} {'limit s':>8} "
        f"{'full/limit':>10} {'RSS MiB full/incr/limit':>24} {'cores':>5}"
    )
    print("\n" + header)
    for result in results:
        rss = result.peak_rss_mib
        print(
            f"{result.events:>12,} {result.landing_format:>7} {result.full_build_s:>8} "
            f"{result.incremental_s:>8} {result.limit_s:>8} {result.ratio_to_limit:>10} "
            f"{rss['full_build']:>8}/{rss['incremental']}/{rss['limit']:<6} {result.cores:>5}"
        )


def merged_results(results: list[Result]) -> list[dict]:
    """results.json's entries with this run's replacing those of the same size and format
    (an entry written before formats were measured is a JSON landing's)."""
    fresh = [asdict(result) for result in results]
    measured = {(entry["events"], entry["landing_format"]) for entry in fresh}
    kept = json.loads(RESULTS.read_text()) if RESULTS.is_file() else []
    kept = [
        entry
        for entry in kept
        if (entry["events"], entry.get("landing_format", "json")) not in measured
    ]
    return sorted(
        kept + fresh, key=lambda entry: (entry.get("landing_format", "json"), entry["events"])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, action="append", required=True)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tpsp-bench")
    parser.add_argument(
        "--format", dest="landing_format", choices=LANDING_FORMATS, default=LANDING_FORMATS[0]
    )
    args = parser.parse_args()
    # the limit gets the memory the profile gives dbt
    memory_limit = os.environ.get("TPSP_DUCKDB_MEMORY_LIMIT", "3GB")
    results = [
        bench(events, args.work / str(events), memory_limit, args.landing_format)
        for events in args.events
    ]
    print_table(results)
    RESULTS.write_text(json.dumps(merged_results(results), indent=2) + "\n")
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
