"""The cost mart gate: a firm-month whose computed cost strays more than 2 % from the
vendor's cost report is reported (a warning in Dagster), and the reason travels with it."""

from orchestration.defs.warehouse.cost_gates import (
    RELATIVE_DIFFERENCE,
    CostGate,
    monthly_frame,
    with_relative_difference,
)


def test_the_demo_reconciles_within_the_gate(warehouse):
    frame = monthly_frame(warehouse)
    assert not frame.empty
    outcome = CostGate().run(frame)
    assert outcome.passed, outcome.summary()
    assert outcome.months == len(frame)


def test_a_month_three_percent_off_is_reported_with_its_firm_and_month(warehouse):
    frame = monthly_frame(warehouse)
    off = frame.index[len(frame) // 2]
    frame.loc[off, "computed_cost_usd"] *= 1.03
    outcome = CostGate().run(with_relative_difference(frame))
    assert not outcome.passed
    (failure,) = outcome.failures
    assert (failure["firm_id"], failure["provider"]) == tuple(
        frame.loc[off, ["firm_id", "provider"]]
    )
    assert failure["relative_difference"] > 0.02
    assert failure["firm_id"] in outcome.summary()


def test_a_tighter_limit_flags_the_months_with_an_explained_gap(warehouse):
    frame = monthly_frame(warehouse)
    explained = frame[frame["reasons"].notna()]
    assert not explained.empty, "the demo plants a quarantined usage day and an unpriced model"
    outcome = CostGate().run(frame, gate_share=0.0)
    flagged = {(f["firm_id"], f["provider"], f["cost_month"]) for f in outcome.failures}
    for _, row in explained.iterrows():
        if row[RELATIVE_DIFFERENCE] != 0:
            assert (row["firm_id"], row["provider"], str(row["cost_month"])[:10]) in flagged
