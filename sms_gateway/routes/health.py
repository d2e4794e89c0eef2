"""GET /healthz (every part's state) and GET /metrics (counts for operators)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from sms_gateway.metrics import render_metrics
from sms_gateway.services.health import check_parts

router = APIRouter()


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    settings = request.app.state.settings
    report = await check_parts(
        request.app.state.engine, settings.rasa_url, settings.action_server_url
    )
    code = 503 if report["status"] == "down" else 200
    return JSONResponse(report, status_code=code, headers={"Cache-Control": "no-store"})


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    settings = request.app.state.settings
    token = settings.metrics_token
    if token:
        presented = request.headers.get("authorization", "")
        if not hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "metrics need the operator's token")
    elif settings.helpline_env == "production":
        raise HTTPException(404, "not found")  # never open to the internet without a token
    report = await check_parts(
        request.app.state.engine, settings.rasa_url, settings.action_server_url
    )
    body = await render_metrics(request.app.state.sessions, report["parts"])
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
