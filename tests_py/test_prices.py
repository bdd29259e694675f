"""The price seed is what `tpsp prices` makes of the pinned genai-prices package, and its
rows follow the vendors' published pricing rules."""

import csv
from decimal import Decimal

from typer.testing import CliRunner

from tpsp.cli import app
from tpsp.prices import SEED_COLUMNS
from tpsp.project import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "model_prices.csv"


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_committed_seed_is_what_tpsp_prices_writes(tmp_path):
    out = tmp_path / "model_prices.csv"
    result = CliRunner().invoke(app, ["prices", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")


def test_every_model_has_a_standard_row_for_both_context_classes():
    rows = _rows(SEED)
    assert tuple(rows[0]) == SEED_COLUMNS
    models = {(row["provider"], row["model_pattern"]) for row in rows}
    for provider, pattern in models:
        classes = {
            row["context_window_class"]
            for row in rows
            if (row["provider"], row["model_pattern"], row["service_tier"])
            == (provider, pattern, "standard")
        }
        assert classes == {"0-200k", "200k-1M"}, (provider, pattern)


def test_batch_rows_halve_the_standard_rates():
    rows = _rows(SEED)
    key = ("provider", "model_pattern", "context_window_class", "valid_from")
    standard = {tuple(r[k] for k in key): r for r in rows if r["service_tier"] == "standard"}
    batch = [r for r in rows if r["service_tier"] == "batch"]
    assert batch
    for row in batch:
        base = standard[tuple(row[k] for k in key)]
        for column in ("input_per_mtok_usd", "output_per_mtok_usd"):
            assert Decimal(row[column]) * 2 == Decimal(base[column]), (row, column)


def test_one_hour_cache_writes_and_long_context_cost_more_where_the_vendor_says_so():
    rows = {
        (r["model_pattern"], r["service_tier"], r["context_window_class"]): r for r in _rows(SEED)
    }
    sonnet = rows[("claude-sonnet-4-5", "standard", "0-200k")]
    assert Decimal(sonnet["cache_write_1h_per_mtok_usd"]) > Decimal(
        sonnet["cache_write_5m_per_mtok_usd"]
    )
    long = rows[("claude-sonnet-4-5", "standard", "200k-1M")]
    assert Decimal(long["input_per_mtok_usd"]) == 2 * Decimal(sonnet["input_per_mtok_usd"])
    # OpenAI bills no cache writes: written tokens are ordinary input
    gpt = rows[("gpt-4.1", "standard", "0-200k")]
    assert gpt["cache_write_5m_per_mtok_usd"] == gpt["input_per_mtok_usd"]
