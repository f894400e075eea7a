"""Whether a question is written in another language than the plans' Japanese.

The plans are Japanese and the lexical index reads Japanese words; an English question
shares no word with them, so the decline named every English word as a term the plans lack
(計画文書にはWhat・share・…の記載はありません), which tells the asker nothing useful. Such a
question is told, in both languages, to ask in Japanese (answer/responses.py).

A question counts as another language when it holds no kana or kanji at all and at least
``MIN_WORDS`` words of Latin letters: one Latin word alone (an acronym the plans use, DX,
KPI, or a service name) is asked of the plans as usual.
"""

from __future__ import annotations

import re

MIN_WORDS = 2
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_japanese(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
        or char in "々〆ヶ"
    )


def not_japanese(question: str) -> bool:
    """No kana or kanji, and at least two Latin-letter words (``question`` in NFKC)."""
    if any(_is_japanese(char) for char in question):
        return False
    return len(_LATIN_WORD.findall(question)) >= MIN_WORDS
