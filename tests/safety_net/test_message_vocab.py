"""The safety net's memory does not grow with what people type (crisis_vocab.py).

spaCy keeps every string it meets, so a detector that read messages on one vocabulary grew by
about 1.3 strings and 8 memory blocks for every word it had not seen before, for ever. Here a
detector reads 100,000 distinct words: its message vocabulary stays under its bound, the
lexicon's vocabulary does not move, the interpreter's memory blocks stop growing once the
single-word cache is full, and the answers are the same as a fresh detector's.
"""

from __future__ import annotations

import gc
import string
import sys
from collections.abc import Iterator

import spacy

from sms_gateway.services.crisis_vocab import MessageVocab
from sms_gateway.services.safety_net import CrisisDetector
from tests.safety_net.evaluation import load_examples
from tests.safety_net.variant_eval import load_ordinary

LIMIT = 2_000
WORDS_PER_MESSAGE = 40
# Without the bound, 30,000 new words added ~210,000 blocks (and 40,000 strings); with it, the
# vocabulary's size swings between renewals by at most LIMIT strings (~9 blocks each).
MAX_BLOCK_GROWTH = 50_000


def distinct_words(seed: int = 7) -> Iterator[str]:
    """Random-looking 8-letter words, never the same twice: i * a number prime to 26, written in
    base 26 (a bijection of 0..26**8-1, so no set of the words seen is needed)."""
    letters = string.ascii_lowercase
    i = seed
    while True:
        n = (i * 2_654_435_761) % 26**8
        i += 1
        word = []
        for _ in range(8):
            n, digit = divmod(n, 26)
            word.append(letters[digit])
        yield "".join(word)


def test_words_are_distinct() -> None:
    words = distinct_words()
    sample = [next(words) for _ in range(100_000)]
    assert len(set(sample)) == len(sample)


def test_a_hundred_thousand_new_words_do_not_grow_memory_without_bound() -> None:
    detector = CrisisDetector(vocab_limit=LIMIT)
    lexicon_strings = detector.vocabulary()["lexicon_strings"]
    words = distinct_words()

    def feed(count: int) -> None:
        for _ in range(count // WORDS_PER_MESSAGE):
            detector.detect(" ".join(next(words) for _ in range(WORDS_PER_MESSAGE)))
            figures = detector.vocabulary()
            # One message can add its own words on top of the bound, never more.
            assert figures["message_strings"] <= LIMIT + 12 * WORDS_PER_MESSAGE + 5_000

    # 70,000 words fill the single-word cache (65,536 words), which is bounded on its own.
    feed(70_000)
    gc.collect()
    blocks = sys.getallocatedblocks()
    feed(30_000)
    gc.collect()
    grown = sys.getallocatedblocks() - blocks
    figures = detector.vocabulary()
    assert figures["lexicon_strings"] == lexicon_strings
    assert figures["message_vocab_resets"] >= 20
    assert grown < MAX_BLOCK_GROWTH, f"{grown} new memory blocks for 30,000 new words"

    # Renewed dozens of times, it answers exactly as a fresh detector does.
    fresh = CrisisDetector()
    examples = load_examples()
    ordinary, _ = load_ordinary(examples)
    texts = [e.text for e in examples] + [e.text for e in ordinary[:: len(ordinary) // 500]]
    assert [detector.hits(t) for t in texts] == [fresh.hits(t) for t in texts]


def test_the_lean_vocabulary_tokenizes_as_a_blank_pipeline() -> None:
    """The message vocabulary computes `LIKE_NUM` only, and rebuilds the tokenizer from the
    template's rules: the words and numbers it gives are a blank pipeline's."""
    template = spacy.blank("xx")
    lean = MessageVocab(template, limit=500)
    texts = [e.text for e in load_examples()]
    texts += [
        "call 911!!! now", "i'm at 1/2 st. & 5th, $20", "he hit me :( :-) <3", "¿dónde estás?",
        "k1ll urself lol", "911.", "#1 fan", "3,000 dollars", "😭😭 help", "u.s.a. e-mail a@b.co",
    ]  # fmt: skip
    for text in texts:
        expected = [t for t in template.tokenizer(text) if not t.is_space]
        assert lean.words(text) == [t.text for t in expected]
        doc = lean.doc([t.text for t in expected])
        assert [t.like_num for t in doc] == [t.like_num for t in expected]
    assert lean.resets >= 1
