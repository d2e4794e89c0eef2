"""Builds the FastAPI app: settings, database, assistant, pipeline, channels, limits, routes."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.body_limit import BodyLimitMiddleware
from sms_gateway.config import Settings, get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate
from sms_gateway.logging_setup import configure_logging, get_logger
from sms_gateway.retention import erase_tracker, purge_all, tracker_engine, twilio_copies
from sms_gateway.routes import advocate, health, twilio_sms, webchat
from sms_gateway.security_headers import SecurityHeadersMiddleware
from sms_gateway.services.assistant import Assistant
from sms_gateway.services.auth import AdvocateAuth
from sms_gateway.services.blocking import Offloader
from sms_gateway.services.conversation_store import ConversationStore
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.erasure import Erasure
from sms_gateway.services.escalation import Escalations
from sms_gateway.services.events import EventBus
from sms_gateway.services.handoff import HandoffService
from sms_gateway.services.held_crisis import StandbyWorker
from sms_gateway.services.inbound_sms import SmsChannel, SmsConversationService
from sms_gateway.services.live import LiveStreams, WebMessage
from sms_gateway.services.outbound import OutboundSms
from sms_gateway.services.pipeline import ConversationPipeline
from sms_gateway.services.plan_service import PlanService
from sms_gateway.services.plan_store import PlanStore
from sms_gateway.services.rate_limits import RateLimits
from sms_gateway.services.recent import RecentConversations
from sms_gateway.services.safety_net import default_detector
from sms_gateway.services.signature import TwilioSignatureChecker
from sms_gateway.services.twilio_copies import TwilioCopies
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
        cipher = FieldCipher(settings.encryption_key)
        db = Offloader("db", settings.db_threads)
        # The assistant may answer late (LATE_ANSWER_SECONDS after the deadline); past that
        # the call is abandoned. A message's lease outlives both, so recovery never races it.
        limit = settings.rasa_timeout_seconds + settings.late_answer_seconds
        assistant = Assistant(
            settings.rasa_urls, limit, settings.rasa_max_in_flight, settings.rasa_max_waiting
        )
        bus = EventBus(max_subscribers=max(10, settings.live_streams_total // 5))
        live = LiveStreams(settings.web_streams_per_conversation, settings.live_streams_total)
        auth = AdvocateAuth(sessions, cipher)
        outbound = OutboundSms(settings, sessions, cipher, bus)
        escalations = Escalations(
            settings, HandoffService(sessions, cipher, bus), auth, outbound, live
        )
        store = ConversationStore(sessions, cipher, escalations, lease_seconds=limit + 5)
        detector = default_detector()
        urgent_db, disk = Offloader("db-urgent", 2), Offloader("disk", 1)
        tracker = tracker_engine(settings.rasa_tracker_url)
        forget = functools.partial(erase_tracker, tracker) if tracker is not None else None
        erasure = Erasure(sessions, store, db, twilio_copies(settings))
        plans = PlanService(sessions, PlanStore(sessions, cipher, settings.plan_ttl_hours), db)
        pipeline = ConversationPipeline(
            settings, store, assistant, detector, db, urgent_db, disk, forget, erasure, plans
        )
        sms_channel = SmsChannel(settings, cipher, outbound)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.db = db
        app.state.hashing = Offloader(  # below the conversations: a flood slows sign-in only
            "hashing", settings.hashing_concurrency, settings.hashing_max_waiting, niceness=19
        )
        app.state.limits = RateLimits(settings)
        app.state.signatures = TwilioSignatureChecker(settings.twilio_auth_token, settings.base_url)
        app.state.auth = auth
        app.state.outbound = outbound
        app.state.escalations = escalations
        app.state.plans = plans
        app.state.assistant = assistant
        app.state.pipeline = pipeline
        app.state.recent = RecentConversations(
            sessions, cipher, escalations.handoffs, settings.recent_hours
        )
        app.state.sms_service = SmsConversationService(sms_channel, pipeline, store, detector, db)
        app.state.webchat = WebChatService(
            settings, sessions, pipeline, store, escalations, live, db
        )
        if tracker is None:
            log.warning("retention.tracker_not_configured", reason="RASA_TRACKER_URL is empty")
        background = [
            asyncio.create_task(_expire_idle_web_chats(app.state.webchat, db)),
            asyncio.create_task(outbound.run()),
            asyncio.create_task(
                StandbyWorker(
                    sessions,
                    cipher,
                    bus,
                    outbound.wake,
                    lambda conversation, text: live.publish(conversation, WebMessage(text, [])),
                ).run()
            ),
            asyncio.create_task(
                _purge_hourly(sessions, tracker, settings.retention_days, twilio_copies(settings))
            ),
            asyncio.create_task(_recover(app.state.sms_service, settings.recovery_minutes)),
        ]
        if settings.uses_dev_defaults:
            log.warning(
                "settings.development_defaults", reason="dev secrets in use; not for production"
            )
        log.info("gateway.started", port=settings.helpline_port)
        yield
        for task in background:
            task.cancel()
        live.close_all()
        await pipeline.close()
        await assistant.close()
        db.shutdown()
        urgent_db.shutdown()
        disk.shutdown()
        app.state.hashing.shutdown()
        engine.dispose()
        if tracker is not None:
            tracker.dispose()

    production = settings.helpline_env == "production"
    app = FastAPI(
        title="Waypoint gateway",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None if production else "/openapi.json",  # a map for fuzzing, not for the world
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts=production)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(twilio_sms.router)
    app.include_router(webchat.router)
    app.include_router(advocate.router)
    app.mount(
        "/advocate/static/js",
        StaticFiles(directory=advocate.CONSOLE_MODULES),
        name="console-modules",
    )
    return app


async def _recover(service: SmsConversationService, window_minutes: int) -> None:
    """Answer what a gateway that died left unanswered: shortly after start, then every 10 s
    (another worker may have died; a message is taken once its lease has run out)."""
    log = get_logger("recovery")
    await asyncio.sleep(1)
    while True:
        try:
            count = await service.recover(window_minutes)
            if count:
                log.info("recovery.answered", count=count)
        except Exception as exc:  # the next round tries again
            log.error("recovery.failed", error=type(exc).__name__)
        await asyncio.sleep(10)


async def _expire_idle_web_chats(service: WebChatService, db: Offloader) -> None:
    """Forget abandoned web conversations (the page was closed without quick exit)."""
    log = get_logger("web")
    while True:
        await asyncio.sleep(60)
        try:
            removed = await db.run(service.expire_idle)
            if removed:
                log.info("web.expired", count=removed)
        except Exception as exc:  # keep the loop alive; the next minute tries again
            log.error("web.expire_failed", error=type(exc).__name__)


async def _purge_hourly(
    sessions: sessionmaker[Session],
    tracker: Engine | None,
    retention_days: int,
    copies: TwilioCopies | None,
) -> None:
    """Delete texts past the retention period, here, in Rasa's tracker store and at Twilio,
    every hour (and once shortly after start)."""
    log = get_logger("retention")
    await asyncio.sleep(5)
    while True:
        try:
            counts = await asyncio.to_thread(purge_all, sessions, tracker, retention_days, copies)
            log.info("retention.purged", count=sum(counts.values()))
        except Exception as exc:
            log.error("retention.failed", error=type(exc).__name__)
        await asyncio.sleep(3600)
