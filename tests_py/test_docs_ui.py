"""The dbt docs of the demo warehouse, as `make docs` builds and serves them, render in
headless Chromium: the lineage graph of fct_benchmarks draws everything it derives from, the
landing page explains the privacy model and the governance page lists every public column,
with no script error and nothing fetched from another host."""

import base64
import functools
import json
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import project_root
from devtools import CHROMIUM, Page, headless_page
from screenshots import png_pixels

from tpsp.governance import load_manifest, public_models
from tpsp.governance.manifest import upstream_ids

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (CI installs it and runs this test)",
)

BENCHMARKS = "model.tpsp.fct_benchmarks"
# the lineage dbt docs opens from the model page, narrowed to the model's own graph
LINEAGE = f"#!/model/{BENCHMARKS}?g_v=1&g_i=%2Bfct_benchmarks%2B"
WIDTH, HEIGHT = 1400, 900
RENDER_TIMEOUT_SECONDS = 60

# dbt docs requests two images before Angular fills in their addresses: the sidebar's
# `<img src="{{ getIcon(…) }}">` and a favicon whose `${require(…)}` placeholder its bundler
# left in. Both 404 on every dbt docs site; only these same-origin requests are forgiven.
UNRENDERED_TEMPLATE = re.compile(r"%7B%7B|\$%7Brequire\(")

# cytoscape keeps its instance on the graph's container element
GRAPH = """(focusId => {
  const container = document.getElementById('cy');
  const cy = container && container._cyreg && container._cyreg.cy;
  if (!cy || cy.nodes().length === 0) return null;
  const focus = cy.getElementById(focusId);
  const box = focus.length ? focus.renderedBoundingBox() : null;
  const area = container.getBoundingClientRect();
  return {
    ids: cy.nodes(':visible').map(node => node.id()).sort(),
    focus: box && [box.x1, box.y1, box.x2, box.y2].map(Math.round),
    area: [area.width, area.height].map(Math.round),
    canvases: container.querySelectorAll('canvas').length,
  };
})(%s)"""

TABLE_ROWS = """[...document.querySelectorAll('table tr')]
  .map(row => [...row.cells].map(cell => cell.innerText.trim()))"""


@pytest.fixture(scope="module")
def docs_target(demo_run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate` over the demo warehouse with `make docs`' arguments, in this
    process: DuckDB lets the session's warehouse connection and dbt's share one instance
    only within a process. Anonymous usage stats stay off, as `make docs` sets them: on, the
    page would load a tracker from another host."""
    from dbt.cli.main import dbtRunner

    out = tmp_path_factory.mktemp("docs")
    root = project_root()
    landing = demo_run.layout.landing.resolve()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TPSP_WAREHOUSE", str(demo_run.layout.warehouse.resolve()))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        outcome = dbtRunner().invoke(
            [
                "--quiet",
                "docs",
                "generate",
                "--project-dir",
                str(root),
                "--profiles-dir",
                str(root),
                "--target-path",
                str(out / "target"),
                "--log-path",
                str(out / "logs"),
                "--vars",
                json.dumps({"landing_path": str(landing)}),
            ]
        )
    assert outcome.exception is None and outcome.success, outcome.exception
    return out / "target"


@pytest.fixture(scope="module")
def docs_site(docs_target: Path) -> Iterator[str]:
    """The target folder over HTTP on a free localhost port, as `dbt docs serve` does:
    opened from file://, Chromium refuses the page's requests for its manifest."""

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    handler = functools.partial(QuietHandler, directory=str(docs_target))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def settled(page: Page, expression: str, ready: Callable[[Any], bool]) -> Any:
    """The expression's value once it is ready and the same on two reads in a row: the docs
    load the manifest and lay the graph out after the page's load event."""
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    previous = None
    while True:
        value = page.evaluate(expression)
        if value is not None and ready(value) and value == previous:
            return value
        assert time.monotonic() < deadline, f"the docs did not render: {value!r}"
        previous = value
        time.sleep(0.5)


def page_problems(page: Page, origin: str) -> list[str]:
    """Console errors and warnings, uncaught exceptions and failed loads, except the two
    unrendered template addresses dbt docs always requests."""

    def forgiven(entry: dict) -> bool:
        url = entry.get("url", "")
        return url.startswith(origin) and bool(UNRENDERED_TEMPLATE.search(url))

    return page.problems(forgiven)


def foreign_requests(page: Page, origin: str) -> list[str]:
    return [
        url
        for url in page.requested_urls()
        if not (url.startswith(origin + "/") or url.startswith("data:"))
    ]


def viewport_screenshot(page: Page, path: Path) -> Path:
    shot = page.send("Page.captureScreenshot", format="png")
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def keep(screenshot: Path) -> None:
    folder = os.environ.get("TPSP_SCREENSHOT_DIR")
    if folder:
        shutil.copy(screenshot, Path(folder) / screenshot.name)


def test_lineage_graph_of_fct_benchmarks_renders_without_errors(docs_site, docs_target, tmp_path):
    with headless_page(tmp_path / "profile", WIDTH, HEIGHT) as page:
        page.open(f"{docs_site}/index.html{LINEAGE}")
        graph = settled(page, GRAPH % json.dumps(BENCHMARKS), lambda g: g["focus"] is not None)
        screenshot = viewport_screenshot(page, tmp_path / "fct_benchmarks_lineage.png")
        problems, foreign = page_problems(page, docs_site), foreign_requests(page, docs_site)

    assert problems == []
    assert foreign == []
    manifest = load_manifest(docs_target / "manifest.json")
    assert BENCHMARKS in graph["ids"]
    assert upstream_ids(manifest, BENCHMARKS) <= set(graph["ids"])
    assert any(i.startswith("source.tpsp.") for i in graph["ids"])
    assert graph["canvases"] > 0
    x1, y1, x2, y2 = graph["focus"]
    width, height = graph["area"]
    assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height, graph  # drawn, and in view

    shot_width, shot_height, pixels = png_pixels(screenshot)
    assert shot_width == WIDTH and shot_height > HEIGHT // 2  # the window less its frame
    colours = Counter(pixels)
    assert len(colours) > 50
    assert len(pixels) - colours.most_common(1)[0][1] > len(pixels) // 50
    keep(screenshot)


def test_landing_page_explains_the_privacy_model(docs_site, tmp_path):
    with headless_page(tmp_path / "profile", WIDTH, HEIGHT) as page:
        page.open(f"{docs_site}/index.html#!/overview")
        text = settled(page, "document.body.innerText", lambda t: "How to verify each claim" in t)
        screenshot = viewport_screenshot(page, tmp_path / "overview.png")
        problems = page_problems(page, docs_site)

    assert problems == []
    for heading in (
        "At the edge: nothing identifying leaves a firm",
        "Landing gates",
        "Schemas, groups and access",
        "When a benchmark cell is published",
        "Privacy classes",
    ):
        assert heading in text, heading
    for term in ("k_min_firms", "dominance_share", "suppression_reason", "dp_epsilon"):
        assert term in text, term
    keep(screenshot)


def test_governance_page_lists_every_public_column_and_its_class(docs_site, docs_target, tmp_path):
    with headless_page(tmp_path / "profile", WIDTH, HEIGHT) as page:
        page.open(f"{docs_site}/index.html#!/overview/tpsp")
        settled(page, "document.body.innerText", lambda t: "Public columns" in t)
        rows = page.evaluate(TABLE_ROWS)
        screenshot = viewport_screenshot(page, tmp_path / "governance.png")
        problems = page_problems(page, docs_site)

    assert problems == []
    shown = {tuple(row[:3]) for row in rows if len(row) == 4}
    models = public_models(load_manifest(docs_target / "manifest.json"))
    assert models
    for model in models:
        for column in model.columns:
            assert (column.name, column.data_type, column.privacy) in shown, column
    keep(screenshot)
