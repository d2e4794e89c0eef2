"""Operator commands: `python -m sms_gateway.admin add-advocate NAME --role advocate`,
`disable-advocate NAME` / `enable-advocate NAME`, `end-sessions NAME`, `reset-2fa NAME` (a
lost or shared phone: a new authenticator secret, every session ended), and `rotate-key`
(after putting the new key first in ENCRYPTION_KEY).

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
    for name, text in ACCOUNT_COMMANDS.items():
        commands.add_parser(name, help=text).add_argument("username")
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
    if args.command in ACCOUNT_COMMANDS:
        try:
            print(_account_command(auth, args.command, args.username))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
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


ACCOUNT_COMMANDS = {
    "disable-advocate": "no more sign-in for this account; its sessions end now",
    "enable-advocate": "allow sign-in again",
    "end-sessions": "sign this account out everywhere",
    "reset-2fa": "a new authenticator secret (the old one stops working); sessions end",
}


def _account_command(auth: AdvocateAuth, command: str, username: str) -> str:
    if command == "disable-advocate":
        return f"disabled {username}; sessions ended={auth.disable(username)}"
    if command == "enable-advocate":
        auth.enable(username)
        return f"enabled {username}"
    if command == "end-sessions":
        return f"sessions ended={auth.end_sessions(username)}"
    secret = auth.reset_second_factor(username)
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Waypoint")
    return f"second factor reset for {username}\ntotp_secret={secret}\ntotp_uri={uri}"


if __name__ == "__main__":
    raise SystemExit(main())
