"""Runs dbt for tpsp: the landing path and thresholds reach the project as vars."""

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tpsp.errors import TpspError
from tpsp.project import DEFAULT_K_MIN_FIRMS, PROJECT_DIR


class DbtError(TpspError):
    """dbt could not build the warehouse."""


@dataclass(frozen=True)
class DbtResult:
    succeeded: bool
    failures: list[str]


# Schemas the on-run-end hook exports as Parquet (dbt_project.yml), under exports_path.
EXPORTED_SCHEMAS = ("benchmark", "focus")


def exports_path(warehouse: Path) -> Path:
    """The Parquet exports' folder beside the warehouse file, with a folder per exported
    schema made ready: dbt cannot create folders."""
    root = warehouse.resolve().parent / "exports"
    for schema in EXPORTED_SCHEMAS:
        (root / schema).mkdir(parents=True, exist_ok=True)
    return root


def dbt_vars(
    landing: Path,
    k_min_firms: int = DEFAULT_K_MIN_FIRMS,
    warehouse: Path | None = None,
    dp_epsilon: float | None = None,
) -> dict[str, object]:
    found: dict[str, object] = {"landing_path": str(landing.resolve()), "k_min_firms": k_min_firms}
    if warehouse is not None:
        found["exports_path"] = str(exports_path(warehouse))
    if dp_epsilon is not None:
        found["dp_epsilon"] = dp_epsilon
    return found


def run_dbt(
    command: Sequence[str],
    landing: Path,
    warehouse: Path,
    target: str = "duckdb",
    k_min_firms: int = DEFAULT_K_MIN_FIRMS,
    quiet: bool = True,
    dp_epsilon: float | None = None,
) -> DbtResult:
    """Invoke dbt in process, e.g. ``run_dbt(["build"], ...)``; raise when dbt itself fails."""
    from dbt.cli.main import dbtRunner

    if not (PROJECT_DIR / "dbt_project.yml").is_file():
        raise DbtError(f"dbt project not found at {PROJECT_DIR}: run tpsp from a source checkout")
    warehouse = warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    # profiles.yml reads the warehouse path from the environment
    os.environ["TPSP_WAREHOUSE"] = str(warehouse)
    args = [
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target",
        target,
        "--target-path",
        str(warehouse.parent / "dbt_target"),
        "--log-path",
        str(warehouse.parent / "dbt_logs"),
        "--vars",
        json.dumps(dbt_vars(landing, k_min_firms, warehouse, dp_epsilon)),
    ]
    if quiet:
        args = ["--quiet", *args]
    outcome = dbtRunner().invoke(args)
    if outcome.exception is not None:
        raise DbtError(f"dbt {' '.join(command)} failed: {outcome.exception}")
    failures = [
        f"{result.node.name}: {result.status}"
        for result in (outcome.result or [])
        if str(result.status) in ("error", "fail")
    ]
    return DbtResult(succeeded=outcome.success, failures=failures)
