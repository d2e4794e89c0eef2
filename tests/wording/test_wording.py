"""Every text the assistant can send passes the wording checker (non-negotiable 5), and the
checker really catches each rule (a checker that cannot fail proves nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from resources.replies import all_reply_texts, load_quick_replies, load_replies
from resources.wording import check_text
from tests.wording.action_texts import action_texts, spanish_action_texts

ROOT = Path(__file__).resolve().parents[2]


def domain_texts() -> list[tuple[str, str]]:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    out = []
    for name, variants in (domain.get("responses") or {}).items():
        for i, variant in enumerate(variants):
            out.append((f"domain:{name}[{i}]", variant["text"]))
            for button in variant.get("buttons", []):
                out.append((f"domain:{name}[{i}].button", button["title"]))
    return out


def test_domain_responses_pass():
    """The domain holds no texts today (they live in resources/data, where the numbers are
    placeholders); any it gains must pass like the others, their buttons inside one SMS."""
    problems = [p for text_id, text in domain_texts() for p in check_text(text_id, text)]
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("reply_id", "channel", "language", "text"), all_reply_texts(), ids=lambda v: str(v)[:30]
)
def test_gateway_replies_pass(reply_id, channel, language, text):
    audience = load_replies()[reply_id].get("audience", "youth")
    problems = check_text(
        f"replies:{reply_id}.{channel}.{language}",
        text,
        audience=audience,
        channel=channel,
        language=language,
    )
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(("text_id", "text", "audience"), action_texts(), ids=lambda v: str(v)[:40])
def test_action_texts_pass(text_id, text, audience):
    problems = check_text(text_id, text, audience=audience)
    assert not problems, "\n".join(map(str, problems))


def quick_reply_texts() -> list[tuple[str, str, str]]:
    out = []
    for reply in load_quick_replies():
        out.append((f"quick_replies:{reply['id']}", reply["text"], "en"))
        out.append((f"quick_replies:{reply['id']}.es", reply["text_es"], "es"))
    return out


@pytest.mark.parametrize(("text_id", "text", "language"), quick_reply_texts(), ids=lambda v: v[:40])
def test_advocates_quick_replies_pass(text_id, text, language):
    """Advocates edit them before sending, but what we offer them must already pass."""
    problems = check_text(text_id, text, audience="youth", language=language)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("text_id", "text", "audience"), spanish_action_texts(), ids=lambda v: str(v)[:40]
)
def test_spanish_action_texts_pass(text_id, text, audience):
    problems = check_text(text_id, text, audience=audience, language="es")
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("She was a child prostitute.", "W1"),
        ("Did you do sex work?", "W3"),
        ("How much money you made that night?", "W4"),
        ("Is your boss nearby?", "W5"),
        ("Does your daddy take the money?", "W6"),
        ("Are you a ho?", "W7"),
        ("You are safe now.", "W8"),
        ("Let's make a safety plan.", "W9"),
        ("Why did you go back to him?", "W10"),
        ("That's so awful.", "W11"),
        ("You broke the law.", "W12"),
        ("You are a victim of trafficking.", "W13"),
        ("We will rescue you.", "W14"),
        ("You need to leave now.", "W15"),
        ("You're so strong.", "W16"),
        ("Tell me everything that happened.", "W17"),
        ("Girls like you get help here.", "W18"),
        ("Were you AWOL from placement?", "W19"),
        ("An advocate will call you in 5 minutes.", "W20"),
        # The same rules in Spanish (resources/data/wording_rules.yml, the Spanish patterns).
        ("Era una niña prostituta.", "W1"),
        ("La prostitución infantil existe.", "W1"),
        ("¿Hacías trabajo sexual?", "W3"),
        ("¿Trabajabas de escort?", "W3"),
        ("¿Cuánto te pagaban en tu trabajo?", "W4"),
        ("¿Tu jefe está cerca?", "W5"),
        ("¿Tu padrote se queda con el dinero?", "W6"),
        ("¿Eres una puta?", "W7"),
        ("Ya estás a salvo.", "W8"),
        ("Aquí estás segura.", "W8"),
        ("Todo va a salir bien, te lo prometo.", "W8"),
        ("Te garantizo que nadie lo sabrá.", "W8"),
        ("Hagamos un plan de seguridad.", "W9"),
        ("Ahora estás en peligro.", "W9"),
        ("Eso fue tu culpa.", "W10"),
        ("Tú lo elegiste.", "W10"),
        ("Tú consentiste.", "W10"),
        ("¡Qué asco!", "W11"),
        ("No eres una criminal.", "W12"),
        ("Eso te hace delincuente.", "W12"),
        ("Eres una víctima de trata.", "W13"),
        ("Eres víctima.", "W13"),
        ("Vamos a rescatarte.", "W14"),
        ("Queremos salvarte.", "W14"),
        ("Tienes que irte ahora.", "W15"),
        ("Debes llamar a la policía.", "W15"),
        ("Necesitas salir de ahí.", "W15"),
        ("Eres tan fuerte.", "W16"),
        ("Al menos ya saliste de ahí.", "W16"),
        ("Dime todo lo que pasó.", "W17"),
        ("Dime exactamente dónde fue.", "W17"),
        ("Dime qué pasó esa noche.", "W17"),
        ("Tu novio te puede ayudar.", "W18"),
        ("Una persona te llamará en 5 minutos.", "W20"),
    ],
)
def test_checker_catches_each_rule(bad, rule):
    assert rule in {p.rule for p in check_text("bad", bad)}


@pytest.mark.parametrize(
    "ok",
    [
        "Si estás en peligro ahora, llama al 911. No es tu culpa.",
        "Si te lastimaron o estás en peligro ahora, llama al 911.",
        "¿Estás en peligro ahora? Si es así, por favor llama al 911.",
        "Lo que pasó no es tu culpa. Nada de esto fue tu culpa.",
        "No tienes que contarme detalles. No necesitas darme una dirección.",
        "Aquí estoy si necesitas algo. Dime qué necesitas. ¿Necesitas un lugar?",
        "Tú decides qué pasa después. Para un lugar seguro, manda SAFE.",
    ],
)
def test_checker_allows_the_right_spanish_forms(ok):
    """The Spanish exceptions: a question or an "if" about danger, "not your fault", and "you
    don't have to" / "if you need" are not the statements and orders the rules stop."""
    assert check_text("ok", ok, language="es") == []


def test_checker_catches_reading_level_length_and_charset():
    hard = (
        "Notwithstanding institutional considerations, comprehensive multidisciplinary "
        "interventions necessitate substantial interorganizational collaboration."
    )
    assert "reading_grade" in {p.rule for p in check_text("hard", hard)}
    assert "sms_length" in {p.rule for p in check_text("long", "Short words. " * 40)}
    assert "sms_charset" in {p.rule for p in check_text("emoji", "Hi there 😊")}


def test_checker_allows_the_right_forms():
    ok = "If you are in danger now, call 911. It is not your fault. A case manager can help."
    assert check_text("ok", ok) == []


NOT_WORDS = {"lang", "switch_href", "switch_lang"}


def page_texts() -> list[tuple[str, str, str]]:
    """What the web chat page says, in each language (resources/data/chat_page.yml: the page
    and its script take every word from there; tests/gateway/test_webchat.py checks that)."""
    raw = yaml.safe_load((ROOT / "resources" / "data" / "chat_page.yml").read_text("utf-8"))
    return [
        (f"chat_page.{language}.{key}", str(text), language)
        for language, words in raw.items()
        for key, text in words.items()
        if key not in NOT_WORDS
    ]


@pytest.mark.parametrize(("text_id", "text", "language"), page_texts(), ids=lambda v: str(v)[:40])
def test_web_page_texts_pass(text_id, text, language):
    problems = check_text(text_id, text, channel="web", language=language)
    assert not problems, "\n".join(map(str, problems))
