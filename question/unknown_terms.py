"""Terms a question names that the plans never use: Latin-letter names and compounds.

A name such as iDeCo or GPIF that no chunk holds is simply unknown.

A question about 国民年金基金 or 保険料率 shares every word with the plans (国民, 年金,
保険, 料) and so retrieves close passages that cover its words well; what gives it away is
the compound. Sudachi's long unit (mode C) is a named concept; when the plans never write
it, and two of its short units (mode A) never stand side by side there either, the plans
do not speak of that concept. A glossary line gives a caller's compound its plan wording
(支払期限 = 納付期限), and so keeps it known.

Measured on the gold set: 5 of the 12 unanswerable questions name such a compound
(支給開始年齢, 保険料率, 一時金, 国民年金基金, 個人型確定拠出年金); none of the 94
answerable ones do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import pairwise

from question.morphemes import morphemes
from question.normal import nfkc
from question.stoplist import QUESTION_WORDS

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
# Suffixes that turn a known word into an adjective or a plural (全面的, 電子化, 書類等):
# a pairing with them says nothing about the concept.
_FORMATIVE = frozenset({"的", "化", "性", "等", "達", "方"})


def unknown_names(question: str, plain_text: str) -> list[str]:
    """Latin-letter names in the question the plans never write (iDeCo, GPIF …), looked up
    in the plans' NFKC text ignoring case: the BM25 vocabulary holds Sudachi's normalized
    forms (Web → ウェブ), never the spelling typed."""
    words = _LATIN_WORD.findall(nfkc(question))
    if not words:
        return []
    text = _lowered(plain_text)
    return [w for w in words if w.lower() not in text]


@lru_cache(maxsize=2)
def _lowered(text: str) -> str:
    """The plans' text in lower case, made once per index generation, not per question."""
    return text.lower()


def unknown_compounds(
    question: str,
    plain_text: str,
    equivalents: Callable[[str], Iterable[str]],
    word_equivalents: Callable[[str], Iterable[str]] | None = None,
) -> list[str]:
    """Long units of ``question`` the plans never use, in question order.

    ``plain_text`` is the plans' text in NFKC without whitespace
    (``Snapshot.plain_text``); ``equivalents`` gives other wordings of a word (the
    glossary, SudachiDict's synonyms, chiVe neighbours). A compound is known when the plans
    write it, or an equivalent of it that is not merely a part of it (国民年金 says nothing
    of 国民年金基金), or each pair of its short units side by side, a unit possibly in an
    equivalent wording (支払期限 → 納付期限). ``word_equivalents`` (default: ``equivalents``)
    gives the wordings tried for a single unit: curated ones only, since a word-vector
    neighbour of one unit (基金 → 拠出) pairs with anything.
    """
    word_equivalents = word_equivalents or equivalents
    found: list[str] = []
    for unit in morphemes(question, "C"):
        if unit.pos[0] != "名詞" or unit.pos[1] == "数詞" or unit.surface in plain_text:
            continue
        parts = morphemes(unit.surface, "A")
        if len(parts) < 2 or any(
            p.normalized in QUESTION_WORDS or p.surface in QUESTION_WORDS for p in parts
        ):
            continue
        if any(
            other in plain_text and other not in unit.surface for other in equivalents(unit.surface)
        ):
            continue
        for left, right in pairwise(parts):
            pair = left.surface + right.surface
            if right.surface in _FORMATIVE or pair in plain_text:
                continue
            # A prefix or suffix (お客さん, 大地震, 各事業所) adds politeness or degree, not
            # a concept: Sudachi tags it 接頭辞 / 接尾辞.
            if left.pos[0] == "接頭辞" or right.pos[0] == "接尾辞":
                continue
            if any(f"{o}{right.surface}" in plain_text for o in word_equivalents(left.surface)):
                continue
            if any(f"{left.surface}{o}" in plain_text for o in word_equivalents(right.surface)):
                continue
            found.append(unit.surface)
            break
    return list(dict.fromkeys(found))
