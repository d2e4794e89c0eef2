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
    )
    assert not settings.uses_dev_defaults


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
        )
