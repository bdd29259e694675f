"""Run configuration shared by every job: where things are and the thresholds.

The defaults are those of ``make demo`` (everything under ``demo/``); relative paths are read
from the repository root. Override them per deployment in ``orchestration/definitions.py``
(environment variables ``TPSP_LANDING``, ``TPSP_QUARANTINE``, ``TPSP_WAREHOUSE``) or per run
in the launchpad.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from pydantic import Field

from tpsp.dbt_runner import dbt_vars
from tpsp.project import DEFAULT_K_MIN_FIRMS, PROJECT_DIR

DEFAULT_LANDING = "demo/landing"
DEFAULT_QUARANTINE = "demo/quarantine"
DEFAULT_WAREHOUSE = "demo/tpsp.duckdb"
DEFAULT_RAW_RETENTION_DAYS = 30
DEFAULT_MIN_COVERAGE_RATIO = 0.5


class TpspSettings(dg.ConfigurableResource):
    """Where tpsp reads and writes, and the thresholds of its gates and privacy rules."""

    target: str = Field(default="duckdb", description="dbt target in profiles.yml.")
    landing_path: str = Field(
        default=DEFAULT_LANDING, description="Landing zone: <firm_id>/<source_kind>/<date>/file."
    )
    quarantine_path: str = Field(
        default=DEFAULT_QUARANTINE, description="Where files failing a gate are moved."
    )
    warehouse_path: str = Field(
        default=DEFAULT_WAREHOUSE,
        description="DuckDB warehouse file; also holds the `ops` schema (gate log, audits).",
    )
    k_min_firms: int = Field(
        default=DEFAULT_K_MIN_FIRMS, description="Firms a benchmark cell needs to be published."
    )
    raw_retention_days: int = Field(
        default=DEFAULT_RAW_RETENTION_DAYS,
        description="Consumed landing files older than this many days are deleted by retention.",
    )
    min_coverage_ratio: float = Field(
        default=DEFAULT_MIN_COVERAGE_RATIO,
        description="A benchmark cell's firms may not fall below this share of a week before.",
    )
    reconciliation_gate_share: float = Field(
        default=0.02,
        description="A firm-month whose computed cost differs from the vendor's by more warns.",
    )

    @property
    def landing(self) -> Path:
        return _resolve(self.landing_path)

    @property
    def quarantine(self) -> Path:
        return _resolve(self.quarantine_path)

    @property
    def warehouse(self) -> Path:
        return _resolve(self.warehouse_path)

    @property
    def workdir(self) -> Path:
        """Folder beside the warehouse for build inputs, dbt artifacts and published files."""
        return self.warehouse.parent

    def dbt_build_vars(
        self, landing: Path, window: tuple[date, date] | None = None
    ) -> dict[str, object]:
        """The dbt vars of a build: landing path, thresholds and the run's date window."""
        found = dbt_vars(landing, self.k_min_firms, self.warehouse)
        if window is not None:
            found["window_start"], found["window_end"] = (day.isoformat() for day in window)
        return found

    @contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """``profiles.yml`` reads the warehouse path from ``TPSP_WAREHOUSE``; dbt runs as a
        subprocess that inherits it, so it is set while the invocation starts."""
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)
        previous = os.environ.get("TPSP_WAREHOUSE")
        os.environ["TPSP_WAREHOUSE"] = str(self.warehouse)
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("TPSP_WAREHOUSE", None)
            else:
                os.environ["TPSP_WAREHOUSE"] = previous


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_DIR / path


def settings_from_environment() -> TpspSettings:
    """Settings with the ``make demo`` defaults, unless the environment names other paths."""
    return TpspSettings(
        landing_path=os.environ.get("TPSP_LANDING", DEFAULT_LANDING),
        quarantine_path=os.environ.get("TPSP_QUARANTINE", DEFAULT_QUARANTINE),
        warehouse_path=os.environ.get("TPSP_WAREHOUSE", DEFAULT_WAREHOUSE),
    )


def dbt_resource(project: DbtProject) -> DbtCliResource:
    """dbt from this virtualenv (it need not be on PATH), run in the project's directory."""
    local = Path(sys.executable).with_name("dbt")
    executable = str(local) if local.exists() else "dbt"
    return DbtCliResource(project_dir=project, dbt_executable=executable)
