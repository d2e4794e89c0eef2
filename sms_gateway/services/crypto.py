"""Encryption at rest for the few texts the gateway has to keep (Fernet: AES-128-CBC + HMAC)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class FieldCipher:
    """Encrypts and decrypts single text fields with the configured key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode("utf-8"))

    def decrypt(self, token: bytes) -> str | None:
        """The text, or None when the key changed or the row was tampered with."""
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            return None
