"""A small Chrome DevTools Protocol client: one headless Chromium page whose console
messages, uncaught exceptions and network requests a test can inspect."""

import base64
import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
START_TIMEOUT_SECONDS = 60
COMMAND_TIMEOUT_SECONDS = 60


class Page:
    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
        while True:
            message = self._receive(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
        while True:
            message = self._receive(deadline)
            if message.get("method") == event:
                return message.get("params", {})

    def open(self, url: str) -> None:
        """Loads ``url`` with console, log and network events recorded from the start."""
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """The whole page, not just the window, as a PNG."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.send(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def problems(self, forgiven: Callable[[dict], bool] = lambda entry: False) -> list[str]:
        """Console errors and warnings, uncaught exceptions and error log entries, except the
        log entries `forgiven` accepts."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in (
                "error",
                "warning",
                "assert",
            ):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                entry = params["entry"]
                if not forgiven(entry):
                    found.append(f"log {entry['level']}: {entry['text']} {entry.get('url', '')}")
        return found

    def requested_urls(self) -> list[str]:
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        message = json.loads(self._socket.recv(timeout=remaining))
        if "method" in message:
            self.events.append(message)
        return message


def headless_chromium(profile: Path) -> list[str]:
    """Chromium without a screen, a sandbox (tests run as root) or traffic of its own."""
    return [
        CHROMIUM or "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]


@contextlib.contextmanager
def headless_page(profile: Path, width: int = 1280, height: int = 900) -> Iterator[Page]:
    profile.mkdir(parents=True, exist_ok=True)
    log = (profile.parent / f"{profile.name}.log").open("w")
    browser = subprocess.Popen(
        [
            *headless_chromium(profile),
            f"--window-size={width},{height}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with connect(_page_socket_url(profile, browser), max_size=None, proxy=None) as socket:
            yield Page(socket)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait(timeout=20)
        log.close()


def _page_socket_url(profile: Path, browser: subprocess.Popen) -> str:
    """Chromium writes its DevTools port once it listens; the page target is then listed."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
        assert browser.poll() is None, "Chromium exited before it listened"
        assert time.monotonic() < deadline, "Chromium did not start in time"
        time.sleep(0.2)
    port = port_file.read_text().splitlines()[0]
    # DevTools listens on localhost only: a proxy from the environment must not be used
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while True:
        with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        assert time.monotonic() < deadline, "Chromium opened no page"
        time.sleep(0.2)
