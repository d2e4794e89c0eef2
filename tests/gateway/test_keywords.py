"""STOP, START, HELP work as carriers expect; EXIT silences everything at once."""

from __future__ import annotations

from tests.gateway.conftest import messages, post_sms, wait_for


def test_stop_silences_and_start_brings_texts_back(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    assert messages(post_sms(client, "STOP")) == []
    assert messages(post_sms(client, "hi")) == []  # the carrier would block replies anyway
    assert fake_rasa.received == []
    back = messages(post_sms(client, "start"))
    assert back and "back on" in back[0]
    assert messages(post_sms(client, "hi")) == ["Hi from the bot."]


def test_stop_for_one_number_does_not_silence_another(client_for, fake_rasa):
    client = client_for(fake_rasa.url)
    messages(post_sms(client, "stop", sender="+17755550111"))
    assert messages(post_sms(client, "hi", sender="+17755550112")) == ["Hi from the bot."]


def test_help_gets_program_information_with_911_and_stop(client_for, fake_rasa):
    texts = messages(post_sms(client_for(fake_rasa.url), "HELP"))
    assert "911" in texts[0] and "STOP" in texts[0]
    assert fake_rasa.received == []


def test_exit_is_silent_and_resets_the_assistant(client_for, fake_rasa):
    assert messages(post_sms(client_for(fake_rasa.url), "exit")) == []
    wait_for(lambda: fake_rasa.received)  # the reset goes on after the (empty) reply
    assert fake_rasa.received[0]["message"] == "/restart"


def test_yes_is_an_answer_unless_the_number_opted_out(client_for, fake_rasa):
    assert messages(post_sms(client_for(fake_rasa.url), "yes")) == ["Hi from the bot."]


def test_keyword_inside_a_sentence_is_not_a_keyword(client_for, fake_rasa):
    assert messages(post_sms(client_for(fake_rasa.url), "stop him please")) == ["Hi from the bot."]
