"""The OpenDP measurements of one DP release, each calibrated to `epsilon` for one firm.

The unit of privacy is the firm: neighbouring datasets differ by one firm, which adds or
removes one value in each cell it belongs to (symmetric distance 1). Each measurement's
privacy map is OpenDP's, so the guarantee rests on its proofs, not on a formula here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import opendp.prelude as dp

from tpsp.privacy.bounds import MAX_TEAMS_PER_FIRM, metric_range

PERCENTILES = {"p10": 0.1, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p90": 0.9}
MECHANISM = (
    "p10-p90: OpenDP make_private_quantile (exponential mechanism over a public grid); "
    f"firms, teams: discrete Laplace (teams clamped at {MAX_TEAMS_PER_FIRM} per firm)"
)
# one firm joins or leaves: one value more or less in every cell it belongs to
ONE_FIRM = 1

dp.enable_features("contrib")

VALUES = dp.vector_domain(dp.atom_domain(T=float, nan=False))
TEAM_COUNTS = dp.vector_domain(dp.atom_domain(T=int))
FIRM_DISTANCE = dp.symmetric_distance()


def _quantile(candidates: list[float], alpha: float, scale: float) -> dp.Measurement:
    return dp.m.make_private_quantile(
        VALUES, FIRM_DISTANCE, dp.max_divergence(), candidates, alpha, scale
    )


def _firm_count(scale: float) -> dp.Measurement:
    return dp.t.make_count(VALUES, FIRM_DISTANCE) >> dp.m.then_laplace(scale)


def _team_count(scale: float) -> dp.Measurement:
    return (
        dp.t.make_clamp(TEAM_COUNTS, FIRM_DISTANCE, bounds=(0, MAX_TEAMS_PER_FIRM))
        >> dp.t.then_sum()
        >> dp.m.then_laplace(scale)
    )


@dataclass
class Mechanisms:
    """Measurements for every statistic of a cell, built once per release."""

    epsilon: float
    _quantiles: dict[tuple[str, str], dp.Measurement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.firms = _firm_count(self._scale(_firm_count))
        self.teams = _team_count(self._scale(_team_count))

    def _scale(self, make: Callable[[float], dp.Measurement]) -> float:
        """The smallest noise scale whose privacy loss for one firm is within epsilon."""
        return dp.binary_search_param(make, d_in=ONE_FIRM, d_out=self.epsilon)

    def percentile(self, metric: str, name: str) -> dp.Measurement:
        key = (metric, name)
        if key not in self._quantiles:
            alpha = PERCENTILES[name]
            candidates = metric_range(metric).candidates()
            scale = self._scale(lambda s: _quantile(candidates, alpha, s))
            self._quantiles[key] = _quantile(candidates, alpha, scale)
        return self._quantiles[key]
