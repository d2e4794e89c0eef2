"""Twilio's inbound SMS webhook and delivery-status callback.

Both are signed by Twilio; a bad or missing signature gets 403 and nothing else happens. Past
the signature check, whatever goes wrong, Twilio gets a 200 with a safe TwiML reply: a 5xx would
leave a person in danger with no answer at all.

The body is capped before it is read (BodyLimitMiddleware) and the form before it is parsed (a
Twilio webhook has a few dozen fields); rate limits per sender number are counted only after the
signature check, so nobody can use up a real person's allowance with forged requests.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from twilio.twiml.messaging_response import MessagingResponse

from resources.replies import render
from resources.spelling import for_sms
from sms_gateway.db import session_scope
from sms_gateway.deps import LimitsDep, SignatureDep, SmsServiceDep
from sms_gateway.logging_setup import get_logger
from sms_gateway.models import DeliveryStatus
from sms_gateway.services.inbound_sms import InboundSms
from sms_gateway.services.outbound import OutboundSms

router = APIRouter(prefix="/sms/twilio")
log = get_logger("twilio")
TWIML = "application/xml"


MAX_FIELDS = 200  # Twilio sends about 20, and 2 per picture of an MMS (10 at most)
MAX_FIELD_BYTES = 16 * 1024


async def _signed_form(request: Request, signatures: SignatureDep) -> dict[str, str] | None:
    form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES)
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    ok = signatures.is_valid(
        request.url.path, request.url.query, params, request.headers.get("X-Twilio-Signature")
    )
    return params if ok else None


def twiml(texts: list[str]) -> Response:
    """Every text spelled as an SMS is (GSM-7 where it can be: resources/spelling.py), whichever
    part of the gateway wrote it."""
    response = MessagingResponse()
    for text in texts:
        response.message(for_sms(text))
    return Response(content=str(response), media_type=TWIML)


@router.post("")
async def inbound_sms(
    request: Request, signatures: SignatureDep, service: SmsServiceDep, limits: LimitsDep
) -> Response:
    try:
        params = await _signed_form(request, signatures)
    except HTTPException:  # a malformed form (too many fields, a file): not Twilio
        return Response(status_code=400)
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
    sms = InboundSms(
        message_sid=sid, sender=sender, body=params.get("Body", ""), num_media=num_media
    )
    try:
        number = service.channel.conversation_of(sender)
        if limits.allow("sms_number", number) and limits.allow("sms_global"):
            texts = await service.handle(sms)
        else:
            log.warning("sms.rate_limited", conversation=number[:16])
            texts = await service.limited(sms, tell=limits.allow("notice", number))
    except Exception as exc:  # never a 5xx to Twilio
        log.error("sms.failed", error=type(exc).__name__)
        texts = [render("safe_reply")]
    return twiml(texts)


@router.post("/status")
async def delivery_status(request: Request, signatures: SignatureDep) -> Response:
    params = await _signed_form(request, signatures)
    if params is None:
        return Response(status_code=403)
    sid = params.get("MessageSid", "")[:64]
    if sid:
        try:
            await request.app.state.db.run(
                _record_status,
                request.app.state.sessions,
                request.app.state.outbound,
                sid,
                params.get("MessageStatus", "unknown"),
                params.get("ErrorCode") or None,
            )
        except Exception as exc:
            log.error("twilio.status_failed", error=type(exc).__name__)
    return Response(status_code=204)


def _record_status(
    sessions: sessionmaker[Session],
    outbound: OutboundSms,
    sid: str,
    status: str,
    error_code: str | None,
) -> None:
    with session_scope(sessions) as session:
        row = session.get(DeliveryStatus, sid) or DeliveryStatus(message_sid=sid)
        row.status = status[:24]
        row.error_code = error_code[:16] if error_code else None
        row.updated_at = datetime.now(UTC)
        session.add(row)
    outbound.on_status(sid, status, error_code)
