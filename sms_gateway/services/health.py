"""Health of each part, as /healthz reports it to operators and load balancers."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import Engine

from sms_gateway.db import ping


async def _http_ok(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(url)
        return response.status_code == 200
    except httpx.HTTPError:
        return False


async def check_parts(engine: Engine, rasa_url: str, action_server_url: str) -> dict[str, Any]:
    """Every part and its state. The gateway itself is up if this code runs at all."""
    database, rasa, actions = await asyncio.gather(
        asyncio.to_thread(ping, engine),
        _http_ok(rasa_url.rstrip("/") + "/"),
        _http_ok(action_server_url.rstrip("/") + "/health"),
    )
    parts = {
        "gateway": "up",
        "database": "up" if database else "down",
        "rasa": "up" if rasa else "down",
        "action_server": "up" if actions else "down",
    }
    if not database:
        status = "down"  # without the database the gateway cannot promise "never lost"
    elif rasa and actions:
        status = "ok"
    else:
        status = "degraded"  # SMS still answered with the safe reply
    return {"status": status, "parts": parts}
