"""Percentile fan chart by month: p10-p90 band, p25-p75 band, median line.

Suppressed months leave a gap, marked "suppressed"; a firm report adds the firm's own line.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from tpsp.report.formats import DASH, SUPPRESSED, format_value, month_label
from tpsp.report.model import BenchmarkCell, FirmValue
from tpsp.report.svg import Scale, band_path, line, nice_ticks, points_path, svg, text

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 34, 62
# a month alone still gets a visible band
LONE_MONTH_HALF_WIDTH = 14

Points = list[tuple[float, float]]


def fan_chart(
    label: str,
    unit: str,
    cells: Sequence[BenchmarkCell],
    quarter_months: Sequence[date],
    firm_values: dict[date, FirmValue] | None = None,
) -> str:
    months = [cell.period_start for cell in cells]
    x = _month_positions(months)
    published = [cell for cell in cells if not cell.suppressed and cell.p50 is not None]
    own = {month: value.value for month, value in (firm_values or {}).items() if month in x}
    y = _value_scale(published, own.values(), unit)

    body = [_quarter_shading(x, quarter_months), *_y_axis(y, unit)]
    for run in _published_runs(cells):
        body.append(_band(run, x, y, "p10", "p90", "band-outer"))
        body.append(_band(run, x, y, "p25", "p75", "band-inner"))
        body.append(f'<path class="median" d="{points_path(_line(run, x, y, "p50"))}"/>')
    body += [_x_label(cell, x[cell.period_start]) for cell in cells]
    body += [
        text(x[cell.period_start], (TOP + HEIGHT - BOTTOM) / 2, SUPPRESSED, "suppressed-mark")
        for cell in cells
        if cell.suppressed
    ]
    if own:
        body.append(_firm_line(own, x, y))
    body.append(_legend(firm=bool(own)))
    return svg(WIDTH, HEIGHT, f"{label} by month: p10{DASH}p90, p25{DASH}p75 and median", body)


def _month_positions(months: Sequence[date]) -> dict[date, float]:
    if len(months) == 1:
        return {months[0]: (LEFT + WIDTH - RIGHT) / 2}
    inner = 28  # keeps the first and last month's labels inside the frame
    step = (WIDTH - RIGHT - LEFT - 2 * inner) / (len(months) - 1)
    return {month: LEFT + inner + index * step for index, month in enumerate(months)}


def _value_scale(published: Sequence[BenchmarkCell], own: Iterable[float], unit: str) -> Scale:
    values = [v for cell in published for v in (cell.p10, cell.p90) if v is not None]
    values += list(own)
    high = max(values, default=1.0)
    top = nice_ticks(0.0, high * 1.05)[-1]
    if unit == "ratio" and high <= 1.0:
        top = min(top, 1.0)  # a share never reads above 100%
    return Scale(0.0, top, HEIGHT - BOTTOM, TOP)


def _published_runs(cells: Sequence[BenchmarkCell]) -> list[list[BenchmarkCell]]:
    """Consecutive published months: a suppressed month breaks the band."""
    runs: list[list[BenchmarkCell]] = [[]]
    for cell in cells:
        if cell.suppressed or cell.p50 is None:
            runs.append([])
        else:
            runs[-1].append(cell)
    return [run for run in runs if run]


def _xs(run: Sequence[BenchmarkCell], x: dict[date, float]) -> list[float]:
    if len(run) == 1:
        middle = x[run[0].period_start]
        return [middle - LONE_MONTH_HALF_WIDTH, middle + LONE_MONTH_HALF_WIDTH]
    return [x[cell.period_start] for cell in run]


def _line(run: Sequence[BenchmarkCell], x: dict[date, float], y: Scale, name: str) -> Points:
    values = [cell.percentile(name) for cell in run]
    if len(run) == 1:
        values *= 2
    return [(px, y(value)) for px, value in zip(_xs(run, x), values, strict=True)]


def _band(
    run: Sequence[BenchmarkCell], x: dict[date, float], y: Scale, low: str, high: str, css: str
) -> str:
    area = band_path(_line(run, x, y, high), _line(run, x, y, low))
    return f'<path class="{css}" d="{area}"/>'


def _quarter_shading(x: dict[date, float], quarter_months: Sequence[date]) -> str:
    inside = [x[month] for month in quarter_months if month in x]
    if not inside:
        return ""
    left, right = min(inside) - 20, max(inside) + 20
    return (
        f'<rect class="quarter" x="{left:.1f}" y="{TOP}" width="{right - left:.1f}" '
        f'height="{HEIGHT - BOTTOM - TOP}"/>'
    )


def _y_axis(y: Scale, unit: str) -> list[str]:
    parts = []
    for tick in nice_ticks(y.low, y.high):
        if tick > y.high + 1e-9:
            break
        parts.append(line(LEFT, y(tick), WIDTH - RIGHT, y(tick), "grid"))
        parts.append(text(LEFT - 8, y(tick) + 4, format_value(tick, unit), "tick", "end"))
    return parts


def _x_label(cell: BenchmarkCell, px: float) -> str:
    base = HEIGHT - BOTTOM
    teams = "" if cell.teams is None else f" · {cell.teams} teams"  # none when suppressed
    return text(px, base + 18, month_label(cell.period_start), "tick") + text(
        px, base + 34, f"{cell.firms} firms{teams}", "count"
    )


def _firm_line(own: dict[date, float], x: dict[date, float], y: Scale) -> str:
    points = [(x[month], y(value)) for month, value in sorted(own.items())]
    dots = "".join(f'<circle class="firm" cx="{px:.1f}" cy="{py:.1f}" r="4"/>' for px, py in points)
    return f'<path class="firm-line" d="{points_path(points)}"/>{dots}'


def _legend(firm: bool) -> str:
    items = [
        ("band-outer", f"p10{DASH}p90"),
        ("band-inner", f"p25{DASH}p75"),
        ("median-key", "median"),
    ]
    if firm:
        items.append(("firm-key", "your firm"))
    parts, px = [], LEFT
    for css_class, name in items:
        parts.append(f'<rect class="{css_class}" x="{px}" y="10" width="14" height="10"/>')
        parts.append(text(px + 19, 19, name, "legend", "start"))
        px += 30 + 7 * len(name)
    return "".join(parts)
