"""Mart gates on ``fct_benchmarks`` as blocking asset checks: a failure keeps the report
(and anything else downstream of the mart) from being built from it in that run."""

from datetime import timedelta

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.warehouse import ops_log
from orchestration.defs.warehouse.assets import tpsp_dbt_models
from orchestration.defs.warehouse.benchmark_gates import (
    FIRMS_VS_WEEK_BEFORE,
    GATE_DESCRIPTIONS,
    GATES,
    BenchmarkGates,
    gate_frame,
    percentile_columns,
)
from orchestration.defs.warehouse.cost_gates import (
    COST_RECONCILES_MONTHLY,
    GATE_DESCRIPTION,
    CostGate,
    monthly_frame,
)
from orchestration.defs.warehouse.resources import TpspSettings

FCT_BENCHMARKS = get_asset_key_for_model([tpsp_dbt_models], "fct_benchmarks")
FCT_COST_RECONCILIATION = get_asset_key_for_model([tpsp_dbt_models], "fct_cost_reconciliation")
COVERAGE_LOOKBACK = timedelta(days=7)


@dg.multi_asset_check(
    name="benchmark_mart_gates",
    specs=[
        dg.AssetCheckSpec(
            gate, asset=FCT_BENCHMARKS, blocking=True, description=GATE_DESCRIPTIONS[gate]
        )
        for gate in GATES
    ],
    can_subset=True,
)
def benchmark_mart_gates(context: dg.AssetCheckExecutionContext, tpsp: TpspSettings):
    """Run the GX suite on the built mart; record its coverage for next week's comparison."""
    measured_at = ops_log.utc_now()
    with duckdb.connect(str(tpsp.warehouse), read_only=True) as connection:
        benchmarks = connection.execute("select * from benchmark.fct_benchmarks").df()
        # plain Python values: a suppressed cell's NULL teams would make pandas floats of them
        cells = connection.execute(
            """
            select benchmark_id, metric, period_type, period_start, firms, teams
            from benchmark.fct_benchmarks
            """
        ).fetchall()
    week_before = ops_log.coverage_before(tpsp.warehouse, measured_at - COVERAGE_LOOKBACK)
    frame = gate_frame(benchmarks, week_before)
    gates = BenchmarkGates(percentile_columns(frame))
    outcomes = gates.run(frame, tpsp.k_min_firms, tpsp.min_coverage_ratio)
    ops_log.record_coverage(tpsp.warehouse, context.run.run_id, measured_at, cells)
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        outcome = outcomes[check_key.name]
        if not outcome.passed:
            context.log.error(outcome.summary())
        yield dg.AssetCheckResult(
            asset_key=check_key.asset_key,
            check_name=check_key.name,
            passed=outcome.passed,
            description=outcome.summary(),
            metadata={
                "cells": len(benchmarks),
                "cells_compared_week_over_week": int(frame[FIRMS_VS_WEEK_BEFORE].notna().sum()),
                "failures": outcome.failures,
            },
        )


@dg.asset_check(
    name=COST_RECONCILES_MONTHLY,
    asset=FCT_COST_RECONCILIATION,
    blocking=False,
    description=GATE_DESCRIPTION,
)
def cost_reconciles_monthly(tpsp: TpspSettings) -> dg.AssetCheckResult:
    """Warn, never block, when a firm-month's cost does not reconcile to its invoice."""
    with duckdb.connect(str(tpsp.warehouse), read_only=True) as connection:
        frame = monthly_frame(connection)
    outcome = CostGate().run(frame, tpsp.reconciliation_gate_share)
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.WARN,
        description=outcome.summary(),
        metadata={"firm_months": outcome.months, "failures": outcome.failures},
    )
