"""Public candidate grids for the differentially private percentiles, one per metric.

A DP quantile picks one of a fixed list of candidates; the list must not come from the data,
or the list itself leaks it. These ranges are what each metric can plausibly take, fixed
before any firm's data is seen, like the glossary's definitions. A value outside its range
still counts (as below or above every candidate), but no release can leave it.
"""

import math
from dataclasses import dataclass

from tpsp.errors import TpspError

# Each firm's teams are clamped at this many in the DP release: one firm can move a
# published team count by at most this much, which sets the noise on teams.
MAX_TEAMS_PER_FIRM = 20

# Neighbouring candidates of a log grid differ by 5%: finer adds candidates, and each one
# outside the data draws probability away from the truth.
LOG_STEP = 1.05
LINEAR_STEPS = 200


class UnknownMetricError(TpspError):
    """A metric has no public range for its DP percentiles."""


@dataclass(frozen=True)
class MetricRange:
    lower: float
    upper: float
    log_scale: bool

    def candidates(self) -> list[float]:
        if not self.log_scale:
            step = (self.upper - self.lower) / LINEAR_STEPS
            return [self.lower + step * i for i in range(LINEAR_STEPS + 1)]
        count = math.ceil(math.log(self.upper / self.lower) / math.log(LOG_STEP)) + 1
        return [self.lower * LOG_STEP**i for i in range(count)]


TOKENS_PER_UNIT = MetricRange(1e3, 1e7, log_scale=True)
SHARE = MetricRange(0.0, 1.0, log_scale=False)

METRIC_RANGES = {
    "tokens_per_merged_pr": TOKENS_PER_UNIT,
    "tokens_per_completed_task": TOKENS_PER_UNIT,
    "tokens_per_shipped_feature": TOKENS_PER_UNIT,
    "cost_per_successful_task": MetricRange(1e-3, 1e3, log_scale=True),
    "cycle_time_hours": MetricRange(1.0, 1e4, log_scale=True),
    "cycle_time_p90_hours": MetricRange(1.0, 1e4, log_scale=True),
    "defect_rate": SHARE,
    "cache_hit_ratio": SHARE,
    "attribution_coverage": SHARE,
    "shipped_per_million_tokens": MetricRange(1e-2, 1e4, log_scale=True),
    "total_tokens": MetricRange(1e4, 1e11, log_scale=True),
}


def metric_range(metric: str) -> MetricRange:
    try:
        return METRIC_RANGES[metric]
    except KeyError:
        raise UnknownMetricError(
            f"no public range for the DP percentiles of metric {metric}",
            hint="add one to METRIC_RANGES in tpsp/privacy/bounds.py, chosen without the data",
        ) from None
