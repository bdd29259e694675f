"""Prints the HTML report to PDF with headless Chromium, when it is installed."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from tpsp.errors import TpspError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120


class PdfError(TpspError):
    """The report could not be printed to PDF."""


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_pdf(html_file: Path, pdf_file: Path) -> Path:
    browser = find_browser()
    if browser is None:
        raise PdfError(
            "cannot print to PDF: no headless Chromium found (" + ", ".join(BROWSERS) + ")",
            hint="install it (Debian: apt-get install chromium) or open the HTML report and "
            "print it from a browser",
        )
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    pdf_file.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="tpsp-pdf-") as profile:
        # --no-sandbox: the page is our own local file, and the sandbox cannot start as root
        # in containers; background networking stays off so that printing sends nothing
        completed = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_file.resolve()}",
                html_file.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    if not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        detail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise PdfError(
            f"{Path(browser).name} did not print the PDF (exit {completed.returncode}): {detail}",
            hint="open the HTML report and print it from a browser",
        )
    return pdf_file
