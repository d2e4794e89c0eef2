"""Rasa never sees a phone number; logs hold no numbers or texts; texts are encrypted at rest."""

from __future__ import annotations

from tests.gateway.conftest import messages, post_sms
from tests.helpers import YOUTH

SECRET_TEXT = "my name is Alexandra and I live at 12 Elm Street"


def test_rasa_gets_a_pseudonym_not_the_number(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    messages(post_sms(client, "hi"))
    messages(post_sms(client, "hi again"))
    senders = {r["sender"] for r in fake_rasa.received}
    assert len(senders) == 1
    sender = senders.pop()
    assert sender.startswith("sms-")
    digits = YOUTH.lstrip("+")
    assert digits not in sender and digits[-7:] not in sender
    assert "5550101" not in str(fake_rasa.received)


def test_logs_hold_no_number_and_no_text(client_for, fake_rasa, capsys):
    client = client_for(fake_rasa.url)
    messages(post_sms(client, SECRET_TEXT))
    messages(post_sms(client, "im in danger " + SECRET_TEXT))
    out = capsys.readouterr()
    logs = out.out + out.err
    assert "sms.answered" in logs  # the log line exists...
    assert "5550101" not in logs  # ...without the number
    assert "Alexandra" not in logs and "Elm" not in logs


def test_database_file_holds_no_plain_text(client_for, fake_rasa, tmp_path):
    client = client_for(fake_rasa.url)
    messages(post_sms(client, SECRET_TEXT))
    client.app.state.engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("gateway.db*"))
    assert raw, "the database file exists"
    assert b"Alexandra" not in raw
    assert b"5550101" not in raw
    assert b"Hi from the bot" not in raw
