"""Browser lane: the real ``bedside serve`` in a subprocess, driven by Debian's headless Chromium.

Without /usr/bin/chromium the tests skip with a reason locally, and fail when ``CI=true``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 30


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install it with `apt-get install chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole lane."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``bedside serve`` on a temporary database."""

    url: str
    db: Path
    env: dict[str, str]
    process: subprocess.Popen[str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the CLI on the same database."""
        return subprocess.run(
            [sys.executable, "-m", "bedside", "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=True,
        )


def _wait_until_listening(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"bedside serve exited early: {output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("bedside serve did not start in time")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """``python -m bedside --db TMP serve --port FREE`` on a fresh database."""
    yield from serve_database(tmp_path / "browser.db", tmp_path / "data")


#: The command that runs this checkout's Bedside.
BEDSIDE = (sys.executable, "-m", "bedside")


def serve_database(
    db: Path,
    data_dir: Path,
    *,
    extra_env: Mapping[str, str] | None = None,
    serve_args: Sequence[str] = (),
    scheme: str = "http",
) -> Iterator[Server]:
    """``bedside serve`` on ``db``, which may be pre-built (fixtures with prepared data).

    ``extra_env`` (e.g. ``BEDSIDE_MODE=server``) and ``serve_args`` (e.g. ``--tls``) shape the
    server; ``scheme`` is the one it then answers on.
    """
    _require_chromium()
    port = free_port()
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(data_dir), "TZ": "UTC", **(extra_env or {})}
    env.pop("BEDSIDE_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bedside",
            "--db",
            str(db),
            "serve",
            "--port",
            str(port),
            *serve_args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        _wait_until_listening(port, process)
        yield Server(url=f"{scheme}://127.0.0.1:{port}", db=db, env=env, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Browsing:
    """A browser page on the server, and every request it made elsewhere (there must be none)."""

    page: Any
    server: Server
    foreign: list[str]


def open_page(
    browser: Any, server: Server, *, viewport: tuple[int, int] = (1280, 800), **options: Any
) -> Iterator[Browsing]:
    """A fresh browser context on ``server``; fails if the page calls any other host."""
    width, height = viewport
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}, **options
    )
    context.set_default_timeout(5000)
    foreign: list[str] = []

    def watch(route: Any) -> None:
        url: str = route.request.url
        if url.startswith(server.url) or url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", watch)
    page = context.new_page()
    try:
        yield Browsing(page=page, server=server, foreign=foreign)
    finally:
        context.close()
    assert foreign == [], f"requests left the computer: {foreign}"


def evening_zone(now: datetime | None = None) -> str:
    """A fixed-offset zone in which it is early evening (18:xx) right now.

    Browser tests drive the real server with the real clock; running them "in the evening"
    wherever CI happens to run keeps them clear of midnight and noon, where "tonight" and
    "last night" change meaning.
    """
    hour = (now or datetime.now(UTC)).hour
    offset = ((18 - hour + 12) % 24) - 12
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # Etc/GMT-5 is UTC+5


EVENING_ZONE = evening_zone()


@pytest.fixture
def browsing(browser: Any, server: Server) -> Iterator[Browsing]:
    """A desktop-sized page in a time zone where it is early evening now."""
    yield from open_page(browser, server, timezone_id=EVENING_ZONE)


PROFILE = {"timezone": EVENING_ZONE, "bedtime": "23:00", "lead_min": 60}


@pytest.fixture
def set_up(browsing: Browsing) -> Browsing:
    """The same, with a profile already created through the JSON API."""
    response = browsing.page.request.put("/api/v1/profile", data=PROFILE)
    assert response.status == 200, response.text()
    return browsing
