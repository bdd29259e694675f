"""tpsp's AI cost in FinOps FOCUS columns: every build writes ``exports/focus/*.parquet``
beside the warehouse, and the files add up to the computed cost of the reconciliation mart."""

from decimal import Decimal

import duckdb
import pytest
from conftest import query

FOCUS_COLUMNS = {
    "BilledCost",
    "EffectiveCost",
    "ListCost",
    "BillingCurrency",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "ChargeCategory",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ServiceName",
    "ServiceCategory",
    "SkuId",
    "x_FirmId",
    "x_TeamId",
    "x_TokenType",
    "x_Model",
}


@pytest.fixture(scope="module")
def focus(demo_run):
    folder = demo_run.layout.warehouse.parent / "exports" / "focus"
    assert sorted(folder.glob("*.parquet")), "the build writes the FOCUS export"
    connection = duckdb.connect()
    pattern = str(folder / "*.parquet").replace("'", "''")
    connection.execute(f"create view focus as select * from read_parquet('{pattern}')")
    yield connection
    connection.close()


def test_focus_files_carry_the_focus_columns(focus):
    columns = {row[0] for row in query(focus, "describe focus")}
    assert columns >= FOCUS_COLUMNS
    assert not {c for c in columns - FOCUS_COLUMNS if not c[0].isupper() and c[:2] != "x_"}


def test_focus_billed_cost_adds_up_to_the_reconciliation_mart(focus, warehouse):
    exported = dict(
        query(focus, "select x_FirmId, cast(sum(BilledCost) as varchar) from focus group by 1")
    )
    computed = dict(
        query(
            warehouse,
            """
            select firm_id, cast(sum(computed_cost_usd) as varchar)
            from firm_private.fct_cost_reconciliation
            where computed_cost_usd is not null
            group by 1
            """,
        )
    )
    assert exported
    assert {firm: Decimal(v) for firm, v in exported.items()} == {
        firm: Decimal(v) for firm, v in computed.items()
    }


def test_focus_charges_are_daily_usage_with_list_prices(focus):
    (bad,) = query(
        focus,
        """
        select count(*) from focus
        where ChargeCategory <> 'Usage'
            or ChargePeriodEnd <> ChargePeriodStart + interval 1 day
            or BilledCost <> ListCost or EffectiveCost <> BilledCost
            or BillingCurrency <> 'USD' or ConsumedUnit <> 'Tokens' or ConsumedQuantity <= 0
            or abs(BilledCost - ConsumedQuantity * ListUnitPrice) > 1e-9
        """,
    )
    assert bad == (0,)
    token_types = {row[0] for row in query(focus, "select distinct x_TokenType from focus")}
    # the demo's Anthropic usage holds both cache lifetimes, each its own SKU
    assert {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"} <= token_types
