"""The web chat in a real headless Chromium against the real stack: right answers, nothing left
on the device, a quick exit that Back cannot undo, and no serious accessibility violations."""

from __future__ import annotations

from typing import Any

import httpx

from resources import load_catalog
from tests.e2e.browser.conftest import AXE, axe_violations
from tests.e2e.browser.test_advocate_console import SHOTS

CATALOG = load_catalog()


def open_chat(page: Any, stack: Any) -> list[Any]:
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r))
    page.goto("about:blank")
    page.goto(f"{stack.config.gateway_url}/chat")
    page.locator("#text").wait_for()
    return requests


def say(page: Any, text: str) -> str:
    before = page.locator(".msg.from-bot").count()
    page.fill("#text", text)
    page.keyboard.press("Enter")
    # Our CSP forbids eval, so Playwright's wait_for_function cannot run here: poll instead.
    for _ in range(300):
        if page.locator(".msg.from-bot").count() > before and not page.inner_text("#status"):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)  # a second bot message of the same reply
    return " ".join(page.locator(".msg.from-bot").all_inner_texts()[before:])


def test_shelter_and_crisis_get_the_right_answers(page, stack):
    open_chat(page, stack)
    shelter = say(page, "i need a shelter, im in las vegas")
    phones = {p.phone for p in CATALOG.places if p.region == "las_vegas" and p.phone}
    assert any(number in shelter for number in phones), shelter
    page.screenshot(path=str(SHOTS / "webchat-phone.png"))  # docs/, on request
    crisis = say(page, "im in danger right now")
    first = page.locator(".msg.from-bot").all_inner_texts()[
        -2 if "Would you like" in crisis else -1
    ]
    assert "911" in crisis and "call 911" in first


def test_nothing_is_left_on_the_device_and_no_request_carries_a_cookie(page, stack):
    requests = open_chat(page, stack)
    say(page, "hi")
    say(page, "what number can i call")
    traces = page.evaluate(
        """async () => ({
            cookie: document.cookie,
            local: localStorage.length,
            session: sessionStorage.length,
            idb: (await indexedDB.databases()).length,
            caches: (await caches.keys()).length,
            workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert traces == {"cookie": "", "local": 0, "session": 0, "idb": 0, "caches": 0, "workers": 0}
    ours = [r for r in requests if r.url.startswith(stack.config.gateway_url)]
    assert len(ours) >= 5
    assert all("cookie" not in r.all_headers() for r in ours)


def test_quick_exit_button_lands_on_the_neutral_site_and_back_does_not_return(
    page, stack, neutral_site
):
    tokens: list[str] = []
    page.on(
        "response",
        lambda r: (
            tokens.append(r.json()["conversation"])
            if r.url.endswith("/chat/api/conversations") and r.request.method == "POST"
            else None
        ),
    )
    open_chat(page, stack)
    say(page, "hi")
    page.click("#quick-exit")
    page.wait_for_url(neutral_site.url)
    page.go_back()
    page.wait_for_timeout(500)
    assert "/chat" not in page.url
    assert page.locator("#messages").count() == 0
    # the server forgot the conversation too
    response = httpx.post(
        f"{stack.config.gateway_url}/chat/api/messages",
        json={"text": "hello?"},
        headers={"X-Chat-Token": tokens[0]},
        timeout=10,
    )
    assert response.status_code == 404


def test_escape_key_is_a_quick_exit(page, stack, neutral_site):
    open_chat(page, stack)
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_site.url)


def test_reload_starts_fresh(page, stack):
    open_chat(page, stack)
    say(page, "hi")
    page.reload()
    page.locator("#text").wait_for()
    assert page.locator(".msg").count() == 0


def test_every_page_response_has_private_headers(page, stack):
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    open_chat(page, stack)
    say(page, "hi")
    page.wait_for_timeout(300)  # the live stream opens right after the first answer's request
    tokens = [
        r.json()["conversation"]
        for r in responses
        if r.url.endswith("/chat/api/conversations") and r.request.method == "POST"
    ]
    ours = [r for r in responses if r.url.startswith(stack.config.gateway_url)]
    paths = {r.url.split(":", 2)[2].split("/", 1)[1] for r in ours}
    assert paths >= {
        "chat",
        "chat/static/chat.js",
        "chat/static/chat.css",
        "chat/api/conversations",
        "chat/api/messages",
        "chat/api/events",
    }
    # the conversation's token is in no URL the page asked for (URLs end up in logs)
    assert tokens and not [r.url for r in ours if tokens[0] in r.url]
    for response in ours:
        headers = response.all_headers()
        assert headers.get("cache-control") == "no-store", response.url
        assert headers.get("referrer-policy") == "no-referrer", response.url
        assert "set-cookie" not in headers


def test_reflows_at_320_css_pixels_like_400_percent_zoom(browser, stack):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{stack.config.gateway_url}/chat")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    assert page.locator("#quick-exit").is_visible()
    context.close()


def test_no_serious_or_critical_accessibility_violations(browser, stack):
    # axe is injected as a script: this one context bypasses our own CSP to let it run.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    open_chat(page, stack)
    say(page, "hi")
    page.add_script_tag(path=str(AXE))
    bad = axe_violations(page)
    context.close()
    assert bad == []


def test_the_spanish_page_talks_spanish_and_passes_axe(browser, stack):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    open_chat(page, stack)
    page.get_by_role("link", name="Español").click()
    page.locator("html[lang=es]").wait_for()
    page.locator("#text").wait_for()
    assert page.get_by_role("button", name="Salir ya").is_visible()
    assert page.get_by_label("Tu mensaje").is_visible()
    asked = say(page, "hola, necesito un lugar para dormir")
    # The web chat writes Spanish with its accents ("código postal"; SMS drops them).
    if "ciudad o código postal" not in asked:  # the Spanish menu offers the place search
        page.get_by_role("button", name="Un lugar para quedarme").last.click()
        page.wait_for_timeout(1500)
        asked = " ".join(page.locator(".msg.from-bot").all_inner_texts())
    assert "ciudad o código postal" in asked, asked
    places = say(page, "reno")  # no language of its own: the chat's is kept
    assert "Lugares cerca de Reno" in places, places
    page.add_script_tag(path=str(AXE))
    bad = axe_violations(page)
    context.close()
    assert bad == []
