"""How a text is spelled on each channel.

Spanish is written once, correctly, with every accent (resources/data/*.yml): the web chat shows
it as written. An SMS is sent as GSM-7 when every character is in the GSM 03.38 alphabet (160
characters a segment) and as UCS-2 otherwise (70 a segment, and some phones show boxes). GSM-7
has ñ, é, ü, ¿ and ¡ but not á, í, ó or ú, so for SMS only those four vowels (and their capitals)
lose their accent, and only when that makes the whole message GSM-7 (a message that is UCS-2
anyway, say with an emoji, keeps its accents). Typographic quotes and dashes become plain ones
for the same reason. docs/conversation_design.md ("Spelling") says the same for writers.
"""

from __future__ import annotations

# The GSM 03.38 basic set plus its extension table.
GSM7_CHARS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)
_TYPOGRAPHY = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
    "\u2122": "",
    "\u00ae": "",
}
# Only what GSM-7 lacks: é, ñ, ü, ¿ and ¡ are in it and stay.
_ACCENTS = str.maketrans("áíóúÁÍÓÚ", "aiouAIOU")


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_CHARS for ch in text)


def plain_typography(text: str) -> str:
    """Typographic characters that would force a whole SMS into UCS-2, made plain."""
    for fancy, plain in _TYPOGRAPHY.items():
        text = text.replace(fancy, plain)
    return text


def for_sms(text: str) -> str:
    """The text as an SMS spells it: plain typography, and á í ó ú without their accent when
    that keeps the message in GSM-7."""
    text = plain_typography(text)
    folded = text.translate(_ACCENTS)
    return folded if is_gsm7(folded) else text


def for_channel(text: str, channel: str) -> str:
    return for_sms(text) if channel == "sms" else text
