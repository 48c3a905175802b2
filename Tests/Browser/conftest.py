"""Fixtures: the running Parley server (started by scripts/browser-test.sh) and browsers."""

import os
import re
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from parley_page import ParleyPage, new_driver  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("PARLEY_URL")
    if not url:
        pytest.fail("PARLEY_URL is not set: run the suite with scripts/browser-test.sh (it starts the server)")
    return url


@pytest.fixture(scope="session")
def screenshots():
    return os.environ.get("PARLEY_SCREENSHOTS", os.path.join(REPO, "docs", "screenshots"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_browser(request, base_url, screenshots):
    """open_browser(width=1280, height=900) -> a ParleyPage in a new headless browser."""
    pages = []

    def factory(width=1280, height=900, language="es"):
        page = ParleyPage(new_driver(width, height, language), base_url, screenshots)
        pages.append(page)
        return page

    yield factory

    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    failures = os.environ.get("PARLEY_FAILURE_SHOTS", tempfile.gettempdir())
    for index, page in enumerate(pages):
        try:
            if failed:
                name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
                path = os.path.join(failures, f"parley-failure-{name}-{index}.png")
                page.driver.save_screenshot(path)
                print(f"\nscreenshot of browser {index} at failure: {path}")
                for entry in page.console_errors():
                    print(f"browser {index} console: {entry.get('message')}")
        finally:
            page.driver.quit()
