"""The report's sections as HTML fragments, in reading order."""

from html import escape

from tpsp.report.contents import COVERAGE_METRICS, HEADLINE_METRICS, TREND_METRICS
from tpsp.report.fan_chart import fan_chart
from tpsp.report.formats import DASH, SUPPRESSED, format_value, position
from tpsp.report.model import PERCENTILES, Freshness, ReportData
from tpsp.report.strip_chart import strip_chart
from tpsp.report.tables import (
    PERCENTILE_HEADERS,
    count_cell,
    missing_cells,
    number_cell,
    percentile_cells,
    table,
    text_cell,
)

INVESTIGATE = "investigate"


def header(data: ReportData) -> str:
    quarter = data.quarter
    if data.firm_id is None:
        scope = (
            "Cross-firm report: percentiles across the consortium's firms. No firm and no team "
            "is named; firm-level values appear only as unlabelled dots."
        )
    else:
        scope = (
            f"Firm report for <code>{escape(data.firm_id)}</code>, confidential to that firm: "
            "its own values beside the cross-firm percentiles, and its own signals. No other "
            "firm is named."
        )
    status = "complete" if data.quarter_is_complete else "partial: the data does not reach its end"
    facts = [
        ("Period", f"{quarter} ({quarter.start} to {quarter.end}), {status}"),
        ("Data freshness", _freshness(data.freshness)),
        ("Behind the quarter", f"{data.freshness.firms} firms, {data.freshness.teams} teams"),
    ]
    if data.firm_freshness is not None:
        facts.append(("Your firm's data", _freshness(data.firm_freshness)))
        facts.append(("Your firm's teams", f"{data.firm_freshness.teams} teams in the quarter"))
    listing = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    return (
        f"<header><h1>Tokens per shipped product — benchmark report {quarter}</h1>"
        f'<p class="scope">{scope}</p><dl class="facts">{listing}</dl>'
        '<p class="note">Each figure says how many firms and teams are behind it. A cell with '
        f"fewer firms than the consortium's minimum is shown as <em>{SUPPRESSED}</em>: "
        "neither its percentiles nor its firms' values are published.</p></header>"
    )


def _freshness(freshness: Freshness) -> str:
    shipped = (
        f"; latest shipped work {freshness.last_shipped_day}" if freshness.last_shipped_day else ""
    )
    return f"token usage from {freshness.first_usage_day} to {freshness.last_usage_day}{shipped}"


def summary(data: ReportData) -> str:
    period = str(data.quarter)
    headers = ["metric", "firms", "teams", *PERCENTILE_HEADERS]
    if data.firm_id is not None:
        headers += ["your firm", "your position", "your teams"]
    rows = []
    for metric in HEADLINE_METRICS:
        cell = data.quarterly.get(metric)
        unit = data.unit(metric)
        row = [text_cell(data.label(metric), "metric")]
        if cell is None:
            row += missing_cells(2 + len(PERCENTILES))
        else:
            row += [count_cell(metric, period, "firms", cell.firms)]
            row += [count_cell(metric, period, "teams", cell.teams)]
            row += percentile_cells(cell, period, unit)
        if data.firm_id is not None:
            row += _own_cells(data, metric, period)
        rows.append(row)
    note = (
        '<p class="note">Your position is the band of the cohort\'s percentiles your value '
        "falls in; it is not a rank, and whether lower or higher is better is in the glossary."
        "</p>"
        if data.firm_id is not None
        else ""
    )
    summary_table = table(headers, rows, "summary")
    return f"<section><h2>The quarter at a glance</h2>{summary_table}{note}</section>"


def _own_cells(data: ReportData, metric: str, period: str) -> list[str]:
    own = data.firm_quarterly.get(metric)
    if own is None:
        return missing_cells(3)
    cell = data.quarterly.get(metric)
    band = (
        position(own.value, {name: cell.percentile(name) for name in PERCENTILES})
        if cell is not None and not cell.suppressed
        else SUPPRESSED
    )
    return [
        number_cell(metric, period, "firm", own.value, data.unit(metric)),
        text_cell(band),
        count_cell(metric, period, "firm_teams", own.teams),
    ]


def trends(data: ReportData) -> str:
    charts = "".join(_trend(data, metric) for metric in TREND_METRICS)
    return (
        "<section><h2>Tokens per merged PR and cost per successful task, by month</h2>"
        '<p class="note">Percentiles across firms of each month (one value per firm, from '
        "its summed numerators and denominators); the quarter is shaded.</p>"
        f"{charts}</section>"
    )


def coverage(data: ReportData) -> str:
    charts = "".join(_trend(data, metric) for metric in COVERAGE_METRICS)
    return (
        "<section><h2>Cache-hit ratio and attribution coverage</h2>"
        '<p class="note">How much input the caches served, and how much of the tokens could '
        "be attributed to shipped work: the share behind every per-artifact figure.</p>"
        f"{charts}</section>"
    )


def _trend(data: ReportData, metric: str) -> str:
    cells = data.monthly.get(metric, [])
    label, unit = data.label(metric), data.unit(metric)
    heading = f"<h3>{escape(label)} <small>({escape(unit)})</small></h3>"
    if not cells:
        return f'{heading}<p class="empty">No month has a value yet.</p>'
    own = data.firm_monthly.get(metric) if data.firm_id is not None else None
    if all(cell.suppressed for cell in cells):
        chart = f'<p class="suppressed">Every month is {SUPPRESSED}.</p>'
    else:
        chart = fan_chart(label, unit, cells, data.quarter.months, own)
    headers = ["month", "firms", "teams", *PERCENTILE_HEADERS]
    if own is not None:
        headers.append("your firm")
    rows = []
    for cell in cells:
        period = cell.period_start.strftime("%Y-%m")
        row = [
            text_cell(period, "when"),
            count_cell(metric, period, "firms", cell.firms),
            count_cell(metric, period, "teams", cell.teams),
            *percentile_cells(cell, period, unit),
        ]
        if own is not None:
            value = own.get(cell.period_start)
            row.append(number_cell(metric, period, "firm", value.value if value else None, unit))
        rows.append(row)
    return f'<div class="figure">{heading}{chart}{table(headers, rows, "months")}</div>'


def distributions(data: ReportData) -> str:
    parts = []
    for metric in HEADLINE_METRICS:
        cell = data.quarterly.get(metric)
        if cell is None:
            continue
        label, unit = data.label(metric), data.unit(metric)
        heading = f"<h3>{escape(label)}</h3>"
        values = data.distributions.get(metric, [])
        if cell.suppressed or not values:
            parts.append(f'{heading}<p class="suppressed">{SUPPRESSED}</p>')
            continue
        own = data.firm_quarterly.get(metric)
        chart = strip_chart(label, unit, values, cell, own.value if own else None)
        caption = (
            f"{cell.firms} firms, {cell.teams} teams; median "
            f"{format_value(cell.p50, unit)}; one dot per firm"
        )
        parts.append(
            f'<div class="figure">{heading}{chart}<p class="caption">{escape(caption)}</p></div>'
        )
    return (
        f"<section><h2>Distribution of firms, {data.quarter}</h2>"
        '<p class="note">Each dot is one firm\'s value for the quarter, unlabelled and in no '
        f"particular order; the bands are p10{DASH}p90 and p25{DASH}p75, the line the median.</p>"
        f"{''.join(parts)}</section>"
    )


def signals(data: ReportData) -> str:
    rows = [
        [
            text_cell(count.signal),
            text_cell(count.description),
            count_cell(count.signal, str(data.quarter), "signals", count.signals),
            count_cell(count.signal, str(data.quarter), "firms", count.firms),
            count_cell(count.signal, str(data.quarter), "teams", count.teams),
            text_cell(INVESTIGATE, "label"),
        ]
        for count in data.signal_counts
    ]
    counts = table(["signal", "what fired", "signals", "firms", "teams", "label"], rows)
    own = ""
    if data.firm_id is not None:
        own_rows = [
            [
                text_cell(signal.when, "when"),
                text_cell(signal.signal),
                text_cell(signal.team_id, "pseudonym"),
                text_cell(signal.detail),
                text_cell(INVESTIGATE, "label"),
            ]
            for signal in data.firm_signals
        ]
        own = "<h3>Your firm's signals</h3>" + (
            table(["when", "signal", "team", "detail", "label"], own_rows, "own-signals")
            if own_rows
            else '<p class="empty">None fired for your firm in the quarter.</p>'
        )
    return (
        f"<section><h2>Signals to investigate, {data.quarter}</h2>"
        '<p class="note">Spike alerts, outlier flags and gaming signals are questions to ask, '
        "not scores: they are counted here, never ranked, and labelled "
        f"<em>{INVESTIGATE}</em>.</p>{counts}{own}</section>"
    )


def glossary(data: ReportData) -> str:
    rows = [
        [
            text_cell(entry.label, "metric"),
            text_cell(entry.metric, "code"),
            text_cell(entry.formula),
            text_cell(entry.unit),
            text_cell(entry.direction),
            text_cell(entry.caveats),
        ]
        for entry in data.glossary.values()
    ]
    headers = ["metric", "name", "definition", "unit", "direction", "caveats"]
    return (
        '<section class="appendix"><h2>Appendix: metric glossary</h2>'
        '<p class="note">The definitions published before any data was collected '
        "(<code>seeds/metric_glossary.csv</code>). Every ratio is empty, never 0 or "
        "infinite, when its denominator is 0.</p>"
        f"{table(headers, rows, 'glossary')}</section>"
    )
