"""Twilio's inbound SMS webhook and delivery-status callback.

Both are signed by Twilio; a bad or missing signature gets 403 and nothing else happens. Past
the signature check, whatever goes wrong, Twilio gets a 200 with a safe TwiML reply: a 5xx would
leave a person in danger with no answer at all.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from twilio.twiml.messaging_response import MessagingResponse

from resources.replies import render
from sms_gateway.db import session_scope
from sms_gateway.deps import SignatureDep, SmsServiceDep
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import DeliveryStatus
from sms_gateway.services.inbound_sms import InboundSms

router = APIRouter(prefix="/sms/twilio")
log = get_logger("twilio")
TWIML = "application/xml"


async def _signed_form(request: Request, signatures: SignatureDep) -> dict[str, str] | None:
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    ok = signatures.is_valid(
        request.url.path, request.url.query, params, request.headers.get("X-Twilio-Signature")
    )
    return params if ok else None


def twiml(texts: list[str]) -> Response:
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return Response(content=str(response), media_type=TWIML)


@router.post("")
async def inbound_sms(
    request: Request, signatures: SignatureDep, service: SmsServiceDep
) -> Response:
    params = await _signed_form(request, signatures)
    if params is None:
        log.warning("twilio.bad_signature", path=request.url.path)
        return Response(status_code=403)
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    sender = params.get("From", "")
    if not sid or not sender:
        return twiml([render("empty_message")])
    try:
        num_media = int(params.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0
    try:
        texts = await service.handle(
            InboundSms(
                message_sid=sid, sender=sender, body=params.get("Body", ""), num_media=num_media
            )
        )
    except Exception as exc:  # never a 5xx to Twilio
        log.error("sms.failed", error=type(exc).__name__)
        texts = [render("safe_reply")]
    return twiml(texts)


@router.post("/status")
async def delivery_status(request: Request, signatures: SignatureDep) -> Response:
    params = await _signed_form(request, signatures)
    if params is None:
        return Response(status_code=403)
    sid = params.get("MessageSid", "")
    if sid:
        try:
            with session_scope(request.app.state.sessions) as session:
                row = session.get(DeliveryStatus, sid) or DeliveryStatus(message_sid=sid)
                row.status = params.get("MessageStatus", "unknown")[:24]
                row.error_code = (params.get("ErrorCode") or None) and params["ErrorCode"][:16]
                row.updated_at = datetime.now(UTC)
                session.add(row)
            request.app.state.outbound.on_status(
                sid, params.get("MessageStatus", ""), params.get("ErrorCode") or None
            )
        except Exception as exc:
            log.error("twilio.status_failed", error=type(exc).__name__)
    return Response(status_code=204)
