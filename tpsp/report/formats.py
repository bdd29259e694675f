"""Numbers as a reader expects them, chosen by the metric's unit in the glossary."""

from datetime import date

SUPPRESSED = "suppressed"
DASH = "\u2013"  # between the bounds of a range: p10\u2013p90
MISSING = "—"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return MISSING
    if unit.startswith("USD"):
        return f"${value:,.2f}"
    if unit == "ratio":
        return f"{value:.0%}" if value == 0 or abs(value) >= 0.1 else f"{value:.1%}"
    if unit.startswith("tokens"):
        return compact(value)
    if unit == "hours":
        return f"{value:,.1f} h"
    return f"{value:,.3g}" if abs(value) < 1000 else compact(value)


def compact(value: float) -> str:
    """412,345 → 412k; 1,234,567 → 1.23M."""
    magnitude = abs(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= threshold:
            scaled = value / threshold
            digits = 0 if abs(scaled) >= 100 else 1 if abs(scaled) >= 10 else 2
            return f"{scaled:.{digits}f}{suffix}"
    return f"{value:.3g}"


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def position(value: float, percentiles: dict[str, float | None]) -> str:
    """Where a value sits among the cohort's percentiles: a band, never a rank."""
    bounds = [(name, percentiles.get(name)) for name in ("p10", "p25", "p50", "p75", "p90")]
    if any(bound is None for _, bound in bounds):
        return MISSING
    names = {"p10": "p10", "p25": "p25", "p50": "median", "p75": "p75", "p90": "p90"}
    previous = "below"
    for name, bound in bounds:
        if value < bound:  # type: ignore[operator]
            return "below p10" if previous == "below" else f"{previous}{DASH}{names[name]}"
        previous = names[name]
    return "above p90"
