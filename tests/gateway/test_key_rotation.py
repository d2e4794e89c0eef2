"""Key rotation: with the new key put first, the operator's command re-encrypts every
encrypted value the gateway keeps (messages, numbers, replies, transcripts, second factors),
after which the old key can go. Run as the operator would, as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select

from sms_gateway.models import Base
from sms_gateway.services.crypto import FieldCipher
from tests.gateway.conftest import sms
from tests.gateway.test_handoff import HANDOFF

ROOT = Path(__file__).resolve().parents[2]


def _encrypted_values(url: str) -> list[bytes]:
    engine = create_engine(url)
    values: list[bytes] = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name.endswith("_encrypted")]
            for column in columns:
                values += [bytes(v) for v in connection.scalars(select(column)) if v is not None]
    engine.dispose()
    return values


def test_rotate_key_re_encrypts_everything_under_the_new_key(stack, tmp_path: Path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    client = stack["app"](encryption_key=old)
    stack["console"](client, "ana")  # a second factor, encrypted
    sms(client, "my aunt Rosa is my safe person", "+17755550171")
    for text in ("can you help me make a safety plan", "1", "1", "no", "my aunt Rosa"):
        sms(client, text, "+17755550171")  # a plan kept: its answers, encrypted
    stack["rasa"].reply = HANDOFF
    sms(client, "can i talk to a real person", "+17755550171")  # a handoff: summary, number
    url = client.app.state.settings.database_url
    before = _encrypted_values(url)
    assert len(before) >= 6
    assert all(FieldCipher(old).decrypt(v) is not None for v in before)

    env = {**os.environ, "DATABASE_URL": url, "ENCRYPTION_KEY": f"{new},{old}",
           "HELPLINE_ENV": "test", "PYTHONPATH": str(ROOT)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "sms_gateway.admin", "rotate-key"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "inbound_messages=" in done.stdout and "unreadable=0" in done.stdout
    assert "safety_plans=1" in done.stdout
    after = _encrypted_values(url)
    assert len(after) == len(before)
    assert all(FieldCipher(new).decrypt(v) is not None for v in after)
    assert not [v for v in after if FieldCipher(old).decrypt(v) is not None]
    assert sorted(FieldCipher(new).decrypt(v) or "" for v in after) == sorted(
        FieldCipher(old).decrypt(v) or "" for v in before
    )
