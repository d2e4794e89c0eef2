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
from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse

from sms_gateway.services.webchat import UnknownConversationError, WebChatService

router = APIRouter()
STATIC = Path(__file__).resolve().parents[1] / "static"
RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "data"
MAX_TEXT = 4000


def _service(request: Request) -> WebChatService:
    return request.app.state.webchat  # type: ignore[no-any-return]


WebChatDep = Annotated[WebChatService, Depends(_service)]


PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=1)
def page_words() -> dict[str, dict[str, str]]:
    """resources/data/chat_page.yml: every word of the page, per language."""
    raw = yaml.safe_load((RESOURCES / "chat_page.yml").read_text(encoding="utf-8"))
    return {lang: {str(k): str(v) for k, v in words.items()} for lang, words in raw.items()}


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


@router.post("/chat/api/conversations", status_code=201)
async def start(
    service: WebChatDep, payload: Annotated[dict[str, Any] | None, Body()] = None
) -> dict[str, Any]:
    """A new conversation; the page says which language it is in ({"language": "es"})."""
    language = (payload or {}).get("language")
    return {"conversation": service.start(language if language in ("en", "es") else None)}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise HTTPException(422, "text must be a string")
    return value[:MAX_TEXT]


@router.post("/chat/api/conversations/{token}/messages")
async def send(
    token: str, service: WebChatDep, payload: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    try:
        if "payload" in payload:
            reply = await service.choose(
                token,
                str(payload.get("id", "")),
                _text(payload.get("text", "")),
                str(payload["payload"]),
            )
        else:
            reply = await service.send(
                token, str(payload.get("id", "")), _text(payload.get("text"))
            )
    except UnknownConversationError:
        raise HTTPException(404, "conversation ended") from None
    except ValueError:
        raise HTTPException(422, "not a valid choice") from None
    return {"messages": [m.as_dict() for m in reply]}


@router.get("/chat/api/conversations/{token}/events")
async def events(token: str, service: WebChatDep) -> StreamingResponse:
    try:
        service.conversation_for(token)
    except UnknownConversationError:
        raise HTTPException(404, "conversation ended") from None

    async def stream() -> AsyncIterator[bytes]:
        yield b": connected\n\n"
        async for event in service.events(token):
            if event["type"] == "ping":
                yield b": ping\n\n"
            else:
                yield f"data: {json.dumps(event)}\n\n".encode()

    return StreamingResponse(stream(), media_type="text/event-stream")


@router.delete("/chat/api/conversations/{token}", status_code=204)
async def forget(token: str, service: WebChatDep) -> Response:
    await service.forget(token)
    return Response(status_code=204, headers={"Clear-Site-Data": '"cache", "storage"'})


@router.post("/chat/api/conversations/{token}/forget", status_code=204)
async def forget_beacon(token: str, service: WebChatDep) -> Response:
    """Same as DELETE, for navigator.sendBeacon (which can only POST) during quick exit."""
    await service.forget(token)
    return Response(status_code=204, headers={"Clear-Site-Data": '"cache", "storage"'})
