"""GET /chat (the page) and its JSON API under /chat/api/ (no cookies, ever)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from resources.replies import render, render_template
from sms_gateway.deps import LimitsDep
from sms_gateway.services.language import guess_language
from sms_gateway.services.live import TooManyStreamsError, WebMessage
from sms_gateway.services.safety_net import default_detector
from sms_gateway.services.webchat import UnknownConversationError, WebChatService

router = APIRouter()
STATIC = Path(__file__).resolve().parents[1] / "static"
RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "data"
MAX_TEXT = 6000  # a long paste is read (its first part); past this it is not a message


async def _service(request: Request) -> WebChatService:
    return request.app.state.webchat  # type: ignore[no-any-return]


WebChatDep = Annotated[WebChatService, Depends(_service)]


PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=1)
def page_words() -> dict[str, dict[str, str]]:
    """resources/data/chat_page.yml: every word of the page, per language."""
    raw = yaml.safe_load((RESOURCES / "chat_page.yml").read_text(encoding="utf-8"))
    return {
        lang: {str(k): render_template(str(v)) for k, v in words.items()}
        for lang, words in raw.items()
    }


def _page(name: str, request: Request, language: str) -> HTMLResponse:
    """The page with its words in `language` and the configured quick-exit site, escaped."""
    words = {**page_words()[language], "QUICK_EXIT_URL": request.app.state.settings.quick_exit_url}
    template = (STATIC / name).read_text(encoding="utf-8")
    page = PLACEHOLDER.sub(lambda m: html.escape(words[m.group(1)], quote=True), template)
    return HTMLResponse(page)


@router.get("/chat")
async def chat_page(request: Request, lang: str = "en") -> HTMLResponse:
    """English by default; `?lang=es` for Spanish (the page links one to the other)."""
    return _page("chat.html", request, "es" if lang == "es" else "en")


@router.get("/chat/static/{name}")
async def static_file(name: str) -> FileResponse:
    allowed = {"chat.js": "text/javascript", "chat.css": "text/css"}
    if name not in allowed:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=allowed[name])


class StartChat(BaseModel):
    language: str | None = Field(default=None, max_length=8)  # "en" or "es"; others: none


class ChatMessage(BaseModel):
    """A typed message, or a tapped choice (its title as `text`, its `payload`)."""

    text: str = Field(default="", max_length=MAX_TEXT)
    id: str = Field(default="", max_length=64)
    payload: str | None = Field(default=None, max_length=64)


def _kind_answer(reply_id: str, language: str | None, status: int = 429) -> JSONResponse:
    return JSONResponse(
        {"detail": render(reply_id, "web", language or "en")},
        status_code=status,
        headers={"Retry-After": "60"},
    )


@router.post("/chat/api/conversations", status_code=201, response_model=None)
async def start(
    request: Request, service: WebChatDep, limits: LimitsDep, payload: StartChat | None = None
) -> dict[str, Any] | JSONResponse:
    """A new conversation; the page says which language it is in ({"language": "es"})."""
    language = payload.language if payload and payload.language in ("en", "es") else None
    address = limits.client_address(request)
    if not (limits.allow("web_new", address) and limits.allow("web_global")):
        return _kind_answer("too_many_chats", language)
    return {"conversation": await service.start(language)}


# The conversation's token travels in this header, never in a URL: proxies and servers log
# paths, and a token in a log is someone's conversation.
CONVERSATION_HEADER = "X-Chat-Token"
ChatToken = Annotated[str, Header(alias=CONVERSATION_HEADER, min_length=1, max_length=64)]


@router.post("/chat/api/messages", response_model=None)
async def send(
    request: Request,
    token: ChatToken,
    service: WebChatDep,
    limits: LimitsDep,
    payload: ChatMessage,
) -> dict[str, Any] | JSONResponse:
    address = limits.client_address(request)
    allowed = limits.allow("web_message", address) and limits.allow("web_global")
    try:
        if not allowed and default_detector().detect(payload.text) is None:
            # Over the limit: a kind answer, not the assistant (crisis words still get the
            # crisis reply: danger first, whatever the rate).
            language = guess_language(payload.text)
            return {
                "messages": [
                    WebMessage(render("too_many_messages", "web", language), [], "system").as_dict()
                ]
            }
        if payload.payload is not None:
            reply = await service.choose(token, payload.id, payload.text, payload.payload)
        else:
            reply = await service.send(token, payload.id, payload.text)
    except UnknownConversationError:
        raise HTTPException(404, "conversation ended") from None
    except ValueError:
        raise HTTPException(422, "not a valid choice") from None
    return {"messages": [m.as_dict() for m in reply]}


@router.get("/chat/api/events")
async def events(
    token: ChatToken,
    service: WebChatDep,
    last_event_id: Annotated[str | None, Header(max_length=24)] = None,
) -> StreamingResponse:
    """Messages that come later, as server-sent events (read with fetch, which can send the
    token header; EventSource cannot); `id:` lines let a reconnecting page catch up."""
    try:
        iterator = await service.events(token, last_event_id)
    except UnknownConversationError:
        raise HTTPException(404, "conversation ended") from None
    except TooManyStreamsError:
        raise HTTPException(503, "too many open streams") from None

    async def stream() -> AsyncIterator[bytes]:
        yield b": connected\n\n"
        async for event in iterator:
            if event["type"] == "ping":
                yield b": ping\n\n"
            elif event["type"] == "overflow":
                return
            else:
                event_id = f"id: {event['id']}\n" if "id" in event else ""
                data = {k: v for k, v in event.items() if k != "id"}
                yield f"{event_id}data: {json.dumps(data)}\n\n".encode()

    return StreamingResponse(stream(), media_type="text/event-stream")


FORGOTTEN = {"Clear-Site-Data": '"cache", "storage"'}


@router.delete("/chat/api/conversation", status_code=204)
async def forget(token: ChatToken, service: WebChatDep) -> Response:
    await service.forget(token)
    return Response(status_code=204, headers=FORGOTTEN)


class Beacon(BaseModel):
    conversation: str = Field(min_length=1, max_length=64)


@router.post("/chat/api/forget", status_code=204)
async def forget_beacon(request: Request, service: WebChatDep) -> Response:
    """Same as DELETE, for navigator.sendBeacon during quick exit: it can only POST, and
    cannot set a header, so the token comes in the body ({"conversation": ...})."""
    try:
        beacon = Beacon.model_validate_json(await request.body())
    except ValueError:
        raise HTTPException(422, "no conversation named") from None
    await service.forget(beacon.conversation)
    return Response(status_code=204, headers=FORGOTTEN)
