"""The console's live stream ends with its session (issue 11), in real Chromium against the
real stack: the advocate signs out in one tab, and the console left open in another tab shows
the sign-in within the stream's check interval, with nothing of the queue left on the page,
without the advocate touching it."""

from __future__ import annotations

from typing import Any

from sms_gateway.routes.advocate import STREAM_CHECK_SECONDS
from tests.e2e.browser.test_advocate_console import open_console


def test_signing_out_in_another_tab_ends_the_open_consoles_stream(
    browser: Any, stack: Any, advocate: Any
) -> None:
    context, page = open_console(browser, stack, advocate)
    other = context.new_page()  # the same browser, the same session cookie
    other.goto(f"{stack.config.gateway_url}/advocate")
    other.locator("#stream[data-state=live]").wait_for()
    other.get_by_role("button", name="Sign out").click()
    other.locator("#login-view").wait_for()
    # The first tab does nothing: its stream checks the session and ends.
    page.locator("#login-view").wait_for(timeout=(STREAM_CHECK_SECONDS + 10) * 1000)
    assert page.locator("#queue > li").count() == 0
    context.close()
