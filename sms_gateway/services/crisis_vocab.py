"""The spaCy vocabulary the safety net reads messages with, kept bounded (docs/safety_net.md,
"Memory").

spaCy keeps every string it meets: each word its tokenizer or a `Doc` sees becomes a lexeme and
a string in the vocabulary, and the tokenizer caches it too. None of it is ever freed. In a
gateway that runs for months on whatever people type, that is memory growing without bound,
driven by user input (and the second pass adds repaired words and sound-alike keys).

The lexicon's matchers need none of it. A `PhraseMatcher` compares the hashes of words; a
`Matcher` compares hashes, and reads a token's own text through the token's `Doc` for an affix
(`suicid*`). Hashes do not depend on the vocabulary. So messages are tokenized and turned into
`Doc`s on a vocabulary of their own, apart from the one the matchers were compiled on, and that
vocabulary is thrown away for a fresh one once it has taken in `limit` strings. The matches are
the same on either (tests/safety_net/test_message_vocab.py checks it), and a `Doc` keeps its
own vocabulary alive for as long as it is used, so a swap in the middle of a message is
harmless.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LIKE_NUM
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Strings a message vocabulary may take in before it is replaced (~430 bytes each: a lexeme and
# its string). At this bound it stays under ~9 MB, and a renewal (6-25 ms: the tokenizer's
# special cases are loaded again) comes once per ~15,000 words nobody used before; ordinary
# traffic repeats its words, so far less often (bench/results/safety_net.json).
DEFAULT_LIMIT = 20_000


class MessageVocab:
    """The tokenizer of a blank spaCy pipeline over a vocabulary of its own, replaced by a fresh
    one when it has grown by more than `limit` strings.

    The fresh vocabulary computes one lexical attribute, `LIKE_NUM` (the `#` slot of the
    pattern language), instead of the dozen a blank pipeline computes for every new word: the
    matchers read nothing else (`ORTH` is the word itself), and new words cost 40% less. The
    tokenizer keeps the template's rules, so it splits text exactly as the template does.
    """

    def __init__(self, template: Any, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("limit must be positive")
        self._template = template.tokenizer
        self._like_num = template.vocab.lex_attr_getters[LIKE_NUM]
        self._limit = limit
        self.resets = 0
        self._fresh()

    def _fresh(self) -> None:
        self._vocab = Vocab(lex_attr_getters={LIKE_NUM: self._like_num})
        template = self._template
        self._tokenizer = Tokenizer(
            self._vocab,
            rules=template.rules,
            prefix_search=template.prefix_search,
            suffix_search=template.suffix_search,
            infix_finditer=template.infix_finditer,
            token_match=template.token_match,
            url_match=template.url_match,
            faster_heuristics=template.faster_heuristics,
        )
        self._base = len(self._vocab.strings)

    def _bound(self) -> None:
        if len(self._vocab.strings) - self._base > self._limit:
            self._fresh()
            self.resets += 1

    def words(self, text: str) -> list[str]:
        """The tokenizer's words of a text, spaces left out."""
        self._bound()
        return [t.text for t in self._tokenizer(text) if not t.text.isspace()]

    def doc(self, words: list[str]) -> Doc:
        """A `Doc` of these words, for the matchers."""
        self._bound()
        return Doc(self._vocab, words=words)

    @property
    def strings(self) -> int:
        """How many strings the current vocabulary holds (for tests and the benchmark)."""
        return len(self._vocab.strings)

    @property
    def lexemes(self) -> int:
        return len(self._vocab)
