"""The plan a youth thought through, in the console, in real Chromium against the real stack:
the advocate who claims the conversation sees it (with the reminder not to send it back as a
list), before claiming nobody does, another advocate does not (the conversation is not in their
queue, and the API answers 403), and a supervisor does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser.test_advocate_console import (
    ASK_FOR_A_PERSON,
    leave,
    new_row,
    open_console,
    poll,
    queue_ids,
)
from tests.e2e.conftest import _add_account

PLAN = ("could you help me make a safety plan", "1", "1", "no",
        "my older sister Dariella 702-555-0147", "the youth center on Owens")  # fmt: skip


@pytest.fixture
def console(browser: Any, stack: Any, advocate: Any) -> Iterator[Any]:
    """The advocate signed in and on shift, at a desktop size."""
    _, page = open_console(browser, stack, advocate)
    yield page
    leave(page)


def _plan_shown(page: Any) -> str:
    return page.inner_text("#plan") if page.locator("#plan").is_visible() else ""


def test_only_the_holder_and_a_supervisor_see_what_a_youth_thought_through(
    browser: Any, console: Any, stack: Any, phone: Any, supervisor: Any
) -> None:
    page = console
    for text in PLAN:
        assert phone.send(text), text
    before = queue_ids(page)
    phone.send(ASK_FOR_A_PERSON)
    row = new_row(page, before)
    handoff = row.get_attribute("data-id")

    row.get_by_role("button", name="Open").click()
    page.locator("#conversation-view").wait_for()
    page.wait_for_timeout(500)
    assert _plan_shown(page) == ""  # not claimed yet: not shown
    page.locator("#claim-open").click()  # the open view's own Claim button
    page.locator("#reply-fields:enabled").wait_for()
    poll(page, lambda: _plan_shown(page), "the plan in the open conversation")
    assert "(3 answers)" in page.inner_text("#plan-title")  # closed: the transcript keeps room
    assert not page.locator("#plan-answers").is_visible()
    page.locator("#plan-title").click()
    shown = page.inner_text("#plan")
    assert "Dariella 702-555-0147" in shown and "the youth center on Owens" in shown
    assert "Trusted person" in shown and "please don't send it as a list" in shown
    assert "Dariella" not in page.inner_text("#transcript")  # answers are not in the transcript

    other = _add_account(stack, "bo", "advocate")
    _, bo = open_console(browser, stack, other)
    bo.locator("#queue-title").wait_for()
    assert bo.locator(f"#queue > li[data-id='{handoff}']").count() == 0  # not in their queue
    api = bo.request.get(f"{stack.config.gateway_url}/advocate/api/handoffs/{handoff}/plan")
    assert api.status == 403 and "Dariella" not in api.text()
    assert "Dariella" not in bo.content()
    leave(bo)

    _, boss = open_console(browser, stack, supervisor)
    mine = boss.locator(f"#queue > li[data-id='{handoff}']")
    mine.wait_for()
    mine.get_by_role("button", name="Open").click()
    boss.locator("#conversation-view").wait_for()
    poll(boss, lambda: _plan_shown(boss), "the plan for the supervisor")
    boss.locator("#plan-title").click()
    assert "Dariella" in boss.inner_text("#plan")
    leave(boss)

    page.get_by_role("button", name="Hand back to the bot").click()
    page.locator("#conversation-view").wait_for(state="hidden")
    assert page.locator("#plan-answers").inner_text() == ""  # gone from the page with the view
