"""The advocate console: GET /advocate (page) and its API under /advocate/api/.

Sessions are server-side behind a `__Host-` cookie (HttpOnly, Secure, SameSite=Strict); every
change needs the session's CSRF token in `X-CSRF-Token` and a same-origin request.

Routes that only touch the database are plain `def`: FastAPI runs them on its thread pool, off
the event loop. Sign-in is rate-limited per address and in total before anything is hashed, and
its argon2 work runs on its own small pool with a cap on what may wait (services/blocking.py),
so a flood of sign-ins cannot slow the conversations.
"""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, field_validator

from resources.replies import load_quick_replies, render
from resources.reporting_policy import load_policy
from sms_gateway.deps import LimitsDep
from sms_gateway.services.auth import AdvocateAuth, LoginFailedError, SignedIn
from sms_gateway.services.blocking import BusyError, Offloader
from sms_gateway.services.escalation import Escalations
from sms_gateway.services.handoff_rules import HandoffError, permissions_of, reach_out_reasons
from sms_gateway.services.plan_service import PlanService
from sms_gateway.services.recent import RecentConversations

router = APIRouter()
STATIC = Path(__file__).resolve().parents[1] / "static"
# The console script as ES modules, one job each, served as they are (no build step).
CONSOLE_MODULES = STATIC / "advocate"
COOKIE = "__Host-waypoint_session"
STREAM_CHECK_SECONDS = 15.0  # a live stream checks its session at least this often


def _auth(request: Request) -> AdvocateAuth:
    return request.app.state.auth  # type: ignore[no-any-return]


async def _escalations(request: Request) -> Escalations:
    return request.app.state.escalations  # type: ignore[no-any-return]


async def _recent(request: Request) -> RecentConversations:
    return request.app.state.recent  # type: ignore[no-any-return]


def signed_in(request: Request) -> SignedIn:
    advocate = _auth(request).session(request.cookies.get(COOKIE))
    if advocate is None:
        raise HTTPException(401, "signed out")
    return advocate


def watching(request: Request) -> SignedIn:
    """Signed in, for what the console does by itself (the queue and recent polls, the live
    stream, the messages it announces): checked, but the session is not kept alive by it."""
    advocate = _auth(request).session(request.cookies.get(COOKIE), touch=False)
    if advocate is None:
        raise HTTPException(401, "signed out")
    return advocate


def changing(request: Request, advocate: Annotated[SignedIn, Depends(signed_in)]) -> SignedIn:
    """A state change: needs the CSRF token, and no cross-site origin."""
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise HTTPException(403, "cross-site request refused")
    if not AdvocateAuth.csrf_ok(advocate, request.headers.get("x-csrf-token")):
        raise HTTPException(403, "missing or wrong CSRF token")
    return advocate


Viewer = Annotated[SignedIn, Depends(signed_in)]
Watcher = Annotated[SignedIn, Depends(watching)]
Changer = Annotated[SignedIn, Depends(changing)]
AuthDep = Annotated[AdvocateAuth, Depends(_auth)]
EscDep = Annotated[Escalations, Depends(_escalations)]
RecentDep = Annotated[RecentConversations, Depends(_recent)]


async def _hashing(request: Request) -> Offloader:
    return request.app.state.hashing  # type: ignore[no-any-return]


HashingDep = Annotated[Offloader, Depends(_hashing)]
HandoffId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


class Login(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)
    code: str = Field(max_length=12)


class Shift(BaseModel):
    on_shift: bool


class ShownName(BaseModel):
    # Letters, spaces, hyphens and apostrophes: a first name, never a number or a link.
    name: str = Field(default="", max_length=40, pattern=r"^[^\W\d_]*([ '-][^\W\d_]+)*$")

    @field_validator("name", mode="before")
    @classmethod
    def _spaces(cls, value: object) -> object:
        return " ".join(value.split()) if isinstance(value, str) else value


class Reply(BaseModel):
    text: str = Field(max_length=1000)


class Pick(BaseModel):
    reason: str = Field(max_length=32)  # one of permissions.yml's reach_out_reasons


class Close(BaseModel):
    outcome: Literal["resolved", "referred", "no_response", "other"] = "other"


def _me(advocate: SignedIn) -> dict[str, Any]:
    permissions = permissions_of(advocate.role)
    reasons = reach_out_reasons() if "reach_out" in permissions else {}
    return {
        "username": advocate.username,
        "role": advocate.role,
        "on_shift": advocate.on_shift,
        "csrf": advocate.csrf,
        "permissions": permissions,
        "reach_out_reasons": [{"id": k, "label": v} for k, v in reasons.items()],
    }


def _handoff_error(exc: HandoffError) -> HTTPException:
    return HTTPException(exc.status, exc.detail)


@router.get("/advocate")
async def console_page() -> HTMLResponse:
    """The console, with the helpline's reporting-duty reminder (reporting_policy.yml) in view
    beside every conversation."""
    page = (STATIC / "advocate.html").read_text(encoding="utf-8")
    reminder = html.escape(load_policy().console_reminder, quote=True)
    return HTMLResponse(page.replace("{{REPORTING_REMINDER}}", reminder))


@router.get("/advocate/static/{name}")
async def console_static(name: str) -> FileResponse:
    allowed = {"advocate.css": "text/css"}  # the script's modules: CONSOLE_MODULES, in main.py
    if name not in allowed:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=allowed[name])


@router.post("/advocate/api/login")
async def login(
    request: Request, auth: AuthDep, limits: LimitsDep, hashing: HashingDep, payload: Login
) -> Response:
    address = limits.client_address(request)
    if not (limits.allow("login_address", address) and limits.allow("login_global")):
        return JSONResponse({"detail": render("signin_too_many", "console")}, status_code=429)
    try:
        token, advocate = await hashing.run(
            auth.login, payload.username, payload.password, payload.code, address
        )
    except BusyError:
        return JSONResponse({"detail": render("signin_busy", "console")}, status_code=503)
    except LoginFailedError:  # unknown, wrong, disabled or too soon: one answer for all
        return JSONResponse({"detail": "Sign-in failed"}, status_code=401)
    shown = auth.shown_name(advocate.advocate_id) or ""
    response = JSONResponse({**_me(advocate), "shown_name": shown})
    response.set_cookie(
        COOKIE, token, httponly=True, secure=True, samesite="strict", path="/", max_age=12 * 3600
    )
    return response


@router.post("/advocate/api/logout", status_code=204)
def logout(request: Request, auth: AuthDep, _advocate: Changer) -> Response:
    auth.logout(request.cookies.get(COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


@router.get("/advocate/api/me")
def me(advocate: Watcher, auth: AuthDep) -> dict[str, Any]:
    return {**_me(advocate), "shown_name": auth.shown_name(advocate.advocate_id) or ""}


@router.post("/advocate/api/me/name")
def shown_name(advocate: Changer, auth: AuthDep, payload: ShownName) -> dict[str, Any]:
    """The name the people this advocate writes to see on the web page ("Ana, advocate")."""
    name = " ".join(payload.name.split())
    auth.set_shown_name(advocate.advocate_id, name)
    return {"shown_name": name}


@router.post("/advocate/api/shift")
def shift(advocate: Changer, auth: AuthDep, payload: Shift) -> dict[str, Any]:
    on_shift = payload.on_shift
    auth.set_shift(advocate.advocate_id, on_shift)
    return {"on_shift": on_shift}


@router.get("/advocate/api/queue")
def queue(advocate: Watcher, esc: EscDep) -> dict[str, Any]:
    return {"items": esc.handoffs.views.queue(advocate)}


@router.get("/advocate/api/recent")
def recent(advocate: Watcher, conversations: RecentDep) -> dict[str, Any]:
    """Recent conversations nobody escalated, which a role with reach_out may pick up."""
    try:
        return {"items": conversations.available(advocate)}
    except HandoffError as exc:
        raise _handoff_error(exc) from None


@router.post("/advocate/api/recent/{message_id}/pick")
def pick(
    message_id: Annotated[int, PathParam(ge=1, le=2**63 - 1)],
    advocate: Changer,
    conversations: RecentDep,
    esc: EscDep,
    payload: Pick,
) -> dict[str, Any]:
    """Reach out to a person who did not ask: the reach_out permission and a reason."""
    try:
        picked = conversations.pick(advocate, message_id, payload.reason)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    esc.tell_youth(picked.handoff_id, "handoff_reached_out", picked.language)
    return {"status": "claimed", "handoff": picked.handoff_id}


@router.get("/advocate/api/quick-replies")
def quick_replies(_advocate: Viewer) -> dict[str, Any]:
    return {"items": load_quick_replies()}


@router.get("/advocate/api/events")
async def events(
    _advocate: Watcher, esc: EscDep, auth: AuthDep, request: Request
) -> StreamingResponse:
    """Ids and counts only (never a message text: services/handoff.message_event). The stream
    checks its session again at every ping and every few seconds of events, and ends with it
    (sign-out, idle, the absolute limit)."""
    if esc.handoffs.bus.full():
        raise HTTPException(503, "too many open consoles")
    token = request.cookies.get(COOKIE)

    async def stream() -> AsyncIterator[bytes]:
        yield b": connected\n\n"
        checked = time.monotonic()
        async for event in esc.handoffs.bus.subscribe(ping_seconds=STREAM_CHECK_SECONDS):
            if event["type"] == "ping" or time.monotonic() - checked > STREAM_CHECK_SECONDS:
                checked = time.monotonic()
                if await asyncio.to_thread(auth.session, token, False) is None:
                    yield b"event: ended\ndata: {}\n\n"
                    return
            if event["type"] == "ping":
                yield b": ping\n\n"
            else:
                yield f"data: {json.dumps(event)}\n\n".encode()

    return StreamingResponse(stream(), media_type="text/event-stream")


@router.get("/advocate/api/handoffs/{handoff_id}")
def detail(handoff_id: HandoffId, advocate: Viewer, esc: EscDep) -> dict[str, Any]:
    try:
        return esc.handoffs.views.detail(advocate, handoff_id)
    except HandoffError as exc:
        raise _handoff_error(exc) from None


@router.get("/advocate/api/handoffs/{handoff_id}/plan")
def plan(handoff_id: HandoffId, advocate: Viewer, request: Request) -> dict[str, Any]:
    """What the youth thought through with the helper: for the advocate who holds the
    conversation, and supervisors (services/plan_service.py); audited."""
    plans: PlanService = request.app.state.plans
    try:
        return plans.for_advocate(advocate, handoff_id)
    except HandoffError as exc:
        raise _handoff_error(exc) from None


@router.get("/advocate/api/handoffs/{handoff_id}/messages")
def messages_after(
    handoff_id: HandoffId,
    advocate: Watcher,
    esc: EscDep,
    after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> dict[str, Any]:
    """The messages after `after` that the live stream announced, for a console that may see
    this conversation (its holder, or a role that may see all)."""
    try:
        return {"messages": esc.handoffs.views.messages_after(advocate, handoff_id, after)}
    except HandoffError as exc:
        raise _handoff_error(exc) from None


@router.post("/advocate/api/handoffs/{handoff_id}/claim")
def claim(handoff_id: HandoffId, advocate: Changer, esc: EscDep) -> dict[str, Any]:
    try:
        esc.handoffs.claim(advocate, handoff_id)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    esc.tell_youth(handoff_id, "handoff_joined")
    return {"status": "claimed"}


@router.post("/advocate/api/handoffs/{handoff_id}/release")
def release(handoff_id: HandoffId, advocate: Changer, esc: EscDep) -> dict[str, Any]:
    try:
        esc.handoffs.release(advocate, handoff_id)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    return {"status": "queued"}


@router.post("/advocate/api/handoffs/{handoff_id}/hand-back")
def hand_back(handoff_id: HandoffId, advocate: Changer, esc: EscDep) -> dict[str, Any]:
    try:
        esc.handoffs.end(advocate, handoff_id, "returned", None)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    esc.tell_youth(handoff_id, "handoff_returned")
    return {"status": "returned"}


@router.post("/advocate/api/handoffs/{handoff_id}/close")
def close(handoff_id: HandoffId, advocate: Changer, esc: EscDep, payload: Close) -> dict[str, Any]:
    try:
        esc.handoffs.end(advocate, handoff_id, "closed", payload.outcome)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    esc.tell_youth(handoff_id, "handoff_returned")
    return {"status": "closed"}


@router.post("/advocate/api/handoffs/{handoff_id}/messages", status_code=201)
def reply(
    handoff_id: HandoffId, advocate: Changer, esc: EscDep, auth: AuthDep, payload: Reply
) -> dict[str, Any]:
    try:
        handoff, message = esc.handoffs.advocate_message(advocate, handoff_id, payload.text)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    name = auth.shown_name(advocate.advocate_id) if handoff.channel == "web" else None
    esc.deliver(handoff.channel, handoff.conversation_id, message["text"], "advocate", name)
    return {"message": message}


@router.post("/advocate/api/handoffs/{handoff_id}/messages/{message_id}/retry")
def retry(
    handoff_id: HandoffId,
    message_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    advocate: Changer,
    esc: EscDep,
) -> dict[str, Any]:
    """Send a failed SMS again as the same message (only where retrying can help)."""
    try:
        handoff, message = esc.handoffs.retry_message(advocate, handoff_id, message_id)
    except HandoffError as exc:
        raise _handoff_error(exc) from None
    esc.deliver(handoff.channel, handoff.conversation_id, message["text"], message["from"])
    return {"message": message}
