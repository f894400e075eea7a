"""Cue patterns read as words of the question, not as strings.

The comparison cues of ``data/question/rules.toml`` are regular expressions over the NFKC
question. Read as strings they match inside other words: 違い inside 間違い (an error) and
勘違い, 差 inside 格差 and 誤差, 比較 inside the adverb 比較的 (relatively), 結果 inside
結果的に (as it turned out). A match counts here only where the question's Sudachi short
units (mode A) say the cue is a word of it, or a part of one of its compounds:

- it starts where a short unit starts (違い inside the one unit 間違い does not);
- it ends where a short unit ends, or one kana before the end of a unit it holds the
  start of: a cue may write an inflecting word by its stem (比べ for 比べる, どう変わ for
  変わった, 達成見込 for 達成見込み), leaving off the ending;
- the noun it ends on is not made an adjective of manner by the suffix 的 (比較的,
  結果的): such a word qualifies how, it names no comparison and no result.

The units are ``question.morphemes``'s, the one Sudachi pass per mode that every reader of
the question shares (the side reading reads the same text in mode A).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.sudachi import Token
from question.morphemes import morphemes

# Sudachi's class of the suffix 的 (比較的, 結果的): it makes an adjectival noun of manner.
_MANNER_SUFFIX = ("接尾辞", "形状詞的")
_KANA = re.compile(r"^[\u3041-\u309f]$")


def word_spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``text`` (NFKC) where ``pattern`` matches as a word, left to right,
    not overlapping."""
    if pattern.search(text) is None:  # no match as a string: none as a word, no units read
        return
    tokens = morphemes(text, "A")
    if "".join(t.surface for t in tokens) != text:  # units that do not spell the text
        yield from (m.span() for m in pattern.finditer(text))
        return
    starts: list[int] = []
    position = 0
    for token in tokens:
        starts.append(position)
        position += len(token.surface)
    after = 0
    for index, start in enumerate(starts):
        if start < after:
            continue
        match = pattern.match(text, start)
        if match and match.end() > start and _ends_a_word(match.end(), index, tokens, starts):
            after = match.end()
            yield match.span()


def has_word(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches ``text`` (NFKC) as a word."""
    return next(word_spans(pattern, text), None) is not None


def blank_words(pattern: re.Pattern[str], text: str, blank: str = " ") -> str:
    """``text`` (NFKC) with each word ``pattern`` matches replaced by ``blank``."""
    pieces: list[str] = []
    last = 0
    for start, end in word_spans(pattern, text):
        pieces += [text[last:start], blank]
        last = end
    return "".join(pieces) + text[last:]


def _ends_a_word(end: int, first: int, tokens: tuple[Token, ...], starts: list[int]) -> bool:
    """A match from unit ``first`` to ``end`` ends a word: at a unit's end not followed by
    的, or one kana short of the end of a unit whose start it holds."""
    for index in range(first, len(tokens)):
        unit_end = starts[index] + len(tokens[index].surface)
        if unit_end == end:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            return following is None or tuple(following.pos[:2]) != _MANNER_SUFFIX
        if unit_end > end:
            return bool(_KANA.match(tokens[index].surface[end - starts[index] :]))
    return False


__all__ = ["blank_words", "has_word", "word_spans"]
