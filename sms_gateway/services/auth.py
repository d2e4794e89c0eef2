"""Advocate accounts and console sessions (OWASP ASVS 4.0 level 2 as the bar).

- Passwords: argon2id (argon2-cffi's defaults), never stored or logged in clear.
- Second factor: TOTP (pyotp), secret encrypted at rest; one step of clock drift either way,
  and each code is accepted once (the step used is stored; RFC 6238 §5.2, ASVS 2.8.4), so a
  code seen over a shoulder or in a proxy log cannot open a second session.
- Failed sign-ins: no hard lock (anyone could lock an advocate out by typing their name), but
  a wait that grows per account and address and per address (services/signin_delays.py). An
  unknown name, a wrong password or code, a disabled account and a try made too soon all get
  the same answer, after the same hashing work, and every attempt is audited.
- Sessions: server-side; the cookie holds a random token whose hash is stored; they end after
  IDLE_MINUTES without use or ABSOLUTE_HOURS in all (not the 8-day token of the template we
  learn from). Each session has its own CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from sms_gateway.db import aware, session_scope
from sms_gateway.models import Advocate, AdvocateSession, AuditEvent
from sms_gateway.services.crypto import FieldCipher
from sms_gateway.services.signin_delays import SignInDelays

IDLE_MINUTES = 30
ABSOLUTE_HOURS = 12
ROLES = ("advocate", "supervisor")
# One lane (argon2-cffi's default is 4 threads), so a hash never takes more than one core:
# sign-ins, even a flood of them, leave the other core to the conversations. Hashes made with
# other parameters still verify (they carry their own) and are redone at the next sign-in.
_HASHER = PasswordHasher(parallelism=1)
# Verified against when the username does not exist, so timing does not reveal which names do.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class LoginFailedError(Exception):
    """Wrong name, password or code, a disabled account, or a try made before its wait was
    over (deliberately not saying which)."""


@dataclass(frozen=True)
class SignedIn:
    advocate_id: int
    username: str
    role: str
    on_shift: bool
    csrf: str


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step `code` belongs to (now, or one step either side for clock drift), if it
    is later than the last step accepted; None otherwise. Every candidate is compared in
    constant time, so timing does not tell which step matched."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    found = None
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and step > (last_step or -1):
            found = step
    return found


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AdvocateAuth:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: FieldCipher,
        delays: SignInDelays | None = None,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._delays = delays or SignInDelays()

    def create(self, username: str, password: str, role: str) -> str:
        """Add an account; returns the TOTP secret to put in an authenticator app."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if len(password) < 12:
            raise ValueError("password must be at least 12 characters")
        secret = pyotp.random_base32()
        with session_scope(self._sessions) as session:
            session.add(
                Advocate(
                    username=username,
                    password_hash=_HASHER.hash(password),
                    totp_secret_encrypted=self._cipher.encrypt(secret),
                    role=role,
                    on_shift=False,
                    failed_logins=0,
                    created_at=datetime.now(UTC),
                )
            )
        return secret

    def login(
        self, username: str, password: str, code: str, address: str = ""
    ) -> tuple[str, SignedIn]:
        keys = SignInDelays.keys(username, address)
        if self._delays.wait_left(keys) > 0:
            _verify(_DUMMY_HASH, password)  # the same work as any other failure
            self._audit_attempt(username, "login_too_soon")
            raise LoginFailedError
        now = datetime.now(UTC)
        signed: SignedIn | None = None
        with session_scope(self._sessions) as session:
            # FOR UPDATE (PostgreSQL): two workers cannot both accept the same code.
            query = select(Advocate).where(Advocate.username == username).with_for_update()
            advocate = session.scalar(query)
            if advocate is None:
                _verify(_DUMMY_HASH, password)
                _audit(session, None, "login_failed", detail="unknown name")  # the name is not kept
            elif not self._credentials_ok(advocate, password, code):
                advocate.failed_logins += 1
                _audit(session, advocate.id, "login_failed")
            elif advocate.disabled_at is not None:
                _audit(session, advocate.id, "login_disabled")
            else:
                advocate.failed_logins = 0
                advocate.locked_until = None
                if _HASHER.check_needs_rehash(advocate.password_hash):
                    advocate.password_hash = _HASHER.hash(password)
                token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                session.add(
                    AdvocateSession(
                        token_hash=_hash_token(token),
                        advocate_id=advocate.id,
                        csrf_token=csrf,
                        created_at=now,
                        last_seen_at=now,
                    )
                )
                _audit(session, advocate.id, "login")
                signed = SignedIn(
                    advocate.id, advocate.username, advocate.role, advocate.on_shift, csrf
                )
        if signed is None:  # recorded (and committed) first, so the wait grows
            self._delays.failed(keys)
            raise LoginFailedError
        self._delays.succeeded(keys)
        return token, signed

    def _audit_attempt(self, username: str, action: str) -> None:
        with session_scope(self._sessions) as session:
            advocate_id = session.scalar(select(Advocate.id).where(Advocate.username == username))
            _audit(session, advocate_id, action)

    # -- operator commands (python -m sms_gateway.admin) -------------------------------------

    def disable(self, username: str) -> int:
        """No more sign-in for this account, and every session of it ends now. Returns how
        many sessions ended."""
        with session_scope(self._sessions) as session:
            advocate = self._account(session, username)
            advocate.disabled_at, advocate.on_shift = datetime.now(UTC), False
            _audit(session, advocate.id, "account_disabled")
            return self._end_sessions_in(session, advocate.id)

    def enable(self, username: str) -> None:
        with session_scope(self._sessions) as session:
            advocate = self._account(session, username)
            advocate.disabled_at = None
            _audit(session, advocate.id, "account_enabled")

    def end_sessions(self, username: str) -> int:
        with session_scope(self._sessions) as session:
            advocate = self._account(session, username)
            _audit(session, advocate.id, "sessions_ended")
            return self._end_sessions_in(session, advocate.id)

    def reset_second_factor(self, username: str) -> str:
        """A new TOTP secret (the old authenticator stops working) and every session ended;
        returns the secret for the advocate's new authenticator entry."""
        secret = pyotp.random_base32()
        with session_scope(self._sessions) as session:
            advocate = self._account(session, username)
            advocate.totp_secret_encrypted = self._cipher.encrypt(secret)
            advocate.totp_last_step = None
            _audit(session, advocate.id, "second_factor_reset")
            self._end_sessions_in(session, advocate.id)
        return secret

    @staticmethod
    def _account(session: Session, username: str) -> Advocate:
        advocate = session.scalar(select(Advocate).where(Advocate.username == username))
        if advocate is None:
            raise ValueError(f"no account {username!r}")
        return advocate

    @staticmethod
    def _end_sessions_in(session: Session, advocate_id: int) -> int:
        result = session.execute(
            delete(AdvocateSession).where(AdvocateSession.advocate_id == advocate_id)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def _credentials_ok(self, advocate: Advocate, password: str, code: str) -> bool:
        """Password and an unused TOTP code; the code's step is recorded when both are right."""
        secret = self._cipher.decrypt(advocate.totp_secret_encrypted) or ""
        if not _verify(advocate.password_hash, password) or not secret:
            return False
        step = _totp_step(secret, code.strip(), advocate.totp_last_step)
        if step is None:
            return False
        advocate.totp_last_step = step
        return True

    def session(self, token: str | None, touch: bool = True) -> SignedIn | None:
        """The signed-in advocate for a cookie token, or None (ended, idle or unknown).
        `touch=False` for what the console does on its own (polls, the live stream): only an
        advocate's own actions keep a session from going idle."""
        if not token:
            return None
        now = datetime.now(UTC)
        with session_scope(self._sessions) as session:
            row = session.get(AdvocateSession, _hash_token(token))
            if row is None:
                return None
            idle = now - aware(row.last_seen_at) > timedelta(minutes=IDLE_MINUTES)
            too_old = now - aware(row.created_at) > timedelta(hours=ABSOLUTE_HOURS)
            advocate = session.get(Advocate, row.advocate_id)
            if idle or too_old or advocate is None or advocate.disabled_at is not None:
                session.delete(row)
                return None
            if touch:
                row.last_seen_at = now
            return SignedIn(
                advocate.id, advocate.username, advocate.role, advocate.on_shift, row.csrf_token
            )

    def logout(self, token: str | None) -> None:
        if not token:
            return
        with session_scope(self._sessions) as session:
            row = session.get(AdvocateSession, _hash_token(token))
            if row is not None:
                _audit(session, row.advocate_id, "logout")
                session.delete(row)

    @staticmethod
    def csrf_ok(signed_in: SignedIn, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(signed_in.csrf, presented or "")

    def set_shift(self, advocate_id: int, on_shift: bool) -> None:
        with session_scope(self._sessions) as session:
            advocate = session.get(Advocate, advocate_id)
            if advocate is not None:
                advocate.on_shift = on_shift
                _audit(session, advocate_id, "shift_on" if on_shift else "shift_off")

    def set_shown_name(self, advocate_id: int, name: str | None) -> None:
        with session_scope(self._sessions) as session:
            advocate = session.get(Advocate, advocate_id)
            if advocate is not None:
                advocate.shown_name = name or None
                _audit(session, advocate_id, "shown_name")

    def shown_name(self, advocate_id: int) -> str | None:
        with session_scope(self._sessions) as session:
            advocate = session.get(Advocate, advocate_id)
            return advocate.shown_name if advocate is not None else None

    def anyone_on_shift(self) -> bool:
        """An advocate is on shift and has used the console within the idle window."""
        with session_scope(self._sessions) as session:
            return self.anyone_on_shift_in(session)

    @staticmethod
    def anyone_on_shift_in(session: Session) -> bool:
        """`anyone_on_shift` inside the caller's transaction."""
        cutoff = datetime.now(UTC) - timedelta(minutes=IDLE_MINUTES)
        found = session.scalar(
            select(AdvocateSession.token_hash)
            .join(Advocate, Advocate.id == AdvocateSession.advocate_id)
            .where(Advocate.on_shift.is_(True), AdvocateSession.last_seen_at >= cutoff)
            .limit(1)
        )
        return found is not None

    def purge_expired(self) -> None:
        cutoff = datetime.now(UTC) - timedelta(hours=ABSOLUTE_HOURS)
        with session_scope(self._sessions) as session:
            session.execute(delete(AdvocateSession).where(AdvocateSession.created_at < cutoff))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError):
        return False


def _audit(
    session: Session,
    advocate_id: int | None,
    action: str,
    handoff_id: int | None = None,
    detail: str = "",
) -> None:
    session.add(
        AuditEvent(
            at=datetime.now(UTC),
            advocate_id=advocate_id,
            action=action,
            handoff_id=handoff_id,
            detail=detail,
        )
    )
