"""An incremental build over late and re-sent landing days equals a full refresh."""

import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest

from tpsp.dbt_runner import run_dbt

# The per-call kinds whose staging models are incremental (macros/incremental/).
PER_CALL_KINDS = ("otel_genai_spans", "litellm_spend", "claude_code_otel")
DAYS_HELD_BACK = 2
# dbt_project.yml's lookback_days is 3: after the first build the window starts 3 days
# before the newest day built, and this re-sent day lies inside it.
RESENT_DAYS_BEFORE_NEWEST_BUILT = 2


def day_folders(landing: Path) -> list[Path]:
    return sorted(path for path in landing.glob("*/*/????-??-??") if path.is_dir())


def newest_days(landing: Path, count: int) -> list[str]:
    return sorted({folder.name for folder in day_folders(landing)})[-count:]


def hold_back(landing: Path, held: Path, days: list[str]) -> None:
    """Move every source kind's folders of `days` out of the landing, as if not yet sent."""
    for folder in day_folders(landing):
        if folder.name in days:
            target = held / folder.relative_to(landing)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder, target)


def send_back(held: Path, landing: Path) -> None:
    for folder in day_folders(held):
        shutil.move(folder, landing / folder.relative_to(held))


def resend_changed(landing: Path, day: str) -> int:
    """Re-send `day` of every per-call kind with changed counts and, where a file holds more
    than one record, its last record gone; return how many files changed."""
    changed = 0
    for kind in PER_CALL_KINDS:
        for path in sorted(landing.glob(f"*/{kind}/{day}/*")):
            lines = path.read_text().splitlines()
            header, records = (lines[:1], lines[1:]) if path.suffix == ".csv" else ([], lines)
            kept = records[:-1] if len(records) > 1 else records
            path.write_text("\n".join([*header, *map(changed_count, kept)]) + "\n")
            changed += 1
    return changed


def changed_count(record: str) -> str:
    """A record with the same key and another count: a span's output tokens, a Claude Code
    line's first data point, a LiteLLM row's spend (its last field)."""
    if record.startswith("{"):
        for field in ('"gen_ai.usage.output_tokens","value":{"intValue":"', '"asInt":"'):
            record = record.replace(field, field + "1", 1)
        return record
    fields = record.split(",")
    fields[-1] = str(float(fields[-1] or 0) * 2)
    return ",".join(fields)


def tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    found = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' order by 1"
    ).fetchall()
    return [name for (name,) in found]


def same_value(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9) or (math.isnan(left) and math.isnan(right))
    return left == right


def differences(incremental: Path, full: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    with duckdb.connect(str(incremental)) as left, duckdb.connect(str(full)) as right:
        names = tables(right)
        assert tables(left) == names
        for name in names:
            left_rows = left.execute(f"select * from {name} order by all").fetchall()
            right_rows = right.execute(f"select * from {name} order by all").fetchall()
            if len(left_rows) != len(right_rows):
                found[name] = f"{len(left_rows)} rows, full refresh {len(right_rows)}"
                continue
            for left_row, right_row in zip(left_rows, right_rows, strict=True):
                if not all(map(same_value, left_row, right_row)):
                    found[name] = f"{left_row} != {right_row}"
                    break
    return found


def build(landing: Path, warehouse: Path, *flags: str) -> None:
    outcome = run_dbt(["build", *flags], landing, warehouse)
    assert outcome.succeeded, outcome.failures


@pytest.fixture(scope="module")
def builds(demo_run, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The same landing built twice: incrementally (the newest days late, one day re-sent)
    and by a full refresh. One landing folder for both, as landed file paths are data."""
    root = tmp_path_factory.mktemp("incremental")
    landing, held = root / "landing", root / "held_back"
    shutil.copytree(demo_run.layout.landing, landing)
    late_days = newest_days(landing, DAYS_HELD_BACK)
    hold_back(landing, held, late_days)
    incremental = root / "incremental" / "tpsp.duckdb"
    build(landing, incremental)

    send_back(held, landing)
    resent_day = newest_days(landing, DAYS_HELD_BACK + RESENT_DAYS_BEFORE_NEWEST_BUILT + 1)[0]
    assert resend_changed(landing, resent_day) > 0
    build(landing, incremental)

    full = root / "full" / "tpsp.duckdb"
    build(landing, full, "--full-refresh")
    (root / "scenario.json").write_text(json.dumps({"late": late_days, "resent": resent_day}))
    return incremental, full, root


def test_incremental_build_with_late_and_resent_days_equals_full_refresh(builds) -> None:
    incremental, full, _ = builds
    assert differences(incremental, full) == {}


def test_incremental_run_added_the_late_days(builds) -> None:
    incremental, _, root = builds
    scenario = json.loads((root / "scenario.json").read_text())
    with duckdb.connect(str(incremental)) as connection:
        late_rows = connection.execute(
            "select count(*) from intermediate.int_token_usage where usage_date = cast(? as date)",
            [scenario["late"][-1]],
        ).fetchall()[0][0]
    assert late_rows > 0
