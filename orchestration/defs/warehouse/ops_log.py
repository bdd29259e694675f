"""The `ops` schema of the warehouse: what the gates saw, what each build read, what retention
deleted. Written from Python with duckdb (never by dbt), one short connection at a time.

- ``ops.gate_log``: one row per landed file and gate run (passed or quarantined, with sha256).
- ``ops.build_log``: one row per dbt build (succeeded or not, full or a subset).
- ``ops.consumed_files``: the gated files a successful full build read (file, sha256, run id).
- ``ops.retention_audit``: one row per landing file deleted by retention (design §7 rule 7).
- ``ops.benchmark_coverage``: firms per benchmark cell at each build, for the coverage gate.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

DDL = """
create schema if not exists ops;
create table if not exists ops.gate_log (
    run_id varchar, gated_at timestamp, firm_id varchar, source_kind varchar,
    export_date date, file varchar, sha256 varchar, outcome varchar,
    reason_code varchar, message varchar, reason_file varchar
);
create table if not exists ops.build_log (
    run_id varchar, started_at timestamp, finished_at timestamp, succeeded boolean,
    full_build boolean, files_read integer, files_not_gated integer
);
create table if not exists ops.consumed_files (
    run_id varchar, consumed_at timestamp, file varchar, sha256 varchar,
    firm_id varchar, source_kind varchar, export_date date
);
create table if not exists ops.retention_audit (
    file varchar, sha256 varchar, "rows" bigint, run_id varchar, deleted_at timestamp,
    firm_id varchar, source_kind varchar, export_date date, consumed_by_run_id varchar
);
create table if not exists ops.benchmark_coverage (
    run_id varchar, measured_at timestamp, benchmark_id varchar, metric varchar,
    period_type varchar, period_start date, firms bigint, teams bigint
);
"""

PASSED = "passed"
QUARANTINED = "quarantined"


def utc_now() -> datetime:
    """Naive UTC, as stored in the `ops` tables."""
    return datetime.now(UTC).replace(tzinfo=None)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def connect(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(warehouse))
    try:
        connection.execute(DDL)
        yield connection
    finally:
        connection.close()


@dataclass(frozen=True)
class LandedPath:
    """A file's place in the landing zone: ``<firm_id>/<source_kind>/<YYYY-MM-DD>/<file>``."""

    relative: str

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.relative.split("/"))

    @property
    def firm_id(self) -> str:
        return self.parts[0]

    @property
    def source_kind(self) -> str | None:
        return self.parts[1] if len(self.parts) == 4 else None

    @property
    def export_date(self) -> date | None:
        if len(self.parts) != 4:
            return None
        try:
            return date.fromisoformat(self.parts[2])
        except ValueError:
            return None


# -- gates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateRow:
    file: str  # relative to the landing folder
    sha256: str
    outcome: str  # passed or quarantined
    reason_code: str | None = None
    message: str | None = None
    reason_file: str | None = None


def record_gate(warehouse: Path, run_id: str, rows: Iterable[GateRow]) -> None:
    gated_at = utc_now()
    values = []
    for row in rows:
        where = LandedPath(row.file)
        values.append(
            (
                run_id,
                gated_at,
                where.firm_id,
                where.source_kind,
                where.export_date,
                row.file,
                row.sha256,
                row.outcome,
                row.reason_code,
                row.message,
                row.reason_file,
            )
        )
    if not values:
        return
    with connect(warehouse) as connection:
        connection.executemany(
            "insert into ops.gate_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
        )


def passed_files(warehouse: Path) -> dict[str, str]:
    """sha256 of every file whose latest gate outcome is `passed`, by relative path."""
    with connect(warehouse) as connection:
        rows = connection.execute(
            """
            select file, sha256 from ops.gate_log
            qualify row_number() over (partition by file order by gated_at desc) = 1
                and outcome = 'passed'
            """
        ).fetchall()
    return dict(rows)


def last_passed_at(warehouse: Path, firm_id: str) -> dict[str, datetime]:
    """When each file of a firm last passed a gate, by relative path."""
    with connect(warehouse) as connection:
        rows = connection.execute(
            """
            select file, max(gated_at) from ops.gate_log
            where firm_id = ? and outcome = 'passed'
            group by file
            """,
            [firm_id],
        ).fetchall()
    return dict(rows)


@dataclass(frozen=True)
class Quarantined:
    """A quarantined file that still blocks its firm: no later delivery of it has passed."""

    file: str  # relative path, as in landing
    source_kind: str | None
    reason_code: str
    message: str
    reason_file: Path


def outstanding_quarantine(warehouse: Path, quarantine: Path, firm_id: str) -> list[Quarantined]:
    """The firm's files in quarantine that were not re-delivered and passed since.

    A quarantined file stops blocking when a corrected delivery of the same path passes a
    later gate run, or when an operator removes it from the quarantine folder.
    """
    from expectations.runner import REASON_SUFFIX

    folder = quarantine / firm_id
    if not folder.is_dir():
        return []
    passed_at = last_passed_at(warehouse, firm_id)
    found = []
    for reason_file in sorted(folder.rglob(f"*{REASON_SUFFIX}")):
        held = reason_file.with_name(reason_file.name.removesuffix(REASON_SUFFIX))
        if not held.exists():
            continue  # released by an operator
        relative = held.relative_to(quarantine).as_posix()
        quarantined_at = datetime.fromtimestamp(reason_file.stat().st_mtime, UTC).replace(
            tzinfo=None
        )
        if relative in passed_at and passed_at[relative] > quarantined_at:
            continue
        reason = _read_reason(reason_file)
        found.append(
            Quarantined(
                file=relative,
                source_kind=LandedPath(relative).source_kind,
                reason_code=str(reason.get("reason_code", "unknown")),
                message=str(reason.get("message", relative)),
                reason_file=reason_file,
            )
        )
    return found


def _read_reason(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


# -- builds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildRow:
    run_id: str
    started_at: datetime
    succeeded: bool
    full_build: bool
    files_read: int
    files_not_gated: int


def record_build(warehouse: Path, build: BuildRow, consumed: dict[str, str]) -> None:
    """Log a build; a successful full build also records the files it consumed."""
    finished_at = utc_now()
    with connect(warehouse) as connection:
        connection.execute(
            "insert into ops.build_log values (?, ?, ?, ?, ?, ?, ?)",
            [
                build.run_id,
                build.started_at,
                finished_at,
                build.succeeded,
                build.full_build,
                build.files_read,
                build.files_not_gated,
            ],
        )
        if build.succeeded and build.full_build and consumed:
            connection.executemany(
                "insert into ops.consumed_files values (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        build.run_id,
                        finished_at,
                        file,
                        sha256,
                        LandedPath(file).firm_id,
                        LandedPath(file).source_kind,
                        LandedPath(file).export_date,
                    )
                    for file, sha256 in sorted(consumed.items())
                ],
            )


def latest_build(warehouse: Path) -> tuple[str, bool] | None:
    """Run id and outcome of the latest full build, if any."""
    with connect(warehouse) as connection:
        row = connection.execute(
            """
            select run_id, succeeded from ops.build_log
            where full_build order by finished_at desc limit 1
            """
        ).fetchone()
    return (row[0], bool(row[1])) if row else None


def consumed_files(warehouse: Path) -> dict[tuple[str, str], str]:
    """Run id of the latest successful build that consumed each (file, sha256)."""
    with connect(warehouse) as connection:
        rows = connection.execute(
            """
            select file, sha256, arg_max(run_id, consumed_at) from ops.consumed_files
            group by file, sha256
            """
        ).fetchall()
    return {(file, sha256): run_id for file, sha256, run_id in rows}


# -- retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionRow:
    file: str
    sha256: str
    rows: int | None
    consumed_by_run_id: str


def insert_deletion(
    connection: duckdb.DuckDBPyConnection, run_id: str, row: DeletionRow, deleted_at: datetime
) -> None:
    where = LandedPath(row.file)
    connection.execute(
        "insert into ops.retention_audit values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.file,
            row.sha256,
            row.rows,
            run_id,
            deleted_at,
            where.firm_id,
            where.source_kind,
            where.export_date,
            row.consumed_by_run_id,
        ],
    )


# -- benchmark coverage -------------------------------------------------------------------


def record_coverage(
    warehouse: Path, run_id: str, measured_at: datetime, cells: list[tuple]
) -> None:
    """Store (benchmark_id, metric, period_type, period_start, firms, teams) of one build."""
    if not cells:
        return
    with connect(warehouse) as connection:
        connection.executemany(
            "insert into ops.benchmark_coverage values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, measured_at, *cell) for cell in cells],
        )


def coverage_before(warehouse: Path, cutoff: datetime) -> dict[str, int]:
    """Firms per benchmark cell as measured by the latest build at or before ``cutoff``."""
    with connect(warehouse) as connection:
        rows = connection.execute(
            """
            with latest as (
                select max(measured_at) as measured_at
                from ops.benchmark_coverage where measured_at <= ?
            )
            select benchmark_id, firms
            from ops.benchmark_coverage inner join latest using (measured_at)
            """,
            [cutoff],
        ).fetchall()
    return dict(rows)
