"""The quarterly benchmark report, rendered from the session's demo warehouse: it opens in
headless Chromium with no console error and no network request, every chart has data, every
figure matches the marts, and a firm's report names that firm and no other."""

import dataclasses
import math
import os
import shutil
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import query
from devtools import CHROMIUM, headless_page
from typer.testing import CliRunner

from tpsp.cli import app
from tpsp.report.contents import COVERAGE_METRICS, HEADLINE_METRICS, TREND_METRICS

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (CI installs it and runs this test)",
)

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
CHART_METRICS = (*TREND_METRICS, *COVERAGE_METRICS)
SIGNALS_IN_QUARTER = """
    select firm_id, team_id from firm_private.fct_spike_alerts where date between $start and $end
    union all
    select firm_id, team_id from firm_private.fct_outlier_flags where month between $start and $end
    union all
    select firm_id, team_id from firm_private.fct_gaming_signals
    where first_date is null or first_date between $start and $end
"""
# each rendered chart: its size on the page and the data marks (paths, dots) drawn in it
CHART_BOXES = """
Array.from(document.querySelectorAll('svg.chart')).map(chart => {
    const box = chart.getBoundingClientRect();
    const marks = Array.from(chart.querySelectorAll('path, circle')).filter(mark => {
        const drawn = mark.getBBox();
        return drawn.width > 0 || drawn.height > 0;
    });
    return {width: box.width, height: box.height, marks: marks.length};
})
"""


@dataclasses.dataclass(frozen=True)
class Quarter:
    start: date
    end: date
    label: str


class ReportPage(HTMLParser):
    """The charts of a report and its figures: the cells that carry `data-value`."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.charts: list[dict[str, int]] = []
        self.figures: list[dict[str, str]] = []
        self.suppressed: set[tuple[str, str]] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "svg" and "chart" in attributes.get("class", "").split():
            self.charts.append({"paths": 0, "dots": 0})
        elif self.charts and tag == "path" and attributes.get("d", "").strip():
            self.charts[-1]["paths"] += 1
        elif self.charts and tag == "circle":
            self.charts[-1]["dots"] += 1
        if "data-value" in attributes:
            self.figures.append(attributes)
        if attributes.get("data-stat") == "suppressed":
            self.suppressed.add((attributes["data-metric"], attributes["data-period"]))

    def figure(self, metric: str, period: str, stat: str) -> float | None:
        for found in self.figures:
            if (found["data-metric"], found["data-period"], found["data-stat"]) == (
                metric,
                period,
                stat,
            ):
                return float(found["data-value"])
        return None


def quarter_end(start: date) -> date:
    following = (
        date(start.year + 1, 1, 1) if start.month == 10 else start.replace(month=start.month + 3)
    )
    return following - timedelta(days=1)


def report(*args: str) -> str:
    result = CliRunner().invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def quarter(warehouse) -> Quarter:
    """The report's default: the latest quarter the data covers to its last day."""
    ((last_day,),) = query(
        warehouse, "select max(usage_date) from firm_private.fct_token_usage_daily"
    )
    starts = [
        start
        for (start,) in query(
            warehouse,
            "select distinct period_start from benchmark.fct_benchmarks "
            "where period_type = 'quarter' order by 1",
        )
    ]
    complete = [start for start in starts if quarter_end(start) <= last_day]
    start = (complete or starts)[-1]
    return Quarter(start, quarter_end(start), f"{start.year}Q{(start.month - 1) // 3 + 1}")


@pytest.fixture(scope="module")
def report_firm(warehouse, quarter: Quarter) -> str:
    """The firm with the most signals in the quarter, so that its report lists some."""
    rows = warehouse.execute(
        f"select firm_id, count(*) from ({SIGNALS_IN_QUARTER}) group by firm_id order by 2 desc, 1",
        {"start": quarter.start, "end": quarter.end},
    ).fetchall()
    if rows:
        return rows[0][0]
    return query(warehouse, "select min(firm_id) from firm_private.fct_firm_benchmark_values")[0][0]


@pytest.fixture(scope="module")
def cross_firm_report(demo_run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    report("--warehouse", str(demo_run.layout.warehouse), "--out", str(out))
    return out


@pytest.fixture(scope="module")
def firm_report(demo_run, report_firm: str, quarter: Quarter, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("firm_report") / "report.html"
    report(
        "--warehouse", str(demo_run.layout.warehouse), "--out", str(out),
        "--period", quarter.label, "--firm", report_firm,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def pseudonyms(warehouse) -> dict[str, set[str]]:
    """Every firm's pseudonym and its teams' pseudonyms, from every mart that names them."""
    rows = query(
        warehouse,
        """
        select firm_id, team_id from firm_private.fct_token_usage_daily
        union select firm_id, team_id from firm_private.fct_firm_efficiency
        union select firm_id, team_id from firm_private.fct_shipped_artifacts
        union select firm_id, team_id from firm_private.fct_spike_alerts
        union select firm_id, team_id from firm_private.fct_outlier_flags
        union select firm_id, team_id from firm_private.fct_gaming_signals
        union select firm_id, null from firm_private.fct_firm_benchmark_values
        union select firm_id, null from firm_private.dq_unpriced_usage
        """,
    )
    teams: dict[str, set[str]] = {}
    for firm_id, team_id in rows:
        teams.setdefault(firm_id, set())
        if team_id is not None:
            teams[firm_id].add(team_id)
    return teams


@needs_chromium
@pytest.mark.parametrize("which", ["cross_firm_report", "firm_report"])
def test_report_opens_in_chromium_without_errors_or_network(which, request, tmp_path):
    page_file: Path = request.getfixturevalue(which)
    with headless_page(tmp_path / "profile") as page:
        page.open(page_file.as_uri())
        charts = page.evaluate(CHART_BOXES)
        screenshot = page.screenshot(tmp_path / f"{which}.png")
        problems, requested = page.problems(), page.requested_urls()

    assert problems == []
    assert set(requested) == {page_file.as_uri()}  # nothing fetched: the file is self-contained
    assert len(charts) == len(ReportPage(page_file.read_text()).charts) > 0
    for chart in charts:
        assert chart["width"] > 0 and chart["height"] > 0 and chart["marks"] > 0, chart
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000
    keep = os.environ.get("TPSP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(screenshot, Path(keep) / f"{which}.png")


def test_every_chart_has_data(cross_firm_report: Path, warehouse, quarter: Quarter):
    page = ReportPage(cross_firm_report.read_text())
    fans = query(
        warehouse,
        f"""
        select count(distinct metric) from benchmark.fct_benchmarks
        where period_type = 'month' and segment_type = 'all' and not suppressed
            and period_start <= ? and metric in ({", ".join("?" for _ in CHART_METRICS)})
        """,
        quarter.end,
        *CHART_METRICS,
    )[0][0]
    strips = query(
        warehouse,
        f"""
        select count(*) from benchmark.fct_benchmarks
        where period_type = 'quarter' and segment_type = 'all' and not suppressed
            and period_start = ? and metric in ({", ".join("?" for _ in HEADLINE_METRICS)})
        """,
        quarter.start,
        *HEADLINE_METRICS,
    )[0][0]

    assert len(page.charts) == fans + strips > 0
    for chart in page.charts:
        assert chart["paths"] + chart["dots"] > 0, chart


def test_figures_match_the_marts(cross_firm_report: Path, warehouse, quarter: Quarter):
    page = ReportPage(cross_firm_report.read_text())
    marts: dict[tuple[str, str, str], float] = {}
    suppressed: set[tuple[str, str]] = set()
    for metric, period_type, start, firms, teams, is_suppressed, *values in query(
        warehouse,
        "select metric, period_type, period_start, firms, teams, suppressed, "
        f"{', '.join(PERCENTILES)} from benchmark.fct_benchmarks where segment_type = 'all'",
    ):
        period = quarter.label if period_type == "quarter" else start.strftime("%Y-%m")
        if period_type == "quarter" and start != quarter.start:
            continue
        marts[(metric, period, "firms")] = firms
        marts[(metric, period, "teams")] = teams
        marts.update({(metric, period, p): v for p, v in zip(PERCENTILES, values, strict=True)})
        shown = (
            metric in HEADLINE_METRICS
            if period_type == "quarter"
            else (metric in CHART_METRICS and start <= quarter.end)
        )
        if is_suppressed and shown:
            suppressed.add((metric, period))

    metrics = {metric for metric, _, _ in marts}
    checked = 0
    for figure in page.figures:
        key = (figure["data-metric"], figure["data-period"], figure["data-stat"])
        if key[0] in metrics and key[2] != "firm":
            assert math.isclose(float(figure["data-value"]), marts[key], rel_tol=1e-12), key
            checked += 1
    assert page.suppressed == suppressed
    for metric in HEADLINE_METRICS:  # the quarter's summary shows each published median
        published = marts.get((metric, quarter.label, "p50")) is not None
        if published and (metric, quarter.label) not in suppressed:
            assert page.figure(metric, quarter.label, "p50") is not None, metric
    assert checked > len(HEADLINE_METRICS) * len(PERCENTILES)


def test_default_period_is_the_latest_complete_quarter(cross_firm_report: Path, quarter):
    html = cross_firm_report.read_text()
    assert f"benchmark report {quarter.label}" in html
    assert f"{quarter.start} to {quarter.end}" in html


def test_signals_are_counted_and_labelled_investigate(
    cross_firm_report: Path, warehouse, quarter: Quarter
):
    page = ReportPage(cross_firm_report.read_text())
    ((signals, firms),) = warehouse.execute(
        f"select count(*), count(distinct firm_id) from ({SIGNALS_IN_QUARTER})",
        {"start": quarter.start, "end": quarter.end},
    ).fetchall()
    counted = [f for f in page.figures if f["data-stat"] == "signals"]

    signal_firms = [
        int(f["data-value"])
        for f in page.figures
        if f["data-stat"] == "firms" and f["data-metric"] in {c["data-metric"] for c in counted}
    ]

    assert counted and sum(int(f["data-value"]) for f in counted) == signals
    assert signal_firms and max(signal_firms) <= firms
    assert cross_firm_report.read_text().count('class="label">investigate<') == len(counted)


def test_suppressed_cells_are_shown_as_suppressed(demo_run):
    from tpsp.report import load_report_data, render_page

    data = load_report_data(demo_run.layout.warehouse)
    metric = TREND_METRICS[0]
    hidden = dataclasses.replace(
        data.quarterly[metric], suppressed=True, **dict.fromkeys(PERCENTILES)
    )
    first = dataclasses.replace(
        data.monthly[metric][0], suppressed=True, **dict.fromkeys(PERCENTILES)
    )
    data.quarterly[metric] = hidden
    data.monthly[metric] = [first, *data.monthly[metric][1:]]
    data.distributions.pop(metric)

    page = ReportPage(render_page(data))

    month = first.period_start.strftime("%Y-%m")
    assert {(metric, month), (metric, str(data.quarter))} <= page.suppressed
    assert page.figure(metric, month, "p50") is None
    assert page.figure(metric, str(data.quarter), "p50") is None
    assert page.figure(metric, month, "firms") == first.firms  # the count stays visible


def test_cross_firm_report_names_no_firm_and_no_team(cross_firm_report: Path, pseudonyms):
    html = cross_firm_report.read_text()
    for firm_id, teams in pseudonyms.items():
        assert firm_id not in html
        assert not [team for team in teams if team in html]


def test_firm_report_names_its_firm_and_no_other(
    firm_report: Path, report_firm: str, pseudonyms, warehouse, quarter: Quarter
):
    html = firm_report.read_text()
    own_signal_teams = {
        team
        for firm_id, team in warehouse.execute(
            f"select * from ({SIGNALS_IN_QUARTER})", {"start": quarter.start, "end": quarter.end}
        ).fetchall()
        if firm_id == report_firm
    }

    assert report_firm in html
    for firm_id, teams in pseudonyms.items():
        if firm_id != report_firm:
            assert firm_id not in html
            assert not [team for team in teams if team in html], firm_id
    assert all(team in html for team in own_signal_teams)


def test_firm_report_shows_the_firms_own_values(
    firm_report: Path, report_firm: str, warehouse, quarter: Quarter
):
    page = ReportPage(firm_report.read_text())
    own = {
        (metric, quarter.label if period_type == "quarter" else start.strftime("%Y-%m")): value
        for metric, period_type, start, value in query(
            warehouse,
            """
            select metric, period_type, period_start, metric_value
            from firm_private.fct_firm_benchmark_values
            where firm_id = ? and segment_type = 'all' and period_start <= ?
                and (period_type = 'month' or period_start = ?)
            """,
            report_firm,
            quarter.end,
            quarter.start,
        )
    }
    shown = [f for f in page.figures if f["data-stat"] == "firm"]

    assert shown
    for figure in shown:
        key = (figure["data-metric"], figure["data-period"])
        assert math.isclose(float(figure["data-value"]), own[key], rel_tol=1e-12), key
    for metric in HEADLINE_METRICS:
        if (metric, quarter.label) in own:
            assert page.figure(metric, quarter.label, "firm") is not None, metric


def test_glossary_appendix_lists_every_metric(cross_firm_report: Path, warehouse):
    html = cross_firm_report.read_text()
    appendix = html[html.index("Appendix: metric glossary") :]
    for metric, label in query(warehouse, "select metric, label from reference.metric_glossary"):
        assert f">{metric}<" in appendix and label in appendix


@needs_chromium
def test_report_prints_to_pdf(demo_run, tmp_path):
    out = tmp_path / "report.html"
    output = report("--warehouse", str(demo_run.layout.warehouse), "--out", str(out), "--pdf")

    pdf = tmp_path / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    assert "PDF:" in output


def test_cli_error_is_one_line_and_a_hint(tmp_path):
    missing = tmp_path / "missing.duckdb"
    result = CliRunner().invoke(app, ["report", "--warehouse", str(missing)])

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: warehouse not found") and str(missing) in lines[0]
    assert lines[1].startswith("hint: ")
    assert "Traceback" not in result.output


def test_cli_error_shows_the_traceback_with_verbose(tmp_path):
    result = CliRunner().invoke(app, ["--verbose", "report", "--period", "2026Q5"])

    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "error: period '2026Q5' is not a quarter" in result.stderr
