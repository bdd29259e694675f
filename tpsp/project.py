"""Where the dbt project lives and the defaults every command shares."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_WAREHOUSE = Path("warehouse/tpsp.duckdb")
DEFAULT_K_MIN_FIRMS = 5
DEFAULT_MIN_TEAM_SIZE = 3
