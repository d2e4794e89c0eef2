"""A real headless Chromium (Debian's package) driven by Playwright. Never downloads a browser:
when /usr/bin/chromium is absent the browser tests skip and say why (.ci/run installs it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# axe-core, shipped inside the PyPI package: loaded from a local file, nothing fetched.
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


# Moderate findings held to the same bar (issue 11): content outside any landmark ("region"),
# which on a small screen leaves a screen-reader user no way to jump to the composer.
ALSO = ("region",)


def axe_violations(page: Any) -> list[tuple[str, str, str, list[Any]]]:
    """Serious and critical axe violations on the page, and the moderate ones in ALSO
    (axe.min.js injected before)."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in ALSO
    ]
