"""What the report shows, read once from the warehouse: plain values, no connection."""

from dataclasses import dataclass, field
from datetime import date

from tpsp.report.period import Quarter

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")


@dataclass(frozen=True)
class BenchmarkCell:
    """One published (or suppressed) cell of `benchmark.fct_benchmarks`."""

    metric: str
    period_start: date
    firms: int
    teams: int | None  # NULL when suppressed
    suppressed: bool
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None

    def percentile(self, name: str) -> float | None:
        return getattr(self, name)


@dataclass(frozen=True)
class FirmValue:
    """One firm's own value of a metric for a period (firm reports only)."""

    metric: str
    period_start: date
    teams: int
    value: float


@dataclass(frozen=True)
class GlossaryEntry:
    metric: str
    label: str
    formula: str
    unit: str
    grain: str
    direction: str
    caveats: str


@dataclass(frozen=True)
class SignalCount:
    """How many signals of one kind fired in the quarter, without saying where."""

    signal: str
    description: str
    signals: int
    firms: int
    teams: int


@dataclass(frozen=True)
class FirmSignal:
    """One of the report firm's own signals, with its own team pseudonym."""

    signal: str
    team_id: str
    when: str
    detail: str


@dataclass(frozen=True)
class Freshness:
    first_usage_day: date
    last_usage_day: date
    last_shipped_day: date | None
    firms: int
    teams: int


@dataclass
class ReportData:
    quarter: Quarter
    quarter_is_complete: bool
    freshness: Freshness
    glossary: dict[str, GlossaryEntry]
    # metric → the cells of every month up to the quarter's end, oldest first
    monthly: dict[str, list[BenchmarkCell]]
    # metric → the quarter's cell
    quarterly: dict[str, BenchmarkCell]
    # metric → the quarter's firm values, sorted, for published cells only
    distributions: dict[str, list[float]]
    signal_counts: list[SignalCount]
    firm_id: str | None = None
    firm_monthly: dict[str, dict[date, FirmValue]] = field(default_factory=dict)
    firm_quarterly: dict[str, FirmValue] = field(default_factory=dict)
    firm_signals: list[FirmSignal] = field(default_factory=list)
    firm_freshness: Freshness | None = None

    def label(self, metric: str) -> str:
        entry = self.glossary.get(metric)
        return entry.label if entry else metric.replace("_", " ")

    def unit(self, metric: str) -> str:
        entry = self.glossary.get(metric)
        return entry.unit if entry else ""
