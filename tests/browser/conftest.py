"""Browser journeys: Playwright drives Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server (in-process, so ``mail.outbox`` holds what the site sends).

Playwright's sync API keeps an asyncio event loop running in the test's thread while it is
started. Two things follow:
- Django refuses database calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE
  is set: set here, for the browser tests only, while Playwright runs (``playwright``).
- The loop must not outlive these tests (other tests in the same xdist worker run code that starts
  event loops of its own, e.g. the PDF signer): pytest-playwright starts Playwright once per session,
  so ``playwright`` and the fixtures built on it are overridden here with module scope, and
  Playwright stops when a module's journeys are done.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.browser.axe import assert_accessible

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's services, which the
# closed network here (and CI's) refuses, slowly.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="module")
def playwright(django_db_setup, live_server):
    # The test database and the live server come first: Django refuses to create the database
    # from a thread with a running event loop. While Playwright runs (and so its loop), the
    # tests' and pytest-django's own database calls (the flush after each test) are let through.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django's connections are context-local once an event loop runs in the thread, so the
    # tests see other connection objects than the ones the test database was set up with: hand
    # them the data serialized at set-up (serialized_rollback restores it before each test;
    # without it every journey after a module's first starts from an empty database).
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    pw = sync_playwright().start()
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
    try:
        yield pw
    finally:
        connections.close_all()  # the connections opened beside the loop go with it
        pw.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def browser_context_args(live_server):
    return {
        "base_url": live_server.url,
        "viewport": VIEWPORT,
        "locale": "es-PE",
        "accept_downloads": True,
        "reduced_motion": "reduce",
    }


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)  # Playwright's 30 s is long for a page on loopback
    return page


@pytest.fixture
def shoot(request):
    """``shoot(page, "name")``: a PNG of the page in $LMS_SCREENSHOTS (when set), for the docs."""
    folder = os.environ.get("LMS_SCREENSHOTS")

    def take(page, name: str, *, full_page: bool = False):
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def check(shoot):
    """``check(page, "name")``: axe-core finds no serious or critical problem in the page, and
    the page is kept as a screenshot when screenshots are asked for."""

    def run(page, name: str | None = None, **axe):
        page.wait_for_load_state("load")
        # Colours are measured once transitions end (Wagtail's messages slide and fade in).
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )
        assert_accessible(page, **axe)
        if name:
            shoot(page, name)

    return run
