"""A real `rehearse serve` process on a free port with its own SQLite file, and headless Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by `make test`); a browser is never
downloaded. Without it the tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
STARTUP_S = 60  # migrating, seeding the built-in bank and importing the app take a few seconds


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"rehearse serve exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"rehearse serve did not answer /healthz in {STARTUP_S} s:\n{log.read_text()[-3000:]}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """The base URL of a `rehearse serve` subprocess."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update(
        REHEARSE_DATA_DIR=str(folder / "data"),
        REHEARSE_DATABASE_URL=f"sqlite:///{folder / 'web.db'}",
        REHEARSE_SECRET_KEY="browser-tests-" + "k" * 40,
        # Every test browser shares 127.0.0.1; the per-address limits have tests of their own.
        REHEARSE_SIGNUPS_PER_ADDRESS_PER_HOUR="10000",
        REHEARSE_ANONYMOUS_SCORINGS_PER_MINUTE="10000",
    )
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "rehearse", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        skip_or_fail(
            f"{CHROMIUM} is missing (apt-get install chromium chromium-driver; make test does)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is missing (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, server):
    """A fresh browser context (no cookies) for each test, collecting page script errors and
    sub-resources that failed to load."""
    context = chromium.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.missing_resources = []  # stylesheets, scripts, icons... that failed (never the page itself)
    page.on("response", lambda response: page.missing_resources.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def espeak() -> str | None:
    return shutil.which("espeak-ng")
