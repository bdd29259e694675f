"""The quarterly benchmark report: one self-contained HTML file (optionally a PDF).

``load_report_data`` reads the marts, ``render_page`` draws the charts as inline SVG into
one page; building it and viewing it need no network.
"""

from pathlib import Path

from tpsp.report.load import load_report_data
from tpsp.report.model import ReportData
from tpsp.report.page import render_page
from tpsp.report.pdf import print_pdf


def render_report(warehouse: Path, period: str | None = None, firm_id: str | None = None) -> str:
    return render_page(load_report_data(warehouse, period, firm_id))


def write_report(html: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


__all__ = [
    "ReportData",
    "load_report_data",
    "print_pdf",
    "render_page",
    "render_report",
    "write_report",
]
