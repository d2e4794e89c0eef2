"""Operator commands: `python -m sms_gateway.admin add-advocate NAME --role advocate`, and
`python -m sms_gateway.admin rotate-key` (after putting the new key first in ENCRYPTION_KEY).

The password is read from a prompt (or stdin with --password-stdin, for scripts); the TOTP
secret is printed once, to be added to the advocate's authenticator app.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import pyotp

from sms_gateway.config import get_settings
from sms_gateway.db import make_engine, make_session_factory, migrate
from sms_gateway.services.auth import ROLES, AdvocateAuth
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.key_rotation import rotate_keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sms_gateway.admin")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-advocate", help="create a console account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="advocate")
    add.add_argument("--password-stdin", action="store_true")
    commands.add_parser("rotate-key", help="re-encrypt everything under ENCRYPTION_KEY's first key")
    args = parser.parse_args(argv)

    settings = get_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    if args.command == "rotate-key":
        rotated = rotate_keys(engine, FieldCipher(settings.encryption_key))
        counts = " ".join(f"{k}={v}" for k, v in rotated.values.items())
        print(f"re-encrypted {counts} unreadable={rotated.unreadable}")
        return 0
    auth = AdvocateAuth(make_session_factory(engine), FieldCipher(settings.encryption_key))
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (12+ characters): ")
    try:
        secret = auth.create(args.username, password, args.role)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uri = pyotp.TOTP(secret).provisioning_uri(name=args.username, issuer_name="Waypoint")
    print(f"added {args.role} {args.username}")
    print(f"totp_secret={secret}")
    print(f"totp_uri={uri}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
