"""Typed dependencies for the routes: the objects the app builds once at start-up.

`async def`, though they only read app.state: FastAPI runs a plain `def` dependency on its
thread pool, one thread hop per dependency on every request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sms_gateway.config import Settings
from sms_gateway.services.inbound_sms import SmsConversationService
from sms_gateway.services.rate_limits import RateLimits
from sms_gateway.services.signature import TwilioSignatureChecker


async def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _sms_service(request: Request) -> SmsConversationService:
    return request.app.state.sms_service  # type: ignore[no-any-return]


async def _signatures(request: Request) -> TwilioSignatureChecker:
    return request.app.state.signatures  # type: ignore[no-any-return]


async def _limits(request: Request) -> RateLimits:
    return request.app.state.limits  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]
SmsServiceDep = Annotated[SmsConversationService, Depends(_sms_service)]
SignatureDep = Annotated[TwilioSignatureChecker, Depends(_signatures)]
LimitsDep = Annotated[RateLimits, Depends(_limits)]
