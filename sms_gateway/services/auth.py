"""Advocate accounts and console sessions (OWASP ASVS 4.0 level 2 as the bar).

- Passwords: argon2id (argon2-cffi's defaults), never stored or logged in clear.
- Second factor: TOTP (pyotp), secret encrypted at rest; one step of clock drift either way,
  and each code is accepted once (the step used is stored; RFC 6238 §5.2, ASVS 2.8.4), so a
  code seen over a shoulder or in a proxy log cannot open a second session.
- Lockout: after MAX_FAILURES wrong tries the account is locked for LOCK_MINUTES.
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

MAX_FAILURES = 5
LOCK_MINUTES = 15
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
    """Wrong name, password or code (deliberately not saying which)."""


class LockedOutError(Exception):
    """Too many failed tries; the account is locked for a while."""


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
    def __init__(self, sessions: sessionmaker[Session], cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher

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

    def login(self, username: str, password: str, code: str) -> tuple[str, SignedIn]:
        now = datetime.now(UTC)
        failure: type[Exception] | None = None
        with session_scope(self._sessions) as session:
            # FOR UPDATE (PostgreSQL): two workers cannot both accept the same code.
            query = select(Advocate).where(Advocate.username == username).with_for_update()
            advocate = session.scalar(query)
            if advocate is None:
                _verify(_DUMMY_HASH, password)
                raise LoginFailedError
            if advocate.locked_until and aware(advocate.locked_until) > now:
                _audit(session, advocate.id, "login_locked")
                failure = LockedOutError
            elif not self._credentials_ok(advocate, password, code):
                # Recorded (and committed) before the error is raised, so lockout counts.
                advocate.failed_logins += 1
                _audit(session, advocate.id, "login_failed")
                if advocate.failed_logins >= MAX_FAILURES:
                    advocate.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    advocate.failed_logins = 0
                    _audit(session, advocate.id, "locked_out")
                failure = LoginFailedError
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
        if failure is not None:
            raise failure
        return token, signed

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
            if idle or too_old or advocate is None:
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
