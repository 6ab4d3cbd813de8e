"""A live portal served in a thread and a headless Debian Chromium driven by Playwright."""

import contextlib
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Bounds for a step, not expected durations: the suite runs one worker per core, so a page may
# wait for a core while another worker's browser renders.
STEP_TIMEOUT_MS = 30_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture
def live_server(app):
    """Serve the app on a free loopback port for the duration of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def pytest_configure(config):
    """Give Playwright's assertions the same bound as the steps."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # the browser tests skip without Playwright
        return
    expect.set_options(timeout=STEP_TIMEOUT_MS)


@contextlib.contextmanager
def launch_chromium():
    """Launch headless Chromium; skip with a reason only outside CI when it is absent."""
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but was not found at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser():
    """A headless Chromium for one test."""
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    """Open a page that records console errors (a CSP violation shows up there)."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def log_in_as(page, live_server):
    """Return a function that logs the browser in (English pages) as a user."""
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    def log_in(user):
        page.goto(live_server + "/en/login")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(live_server + "/en/home")

    return log_in
