"""Regenerates docs/webchat-phone.png: the web chat on a phone-sized viewport, in Debian's
headless Chromium, against a real stack on free loopback ports.

Usage: `python -m scripts.screenshot_webchat` (gateway environment, after `make model`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from scripts.stack import ROOT, Stack, StackConfig
from tests.e2e.browser.conftest import CHROMIUM, FLAGS
from tests.helpers import free_port

OUT = ROOT / "docs" / "webchat-phone.png"


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="waypoint-shot-"))
    config = StackConfig(
        gateway_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        var_dir=var,
        extra_env={"DATABASE_URL": f"sqlite:///{var / 'gw.db'}"},
    )
    stack = Stack(config)
    stack.start()
    try:
        stack.wait_healthy(300)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            page.goto(f"{config.gateway_url}/chat")
            for text in ("hi", "i need a place to stay in reno"):
                before = page.locator(".msg.from-bot").count()
                page.fill("#text", text)
                page.keyboard.press("Enter")
                for _ in range(300):
                    if page.locator(".msg.from-bot").count() > before:
                        break
                    page.wait_for_timeout(100)
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT))
            browser.close()
    finally:
        stack.stop()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
