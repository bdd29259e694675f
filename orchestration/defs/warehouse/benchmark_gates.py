"""The mart gates of design §10 as a Great Expectations 1.x suite on ``fct_benchmarks``.

Three gates, each a group of expectations on the mart (plus derived columns):

- ``percentiles_ordered``: p10 <= p25 <= p50 <= p75 <= p90 (those the mart has) in every
  published cell.
- ``no_unsuppressed_cell_below_k``: a cell with fewer than ``k_min_firms`` firms is suppressed,
  and a suppressed cell publishes no percentile (privacy rule 4).
- ``coverage_not_collapsing``: week over week, no cell loses more than the allowed share of its
  firms: each cell's firms divided by the firms the same cell had in the latest build at least
  seven days earlier stays at or above ``min_coverage_ratio`` (cells new since then pass).
"""

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from orchestration.defs.warehouse.gx_validation import mart_validation

if TYPE_CHECKING:
    import great_expectations as gx

PERCENTILES_ORDERED = "percentiles_ordered"
NO_UNSUPPRESSED_CELL_BELOW_K = "no_unsuppressed_cell_below_k"
COVERAGE_NOT_COLLAPSING = "coverage_not_collapsing"
GATES = (PERCENTILES_ORDERED, NO_UNSUPPRESSED_CELL_BELOW_K, COVERAGE_NOT_COLLAPSING)
GATE_DESCRIPTIONS = {
    PERCENTILES_ORDERED: "p10 <= p25 <= p50 <= p75 <= p90 in every published benchmark cell.",
    NO_UNSUPPRESSED_CELL_BELOW_K: (
        "Every cell below k_min_firms firms is suppressed and publishes no percentile."
    ),
    COVERAGE_NOT_COLLAPSING: (
        "No cell keeps fewer than min_coverage_ratio of the firms it had a week before."
    ),
}

UNSUPPRESSED_FIRMS = "unsuppressed_firms"
PUBLISHED_WHILE_SUPPRESSED = "published_while_suppressed"
FIRMS_VS_WEEK_BEFORE = "firms_vs_week_before"
PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
EXAMPLE_COLUMNS = ("benchmark_id", "metric", "period_type", "period_start", "firms", "suppressed")
MAX_EXAMPLES = 5


def build_suite(percentiles: Sequence[str] = PERCENTILES) -> "gx.ExpectationSuite":
    """The suite for a mart publishing ``percentiles`` (ascending column names)."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name="marts.fct_benchmarks")
    for low, high in itertools.pairwise(percentiles):
        suite.add_expectation(
            gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=high,
                column_B=low,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta={"gate": PERCENTILES_ORDERED},
            )
        )
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=UNSUPPRESSED_FIRMS,
            min_value={"$PARAMETER": "k_min_firms"},
            meta={"gate": NO_UNSUPPRESSED_CELL_BELOW_K},
        )
    )
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeNull(
            column=PUBLISHED_WHILE_SUPPRESSED, meta={"gate": NO_UNSUPPRESSED_CELL_BELOW_K}
        )
    )
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=FIRMS_VS_WEEK_BEFORE,
            min_value={"$PARAMETER": "min_coverage_ratio"},
            meta={"gate": COVERAGE_NOT_COLLAPSING},
        )
    )
    return suite


def gate_frame(benchmarks: pd.DataFrame, firms_week_before: dict[str, int]) -> pd.DataFrame:
    """The mart with the derived columns the suite reads."""
    frame = benchmarks.reset_index(drop=True).copy()
    suppressed = frame["suppressed"].astype(bool)
    frame[UNSUPPRESSED_FIRMS] = frame["firms"].astype("float64").where(~suppressed)
    published = frame[list(percentile_columns(frame))].notna().any(axis=1)
    frame[PUBLISHED_WHILE_SUPPRESSED] = pd.Series(
        [True if flag else None for flag in (suppressed & published)], dtype=object
    )
    before = frame["benchmark_id"].map(firms_week_before).astype("float64")
    frame[FIRMS_VS_WEEK_BEFORE] = (frame["firms"].astype("float64") / before).where(before > 0)
    return frame


def percentile_columns(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(column for column in PERCENTILES if column in frame.columns)


@dataclass
class GateOutcome:
    gate: str
    passed: bool = True
    failures: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        if self.passed:
            return f"{self.gate}: passed"
        listed = ", ".join(
            f"{f['expectation']}({f['column']}): {f['unexpected_count']} cells"
            for f in self.failures
        )
        return f"{self.gate} failed on fct_benchmarks: {listed}"


class BenchmarkGates:
    """An ephemeral GX context holding the fct_benchmarks suite."""

    def __init__(self, percentiles: Sequence[str] = PERCENTILES) -> None:
        self._validation = mart_validation("fct_benchmarks", lambda: build_suite(percentiles))

    def run(
        self, frame: pd.DataFrame, k_min_firms: int, min_coverage_ratio: float
    ) -> dict[str, GateOutcome]:
        outcomes = {gate: GateOutcome(gate) for gate in GATES}
        if frame.empty:
            return outcomes
        result = self._validation.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters={
                "k_min_firms": k_min_firms,
                "min_coverage_ratio": min_coverage_ratio,
            },
            result_format={"result_format": "COMPLETE"},
        )
        failures: dict[str, list[dict]] = defaultdict(list)
        for outcome in result.results:
            if outcome.success:
                continue
            config = outcome.expectation_config
            kwargs = config.kwargs
            rows = outcome.result.get("unexpected_index_list") or []
            failures[config.meta["gate"]].append(
                {
                    "expectation": config.type,
                    "column": kwargs.get("column")
                    or f"{kwargs.get('column_A')}>={kwargs.get('column_B')}",
                    "unexpected_count": outcome.result.get("unexpected_count", len(rows)),
                    "examples": _examples(frame, rows),
                }
            )
        for gate, found in failures.items():
            outcomes[gate] = GateOutcome(gate, passed=False, failures=found)
        return outcomes


def _examples(frame: pd.DataFrame, rows: list) -> list[dict[str, Any]]:
    examples = []
    for index in rows[:MAX_EXAMPLES]:
        row = frame.loc[index]
        example = {column: _plain(row[column]) for column in EXAMPLE_COLUMNS if column in row}
        example.update({p: _plain(row[p]) for p in PERCENTILES if p in row})
        examples.append(example)
    return examples


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)
