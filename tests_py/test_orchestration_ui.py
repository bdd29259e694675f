"""The Dagster UI lists the assets and their lineage: the webserver is started on a free
localhost port and headless Chromium renders the asset graph pages."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import project_root
from devtools import CHROMIUM, headless_chromium
from screenshots import png_pixels

START_TIMEOUT_SECONDS = 180
LOCATION = "orchestration.definitions"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (CI installs it and runs this test)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def location_loaded(base: str) -> bool:
    try:
        found = graphql(
            base,
            "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }",
        )
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False
    entries = found.get("data", {}).get("workspaceOrError", {}).get("locationEntries", [])
    return any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries)


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(project_root() / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
        "TPSP_LANDING": str(home / "landing"),
        "TPSP_QUARANTINE": str(home / "quarantine"),
        "TPSP_WAREHOUSE": str(home / "tpsp.duckdb"),
    }
    log = (home / "webserver.log").open("w")
    server = subprocess.Popen(
        [str(bin_dir / "dagster-webserver"), "-m", LOCATION, "-h", "127.0.0.1", "-p", str(port)],
        cwd=project_root(),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not location_loaded(base):
            assert server.poll() is None, (home / "webserver.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the webserver did not load the definitions"
            time.sleep(1)
        yield base
    finally:
        stop(server)
        log.close()


def stop(server: subprocess.Popen) -> None:
    """Interrupt the webserver (it then stops its code server); end its process group if it
    does not exit."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            if sent == signal.SIGINT:
                server.send_signal(sent)
            else:
                os.killpg(server.pid, sent)
        try:
            server.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *headless_chromium(profile),
            "--window-size=1400,900",
            "--virtual-time-budget=15000",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_asset_graph_page_renders(webserver, tmp_path):
    screenshot = tmp_path / "graph.png"
    chromium(f"{webserver}/asset-groups", tmp_path / "profile", f"--screenshot={screenshot}")
    width, height, pixels = png_pixels(screenshot)
    assert (width, height) == (1400, 900)
    colours = Counter(pixels)
    background = colours.most_common(1)[0][1]
    assert len(colours) > 50
    assert len(pixels) - background > len(pixels) // 50  # more than 2% is not background
    keep = os.environ.get("TPSP_SCREENSHOT_DIR")
    if keep:
        shutil.copy(screenshot, Path(keep) / "asset_graph.png")

    dom = chromium(f"{webserver}/asset-groups", tmp_path / "profile_dom", "--dump-dom").stdout
    for group in ("landing", "staging", "intermediate", "marts", "benchmark", "publishing"):
        assert f">{group}<" in dom, group


def test_asset_lineage_lists_the_dbt_models(webserver, tmp_path):
    lineage = (
        f"{webserver}/assets/benchmark/fct_benchmarks"
        "?view=lineage&lineageScope=upstream&lineageDepth=10"
    )
    dom = chromium(lineage, tmp_path / "profile", "--dump-dom").stdout
    assert "fct_benchmarks" in dom
    assert "int_token_usage" in dom
