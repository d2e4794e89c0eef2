"""Encryption at rest for the few texts the gateway has to keep (Fernet: AES-128-CBC + HMAC).

ENCRYPTION_KEY holds one Fernet key, or several separated by commas while a key is rotated:
the first encrypts, every one decrypts (MultiFernet). Rasa's tracker store reads the same
setting (bot/tracker_store.py)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def parse_keys(setting: str) -> list[str]:
    """The keys of an ENCRYPTION_KEY value, first (the one that encrypts) first."""
    return [k.strip() for k in setting.split(",") if k.strip()]


class FieldCipher:
    """Encrypts and decrypts single text fields with the configured key(s)."""

    def __init__(self, key: str) -> None:
        keys = parse_keys(key)
        if not keys:
            raise ValueError("ENCRYPTION_KEY is empty")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode("utf-8"))

    def decrypt(self, token: bytes) -> str | None:
        """The text, or None when no configured key opens it or the row was tampered with."""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            return None

    def rotate(self, token: bytes) -> bytes | None:
        """The same text encrypted under the first key, or None when no key opens it."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            return None
