"""The numbers of an earlier answer, sent again on request ("can you send the number again?"):
one short line per line of help, names and numbers from the hotline catalog only, so a person
who deleted the chat (or never saved a number, as the seeds advise: 001:L3409-3410) gets exactly
the numbers they were given, in their language."""

from __future__ import annotations

from collections.abc import Iterable

from resources.catalog import load_catalog
from resources.present import formats

SMS_LIMIT = 320


def numbers_text(hotline_ids: Iterable[str], language: str = "en") -> str | None:
    """The numbers of these hotlines as one text (None when none of them has one to show)."""
    catalog = load_catalog()
    words = formats()["numbers_again"]
    f = words.get(language) or words["en"]
    lines: list[str] = []
    for hotline_id in dict.fromkeys(hotline_ids):
        try:
            hotline = catalog.hotline(hotline_id)
        except KeyError:
            continue
        calls = hotline.channels_of("call")
        texts = hotline.channels_of("text")
        if calls and calls[0].value == hotline.short_name:  # "911", not "911: 911"
            line = calls[0].value
        elif calls:
            line = f["call"].format(name=hotline.short_name, number=calls[0].value)
        elif texts and (texts[0].instructions or texts[0].instructions_es):
            instructions = texts[0].instructions_es if language == "es" else None
            line = f["text"].format(
                name=hotline.short_name, instructions=instructions or texts[0].instructions
            )
        else:
            continue
        candidate = "\n".join([f["intro"], *lines, line])
        if len(candidate) > SMS_LIMIT:
            break
        lines.append(line)
    return "\n".join([f["intro"], *lines]) if lines else None
