"""The cost mart gate as a Great Expectations 1.x suite on ``fct_cost_reconciliation``.

``cost_reconciles_monthly``: per firm x provider x month, tpsp's computed list cost stays
within ``reconciliation_gate_share`` (dbt var, 2 %) of the vendor's reported cost. Months
without a vendor cost report are not compared. A failure is a warning, not a block: the
invoice is the firm's truth, and a gap (an unpriced model, a quarantined usage file) is
something to look into, not a reason to hold back the benchmarks.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from orchestration.defs.warehouse.gx_validation import mart_validation

if TYPE_CHECKING:
    import great_expectations as gx

COST_RECONCILES_MONTHLY = "cost_reconciles_monthly"
GATE_DESCRIPTION = (
    "Per firm, provider and month, computed list cost within reconciliation_gate_share of "
    "the vendor's reported cost."
)
DEFAULT_GATE_SHARE = 0.02
RELATIVE_DIFFERENCE = "relative_difference"
MAX_EXAMPLES = 5

MONTHLY_SQL = """
    select
        firm_id,
        provider,
        cost_month,
        sum(computed_cost_usd)::double as computed_cost_usd,
        sum(reported_cost_usd)::double as reported_cost_usd,
        string_agg(distinct reason, ', ' order by reason) as reasons
    from firm_private.fct_cost_reconciliation
    where reported_cost_usd is not null
    group by firm_id, provider, cost_month
    order by firm_id, provider, cost_month
"""


def monthly_frame(connection) -> pd.DataFrame:
    """Firm x provider x month sums of the mart, with the relative difference the suite reads."""
    return with_relative_difference(connection.execute(MONTHLY_SQL).df())


def with_relative_difference(frame: pd.DataFrame) -> pd.DataFrame:
    """(computed - reported) / reported per row, a missing computed cost counting as 0."""
    reported = frame["reported_cost_usd"]
    computed = frame["computed_cost_usd"].fillna(0.0)
    frame[RELATIVE_DIFFERENCE] = ((computed - reported) / reported).where(reported != 0)
    return frame


def build_suite() -> "gx.ExpectationSuite":
    import great_expectations as gx

    suite = gx.ExpectationSuite(name="marts.fct_cost_reconciliation")
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=RELATIVE_DIFFERENCE,
            min_value={"$PARAMETER": "negative_gate_share"},
            max_value={"$PARAMETER": "gate_share"},
        )
    )
    return suite


@dataclass
class CostGateOutcome:
    passed: bool = True
    months: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        if self.passed:
            return f"{COST_RECONCILES_MONTHLY}: {self.months} firm-months within the limit"
        listed = "; ".join(
            f"{f['firm_id']} {f['provider']} {f['cost_month']}: "
            f"{f['relative_difference']:+.2%} ({f['reasons'] or 'no reason found'})"
            for f in self.failures[:MAX_EXAMPLES]
        )
        return (
            f"{COST_RECONCILES_MONTHLY}: {len(self.failures)} of {self.months} firm-months "
            f"differ from the vendor's cost report by more than the limit: {listed}"
        )


class CostGate:
    """An ephemeral GX context holding the fct_cost_reconciliation suite."""

    def __init__(self) -> None:
        self._validation = mart_validation("fct_cost_reconciliation_monthly", build_suite)

    def run(self, frame: pd.DataFrame, gate_share: float = DEFAULT_GATE_SHARE) -> CostGateOutcome:
        outcome = CostGateOutcome(months=len(frame))
        if frame.empty:
            return outcome
        result = self._validation.run(
            batch_parameters={"dataframe": frame.reset_index(drop=True)},
            expectation_parameters={"gate_share": gate_share, "negative_gate_share": -gate_share},
            result_format={"result_format": "COMPLETE"},
        )
        for checked in result.results:
            if checked.success:
                continue
            for index in checked.result.get("unexpected_index_list") or []:
                row = frame.iloc[index]
                outcome.failures.append(
                    {
                        "firm_id": row["firm_id"],
                        "provider": row["provider"],
                        "cost_month": str(row["cost_month"])[:10],
                        "relative_difference": float(row[RELATIVE_DIFFERENCE]),
                        "reasons": None if pd.isna(row["reasons"]) else row["reasons"],
                    }
                )
        outcome.passed = not outcome.failures
        return outcome
