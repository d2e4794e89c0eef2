"""Send one correctly signed SMS to the running gateway, as Twilio would, and print the reply.

`make sms MSG="i need a shelter in reno"` (optional FROM=+17755550123). The signature is computed
with Twilio's own RequestValidator and the gateway's TWILIO_AUTH_TOKEN / PUBLIC_BASE_URL.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

from sms_gateway.config import get_settings


def send(body: str, sender: str, gateway: str | None = None, sid: str | None = None) -> list[str]:
    settings = get_settings()
    local = (gateway or f"http://127.0.0.1:{settings.helpline_port}").rstrip("/")
    params = {
        "MessageSid": sid or "SM" + secrets.token_hex(16),
        "AccountSid": settings.twilio_account_sid,
        "From": sender,
        "To": "+17025550100",
        "Body": body,
        "NumMedia": "0",
    }
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(
        f"{settings.base_url}/sms/twilio", params
    )
    request = urllib.request.Request(
        f"{local}/sms/twilio",
        data=urllib.parse.urlencode(params).encode(),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        root = ET.fromstring(response.read())  # noqa: S314 (our own gateway's TwiML)
    return [m.text or "" for m in root.iter("Message")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("message")
    parser.add_argument("--from", dest="sender", default="+17755550100")
    args = parser.parse_args()
    replies = send(args.message, args.sender)
    if not replies:
        print("(no reply: silenced on purpose)")
    for i, text in enumerate(replies, 1):
        print(f"--- message {i} ({len(text)} chars)\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
