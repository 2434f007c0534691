"""Browser tests: Python Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from the Debian package (/usr/bin/chromium), never from `playwright install`.
Without it the browser tests skip on a developer's machine and fail on CI (CI=true).
"""

import gettext
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Playwright's sync API runs an event loop in the main thread from the first browser test
# to the end of the session, so Django's async-safety check would refuse every later ORM
# call, in browser tests and in any test that runs after them. Nothing here really runs
# ORM code inside a coroutine, so the check is switched off for the whole session.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """Compile the .po catalogues (as `make test` does) so that a plain `pytest` sees current translations."""
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import setting_changed

    call_command("compiletranslations", verbosity=0)
    # Forget catalogues loaded before a .mo was (re)written: Python's gettext caches them by
    # file, and Django's own reset (as in override_settings) drops its merged catalogues.
    gettext._translations.clear()  # type: ignore[attr-defined]
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        if ON_CI:
            pytest.fail(message + "; CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context (no cookies) with English as the browser's language."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def shot(page, request):
    """shot(step) saves test-results/<test>-<n>-<step>.png, for a human to look at."""
    RESULTS_DIR.mkdir(exist_ok=True)
    counter = iter(range(1, 100))

    def shot(step: str) -> Path:
        name = re.sub(r"[^\w-]+", "_", f"{request.node.name}-{next(counter):02d}-{step}")
        path = RESULTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot
