"""Distribution of firms for one metric in the quarter: one unlabelled dot per firm over the
cohort's p10-p90 and p25-p75 bands and median. A firm report marks the firm's own dot."""

import math
from collections.abc import Sequence

from tpsp.report.formats import format_value
from tpsp.report.model import BenchmarkCell
from tpsp.report.svg import Scale, line, nice_ticks, svg, text

WIDTH, HEIGHT = 720, 120
LEFT, RIGHT = 24, 24
AXIS_Y = 84
DOT_ROWS = (52, 40, 64)  # dots close in value take turns between rows, so that each shows


def strip_chart(
    label: str,
    unit: str,
    values: Sequence[float],
    cell: BenchmarkCell,
    own: float | None = None,
) -> str:
    x = _value_scale([*values, *([own] if own is not None else [])], unit)
    body = [*_axis(x, unit), *_bands(cell, x)]
    body += [
        f'<circle class="dot" cx="{x(value):.1f}" cy="{DOT_ROWS[index % len(DOT_ROWS)]}" r="6"/>'
        for index, value in enumerate(_others(values, own))
    ]
    if own is not None:
        body.append(
            f'<circle class="firm" cx="{x(own):.1f}" cy="{DOT_ROWS[0]}" r="8"/>'
            + text(x(own), 22, "your firm", "firm-label")
        )
    return svg(WIDTH, HEIGHT, f"{label}: the {len(values)} firms of the quarter", body)


def _others(values: Sequence[float], own: float | None) -> list[float]:
    """The dots other than the firm's own, which is drawn apart."""
    others = sorted(values)
    if own is not None:
        match = next((v for v in others if math.isclose(v, own, rel_tol=1e-9)), None)
        if match is not None:
            others.remove(match)
    return others


def _value_scale(values: Sequence[float], unit: str) -> Scale:
    low, high = min(values), max(values)
    if unit == "ratio" or (low >= 0 and low < (high - low)):
        low = min(low, 0.0)  # start counts and ratios at zero unless the spread is narrow
    ticks = nice_ticks(low, high)
    return Scale(ticks[0], ticks[-1], LEFT + 40, WIDTH - RIGHT - 40)


def _axis(x: Scale, unit: str) -> list[str]:
    parts = [line(x.start, AXIS_Y, x.end, AXIS_Y, "axis")]
    for tick in nice_ticks(x.low, x.high):
        if x.low - 1e-9 <= tick <= x.high + 1e-9:
            parts.append(line(x(tick), AXIS_Y, x(tick), AXIS_Y + 5, "axis"))
            parts.append(text(x(tick), AXIS_Y + 20, format_value(tick, unit), "tick"))
    return parts


def _bands(cell: BenchmarkCell, x: Scale) -> list[str]:
    parts = []
    for low, high, css_class in (("p10", "p90", "band-outer"), ("p25", "p75", "band-inner")):
        start, end = cell.percentile(low), cell.percentile(high)
        if start is not None and end is not None:
            parts.append(
                f'<rect class="{css_class}" x="{x(start):.1f}" y="30" '
                f'width="{max(x(end) - x(start), 1.0):.1f}" height="44"/>'
            )
    if cell.p50 is not None:
        parts.append(line(x(cell.p50), 26, x(cell.p50), 78, "median"))
    return parts
