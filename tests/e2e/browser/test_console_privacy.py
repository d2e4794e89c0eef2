"""What the console's background traffic may and may not do (issue 11), in real Chromium
against the real stack:

- the live stream carries ids and counts only: an advocate who holds nothing receives none of
  the words a youth writes to the advocate who holds the conversation, in the stream, in any
  answer, or on the page (the stream is read at the network layer, as the browser receives it);
- polls do not keep a session alive: with the console polling by itself, the session ends at
  the idle limit, the page shows the sign-in with nothing left, and the advocate no longer
  counts as on shift. The page's clock is Playwright's (polls run without waiting for them);
  the server's is moved by back-dating the session in the stack's own database.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from sms_gateway.models import Advocate, AdvocateSession
from sms_gateway.services.auth import IDLE_MINUTES
from tests.e2e.browser.test_advocate_console import (
    ASK_FOR_A_PERSON,
    CONSOLE,
    claim,
    go_on_shift,
    leave,
    new_row,
    open_console,
    poll,
    queue_ids,
    sign_in,
    transcript,
)
from tests.e2e.conftest import _add_account

SECRET = "he took my id and said i owe him 40 dollars kiwi7731"


def database(stack: Any) -> Any:
    return create_engine(stack.config.extra_env["DATABASE_URL"])


def test_an_advocate_who_holds_nothing_receives_no_youth_text(browser, stack, phone, advocate):
    _, holder = open_console(browser, stack, advocate)
    other = _add_account(stack, "bo_privacy", "advocate")
    context = browser.new_context(viewport=CONSOLE)
    watcher = context.new_page()
    stream: list[str] = []
    bodies: list[str] = []
    cdp = context.new_cdp_session(watcher)
    cdp.send("Network.enable")
    cdp.on("Network.eventSourceMessageReceived", lambda e: stream.append(str(e.get("data", ""))))

    def keep_body(response: Any) -> None:
        if "/advocate/api/" in response.url and "/events" not in response.url:
            bodies.append(response.text())

    watcher.on("response", keep_body)
    sign_in(watcher, stack, other)
    go_on_shift(watcher)
    try:
        before = queue_ids(holder)
        phone.send(ASK_FOR_A_PERSON)
        row = new_row(holder, before)
        handoff = row.get_attribute("data-id")
        poll(watcher, lambda: handoff in queue_ids(watcher), "the other console to see the item")
        claim(holder, row)
        seen = len(stream)
        phone.send(SECRET)
        poll(holder, lambda: SECRET in transcript(holder, "youth"), "the holder to see the words")
        # the watcher's stream said something happened, and only ids and counts
        events = poll(watcher, lambda: stream[seen:], "the watcher's stream to carry an event")
        watcher.wait_for_timeout(1500)  # and any answer its console fetched because of it
        for data in stream:
            event = json.loads(data) if data.startswith("{") else {}
            assert "text" not in event and "body" not in event, data
        assert all(SECRET not in data and "kiwi7731" not in data for data in stream)
        assert all("kiwi7731" not in body for body in bodies)
        assert "kiwi7731" not in watcher.content()
        assert events  # the test saw the stream working, not an empty one
        # asking for it with the watcher's own session is refused: another advocate holds it
        base = f"{stack.config.gateway_url}/advocate/api/handoffs/{handoff}"
        for path in ("", "/messages?after=0"):
            answer = context.request.get(base + path)
            assert answer.status == 403, path
            assert "kiwi7731" not in answer.text()
    finally:
        holder.get_by_role("button", name="Hand back to the bot").click()
        holder.locator("#conversation-view").wait_for(state="hidden")
        leave(holder)
        leave(watcher)


def test_a_session_ends_at_the_idle_limit_while_the_console_polls(browser, stack):
    account = _add_account(stack, "sam_idle", "supervisor")  # a supervisor's console polls more
    engine = database(stack)

    def back_date(minutes: float) -> None:
        with Session(engine) as session:
            ids = select(Advocate.id).where(Advocate.username == account.username)
            session.execute(
                update(AdvocateSession)
                .where(AdvocateSession.advocate_id.in_(ids))
                .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes))
            )
            session.commit()

    def last_seen() -> list[datetime]:
        with Session(engine) as session:
            ids = select(Advocate.id).where(Advocate.username == account.username)
            return list(
                session.scalars(
                    select(AdvocateSession.last_seen_at).where(AdvocateSession.advocate_id.in_(ids))
                )
            )

    context = browser.new_context(viewport=CONSOLE)
    page = context.new_page()
    page.clock.install()  # the page's timers: the console's minute poll runs when we say
    polls: list[str] = []
    page.on(
        "request",
        lambda r: polls.append(r.url) if r.method == "GET" and "/advocate/api/" in r.url else None,
    )
    sign_in(page, stack, account)
    go_on_shift(page)  # the advocate's own action: it counts
    try:
        back_date(IDLE_MINUTES - 1)  # a minute before the limit, on the server's clock
        before = last_seen()
        assert len(before) == 1
        polls.clear()

        def polled(times: int) -> bool:
            return sum("/advocate/api/recent" in u for u in polls) >= times

        for minute in range(1, 4):  # three minutes of the console polling by itself
            page.clock.run_for(60_000)
            poll(page, functools.partial(polled, minute), "a poll")
            page.wait_for_timeout(300)  # its answer
        assert last_seen() == before  # the polls did not keep the session alive
        back_date(IDLE_MINUTES + 1)  # two minutes later on the server: past the limit
        page.clock.run_for(60_000 + 1000)  # the next poll finds the session ended
        page.locator("#login-view").wait_for(timeout=30_000)
        assert "Your session ended" in page.inner_text("#login-note")
        assert page.locator("#queue > li, #recent > li, #transcript > li").count() == 0
        assert last_seen() == []  # the server deleted it: no longer counted as on shift
    finally:
        context.close()
        engine.dispose()
