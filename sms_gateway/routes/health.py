"""GET /healthz."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

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
