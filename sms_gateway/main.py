"""Builds the FastAPI app: settings, database, assistant client, safety net, routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.config import Settings, get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate
from sms_gateway.logging_setup import configure_logging, get_logger
from sms_gateway.retention import purge_all, tracker_engine
from sms_gateway.routes import advocate, health, twilio_sms, webchat
from sms_gateway.security_headers import SecurityHeadersMiddleware
from sms_gateway.services.auth import AdvocateAuth
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.escalation import Escalations
from sms_gateway.services.events import EventBus
from sms_gateway.services.handoff import HandoffService
from sms_gateway.services.inbound_sms import SmsConversationService
from sms_gateway.services.message_log import MessageLog
from sms_gateway.services.outbound import OutboundSms
from sms_gateway.services.rasa_client import RasaClient
from sms_gateway.services.recent import RecentConversations
from sms_gateway.services.safety_net import default_detector
from sms_gateway.services.signature import TwilioSignatureChecker
from sms_gateway.services.turns import ConversationTurns
from sms_gateway.services.webchat import WebChatService


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    log = get_logger("gateway")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        migrate(engine)
        sessions = make_session_factory(engine)
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.signatures = TwilioSignatureChecker(settings.twilio_auth_token, settings.base_url)
        cipher = FieldCipher(settings.encryption_key)
        message_log = MessageLog(sessions, cipher, settings.rasa_timeout_seconds + 1)
        turns = ConversationTurns(rasa, default_detector())
        app.state.turns = turns
        bus = EventBus()
        app.state.auth = AdvocateAuth(sessions, cipher)
        app.state.outbound = OutboundSms(settings, sessions, cipher, bus)
        escalations = Escalations(
            settings, HandoffService(sessions, cipher, bus), app.state.auth, app.state.outbound
        )
        app.state.escalations = escalations
        app.state.recent = RecentConversations(
            sessions, cipher, escalations.handoffs, settings.recent_hours
        )
        app.state.sms_service = SmsConversationService(
            settings, sessions, turns, message_log, escalations
        )
        app.state.webchat = WebChatService(settings, sessions, turns, message_log, escalations)
        escalations.web_publish = app.state.webchat.publish
        expiry = asyncio.create_task(_expire_idle_web_chats(app.state.webchat))
        sender = asyncio.create_task(app.state.outbound.run())
        tracker = tracker_engine(settings.rasa_tracker_url)
        if tracker is None:
            log.warning("retention.tracker_not_configured", reason="RASA_TRACKER_URL is empty")
        purger = asyncio.create_task(_purge_hourly(sessions, tracker, settings.retention_days))
        if settings.uses_dev_defaults:
            log.warning(
                "settings.development_defaults", reason="dev secrets in use; not for production"
            )
        log.info("gateway.started", port=settings.helpline_port)
        yield
        expiry.cancel()
        sender.cancel()
        purger.cancel()
        await rasa.close()
        engine.dispose()
        if tracker is not None:
            tracker.dispose()

    app = FastAPI(title="Waypoint gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(health.router)
    app.include_router(twilio_sms.router)
    app.include_router(webchat.router)
    app.include_router(advocate.router)
    return app


async def _expire_idle_web_chats(service: WebChatService) -> None:
    """Forget abandoned web conversations (the page was closed without quick exit)."""
    log = get_logger("web")
    while True:
        await asyncio.sleep(60)
        try:
            removed = service.expire_idle()
            if removed:
                log.info("web.expired", count=removed)
        except Exception as exc:  # keep the loop alive; the next minute tries again
            log.error("web.expire_failed", error=type(exc).__name__)


async def _purge_hourly(
    sessions: sessionmaker[Session], tracker: Engine | None, retention_days: int
) -> None:
    """Delete texts past the retention period, here and in Rasa's tracker store, every hour
    (and once shortly after start)."""
    log = get_logger("retention")
    await asyncio.sleep(5)
    while True:
        try:
            counts = await asyncio.to_thread(purge_all, sessions, tracker, retention_days)
            log.info("retention.purged", count=sum(counts.values()))
        except Exception as exc:
            log.error("retention.failed", error=type(exc).__name__)
        await asyncio.sleep(3600)
