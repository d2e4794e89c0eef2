"""`python -m sms_gateway`: serve the gateway with uvicorn on HELPLINE_HOST:HELPLINE_PORT."""

from __future__ import annotations

import os
import sys

import uvicorn

from sms_gateway.config import get_settings
from sms_gateway.main import create_app


def main() -> None:
    os.umask(0o077)  # the databases, their WAL files and any log written here: owner only
    settings = get_settings()
    # Database work runs on threads (services/blocking.py): switch between them and the event
    # loop often, so a crisis reply never waits out another thread's 5 ms slice.
    sys.setswitchinterval(0.001)
    uvicorn.run(
        create_app(settings),
        host=settings.helpline_host,
        port=settings.helpline_port,
        access_log=False,
        proxy_headers=False,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()
