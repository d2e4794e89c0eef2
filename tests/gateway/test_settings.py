"""`make run` works with no settings; production refuses the development defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sms_gateway.config import Settings


def test_development_defaults_work_out_of_the_box(monkeypatch):
    monkeypatch.delenv("HELPLINE_ENV", raising=False)
    settings = Settings(_env_file=None)
    assert settings.helpline_port == 8000
    assert settings.uses_dev_defaults


def test_production_refuses_development_defaults():
    with pytest.raises(ValidationError, match="refuses development defaults"):
        Settings(_env_file=None, helpline_env="production", public_base_url="https://x.example.org")


def test_production_accepts_real_secrets():
    from cryptography.fernet import Fernet

    settings = Settings(
        _env_file=None,
        helpline_env="production",
        public_base_url="https://helpline.example.org",
        twilio_auth_token="a" * 32,
        pseudonym_secret="b" * 40,
        encryption_key=Fernet.generate_key().decode(),
        rasa_tracker_url="postgresql+psycopg://rasa@db.internal/rasa",
    )
    assert not settings.uses_dev_defaults


def _production(**overrides: object) -> Settings:
    from cryptography.fernet import Fernet

    values: dict[str, object] = {
        "_env_file": None,
        "helpline_env": "production",
        "public_base_url": "https://helpline.example.org",
        "twilio_auth_token": "a" * 32,
        "pseudonym_secret": "b" * 40,
        "encryption_key": Fernet.generate_key().decode(),
        "rasa_tracker_url": "postgresql+psycopg://rasa@db.internal/rasa",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def test_production_refuses_to_start_without_the_tracker_url():
    with pytest.raises(ValidationError, match="RASA_TRACKER_URL"):
        _production(rasa_tracker_url="")


def test_production_refuses_the_development_key_even_beside_a_real_one():
    from cryptography.fernet import Fernet

    from sms_gateway.config import DEV_ENCRYPTION_KEY

    with pytest.raises(ValidationError, match="ENCRYPTION_KEY"):
        _production(encryption_key=f"{Fernet.generate_key().decode()},{DEV_ENCRYPTION_KEY}")


def test_two_keys_while_rotating_the_first_encrypts_both_decrypt():
    from cryptography.fernet import Fernet

    from sms_gateway.services.crypto import FieldCipher

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_before = FieldCipher(old).encrypt("a text kept before the rotation")
    both = FieldCipher(f"{new}, {old}")
    assert both.decrypt(sealed_before) == "a text kept before the rotation"
    assert FieldCipher(new).decrypt(both.encrypt("after")) == "after"
    assert FieldCipher(new).decrypt(sealed_before) is None


def test_production_requires_https_public_url():
    from cryptography.fernet import Fernet

    with pytest.raises(ValidationError, match="https"):
        Settings(
            _env_file=None,
            helpline_env="production",
            public_base_url="http://x.example.org",
            twilio_auth_token="a" * 32,
            pseudonym_secret="b" * 40,
            encryption_key=Fernet.generate_key().decode(),
            rasa_tracker_url="postgresql+psycopg://rasa@db.internal/rasa",
        )


def test_hsts_is_sent_in_production_only():
    """Production is https only: browsers are told never to try plain http for a year."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from sms_gateway.security_headers import HSTS, SecurityHeadersMiddleware

    def page(_request):  # type: ignore[no-untyped-def]
        return PlainTextResponse("ok")

    for hsts in (True, False):
        app = SecurityHeadersMiddleware(Starlette(routes=[Route("/", page)]), hsts=hsts)
        headers = TestClient(app).get("/").headers
        assert headers.get("strict-transport-security") == (HSTS if hsts else None)
        assert headers["cache-control"] == "no-store"
