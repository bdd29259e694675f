"""HTML tables whose figures carry the exact value they show (`data-metric`, `data-period`,
`data-stat`, `data-value`), so that readers and tests can check each against the marts."""

from collections.abc import Sequence
from html import escape

from tpsp.report.formats import MISSING, SUPPRESSED, format_value
from tpsp.report.model import PERCENTILES, BenchmarkCell

PERCENTILE_HEADERS = ("p10", "p25", "median", "p75", "p90")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], css_class: str = "") -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    attributes = f' class="{css_class}"' if css_class else ""
    return f"<table{attributes}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def text_cell(content: str, css_class: str = "") -> str:
    attributes = f' class="{css_class}"' if css_class else ""
    return f"<td{attributes}>{escape(content)}</td>"


def _figure(metric: str, period: str, stat: str) -> str:
    return f'data-metric="{metric}" data-period="{period}" data-stat="{stat}"'


def number_cell(metric: str, period: str, stat: str, value: float | None, unit: str) -> str:
    figure = _figure(metric, period, stat)
    if value is None:
        return f'<td class="num" {figure}>{MISSING}</td>'
    return (
        f'<td class="num" {figure} data-value="{value!r}">{escape(format_value(value, unit))}</td>'
    )


def count_cell(metric: str, period: str, stat: str, count: int | None) -> str:
    figure = _figure(metric, period, stat)
    if count is None:  # a suppressed cell's teams
        return f'<td class="num" {figure}>{MISSING}</td>'
    return f'<td class="num" {figure} data-value="{count}">{count}</td>'


def percentile_cells(cell: BenchmarkCell, period: str, unit: str) -> list[str]:
    """p10 … p90 of a cell, or a single "suppressed" cell across the five columns."""
    if cell.suppressed:
        figure = _figure(cell.metric, period, "suppressed")
        return [f'<td class="suppressed" colspan="{len(PERCENTILES)}" {figure}>{SUPPRESSED}</td>']
    return [
        number_cell(cell.metric, period, name, cell.percentile(name), unit) for name in PERCENTILES
    ]


def missing_cells(count: int) -> list[str]:
    return [f'<td class="num" colspan="{count}">{MISSING}</td>']
