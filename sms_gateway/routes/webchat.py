"""GET /chat (the page) and its JSON API under /chat/api/ (no cookies, ever)."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse

from sms_gateway.services.webchat import UnknownConversationError, WebChatService

router = APIRouter()
STATIC = Path(__file__).resolve().parents[1] / "static"
MAX_TEXT = 4000


def _service(request: Request) -> WebChatService:
    return request.app.state.webchat  # type: ignore[no-any-return]


WebChatDep = Annotated[WebChatService, Depends(_service)]


def _page(name: str, request: Request) -> HTMLResponse:
    text = (STATIC / name).read_text(encoding="utf-8")
    exit_url = html.escape(request.app.state.settings.quick_exit_url, quote=True)
    return HTMLResponse(text.replace("{{QUICK_EXIT_URL}}", exit_url))


@router.get("/chat")
async def chat_page(request: Request) -> HTMLResponse:
    return _page("chat.html", request)


@router.get("/chat/static/{name}")
async def static_file(name: str) -> FileResponse:
    allowed = {"chat.js": "text/javascript", "chat.css": "text/css"}
    if name not in allowed:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=allowed[name])


@router.post("/chat/api/conversations", status_code=201)
async def start(service: WebChatDep) -> dict[str, Any]:
    return {"conversation": service.start()}


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
