"""What a question asks that the passages lack: words no passage holds, compounds the best
sentence does not.

Two things give an unanswerable question away when its words look ordinary. A question of
general knowledge (JSQuAD asked of the plans) or about a thing the plans never name
(駐車場) has words no passage holds: the share of them is a signal, and a question whose
every word is absent has nothing to answer from. A question whose topic the plans cover
but whose attribute they do not (年金事務所の最寄り駅) finds its topic in the best
sentence and not the asked compound: that compound is what a decline names
(計画文書には最寄り駅の記載はありません).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from index.lexical import LexicalSearcher
from question.morphemes import morphemes
from question.stoplist import ASKING_PREFIXES, QUESTION_WORDS

# Nouns that ask rather than name (何人, いくら, どこ …) or only point (これ, 方).
_NOT_ASKED = QUESTION_WORDS | {"方"}  # a formal noun (やり方, 読み方): no thing asked
_SPACE = re.compile(r"\s+")
# The noun of the superlative (一番多い, いちばん高い), which Sudachi tags a noun that may be
# an adverb, as it tags time nouns (毎年, 今後) that do name what is asked; and the parts of
# speech it modifies as a degree adverb.
_DEGREE_NOUNS = frozenset({"一番", "いちばん"})
_PREDICATES = frozenset({"形容詞", "動詞", "形状詞"})
# A noun Sudachi tags as one that may be an adverb (実際, 最初, 将来) followed by the case
# particle に is used as one (実際には広げたの？: in reality): it says how the predicate
# holds and names no thing a sentence must hold.
# Not after a clause it heads (防ぐために, 届いた時に: a formal noun or a time the clause
# names, which a sentence may well hold).
_CASE_PARTICLE = ("助詞", "格助詞")
_CLAUSE_ENDS = frozenset({*_PREDICATES, "助動詞"})


def absent_share(question: str, lexical: LexicalSearcher, similarity: float) -> float:
    """Share of the question's index terms (question words aside) that no passage holds,
    neither as written nor as an equivalent at least ``similarity`` close; 0 for a question
    with no such term."""
    terms = [t for t in lexical.cached_terms(question) if t not in QUESTION_WORDS]
    if not terms:
        return 0.0
    vocabulary = lexical.bm25.vocabulary
    absent = [
        term
        for term in terms
        if term not in vocabulary
        and not any(
            word in vocabulary
            for other in lexical.equivalents(term, min_similarity=similarity)
            for word in lexical.cached_terms(other)
        )
    ]
    return len(absent) / len(terms)


def asked_compounds(question: str) -> list[str]:
    """The question's nouns as Sudachi's long units (保険料率, 最寄り駅), in question order:
    numbers, question words and single characters aside; so too the counter of an asked
    figure (何ヶ国: ヶ国 is the unit of the answer, not a thing asked) and a degree adverb
    before a predicate (一番多い, 一番高い: the superlative says which figure is asked, as
    最も does, and names nothing a sentence must hold)."""
    found = []
    units = list(morphemes(question, "C"))
    for position, unit in enumerate(units):
        if unit.pos[0] != "名詞" or unit.pos[1] in ("数詞", "代名詞"):
            continue
        before = units[position - 1] if position else None
        after = units[position + 1] if position + 1 < len(units) else None
        if (
            before is not None
            and before.pos[:2] == ("名詞", "数詞")
            and before.surface.startswith(ASKING_PREFIXES)
            and unit.pos[2] in ("助数詞", "助数詞可能")
        ):
            continue  # 何ヶ国, 何か月: the counter of the figure asked
        if unit.surface in _DEGREE_NOUNS and after is not None and after.pos[0] in _PREDICATES:
            continue  # 一番多い: an adverb of degree, not a noun asked
        if (
            unit.pos[2] == "副詞可能"
            and after is not None
            and after.pos[:2] == _CASE_PARTICLE
            and after.surface == "に"
            and (before is None or before.pos[0] not in _CLAUSE_ENDS)
        ):
            continue  # 実際に, 最初に: the noun modifies the predicate as an adverb
        if len(unit.surface) < 2 or unit.surface in _NOT_ASKED or unit.normalized in _NOT_ASKED:
            continue
        if unit.surface.startswith(ASKING_PREFIXES):  # 何人, 何階: the asked figure itself
            continue
        found.append(unit.surface)
    return list(dict.fromkeys(found))


def compounds_missing(
    compounds: Iterable[str],
    sentence: str,
    equivalents: Callable[[str], Iterable[str]],
    spellings: bool = False,
) -> list[str]:
    """The compounds ``sentence`` (read with its headings) holds neither as written nor in
    an equivalent wording, in order. With ``spellings``, a compound the sentence writes in
    another spelling holds too: one long unit of Sudachi's with the same normalized form
    (ハガキ in はがき, 見込み額 in 年金見込額, 申し込み in 申込: one word, written in another
    script or with other okurigana, as callers and the plans write it)."""
    text = _plain(sentence)
    missing = []
    for compound in compounds:
        if _plain(compound) in text or any(
            _plain(other) in text for other in equivalents(compound) if other
        ):
            continue
        if spellings:
            # A word of one character once normalized (とき → 時) is in every compound
            # holding that character (指導時): only longer words count.
            own = normalized_form(compound)
            if len(own) > 1 and own in normalized_form(sentence):
                continue
        missing.append(compound)
    return missing


@lru_cache(maxsize=8192)
def normalized_form(text: str) -> str:
    """``text`` as Sudachi's long units in their normalized forms, joined as they stand
    (particles and spaces kept: 国民年金の保険料 never reads as 国民年金保険料)."""
    return "".join(unit.normalized for unit in morphemes(text, "C"))


def written(compound: str, plain_text: str) -> bool:
    """Whether the plans write ``compound`` anywhere (``plain_text``: Snapshot.plain_text,
    NFKC without whitespace)."""
    return _plain(compound) in plain_text


def times_written(compound: str, plain_text: str) -> int:
    """How many times the plans write ``compound`` (``plain_text`` as in ``written``)."""
    return plain_text.count(_plain(compound))


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    """NFKC without whitespace, kept per text: the same passages and their headings are
    read for question after question (the best sentence, the passages held together)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def share_held_together(
    compounds: list[str], passages: Iterable[str], equivalents: Callable[[str], Iterable[str]]
) -> float:
    """The largest share of ``compounds`` one passage (read with its headings) holds,
    as written or in an equivalent wording; 1 for a question with none. A question of
    general knowledge finds each of its words somewhere in the plans, but never together
    (オランダ in one passage, 政策 in another), where the plans' answer has them in one."""
    if not compounds:
        return 1.0
    return max(
        (
            1 - len(compounds_missing(compounds, text, equivalents)) / len(compounds)
            for text in passages
        ),
        default=0.0,
    )


def unwritten_share(
    compounds: list[str], plain_text: str, equivalents: Callable[[str], Iterable[str]]
) -> float:
    """Share of ``compounds`` the plans never write, neither as written nor in an
    equivalent wording (``plain_text``: Snapshot.plain_text); 0 for a question with none."""
    if not compounds:
        return 0.0
    unwritten = [
        c
        for c in compounds
        if not written(c, plain_text)
        and not any(written(o, plain_text) for o in equivalents(c) if o)
    ]
    return len(unwritten) / len(compounds)


def proper_nouns(question: str) -> list[str]:
    """The question's proper nouns (Sudachi's 固有名詞: places, people, organisations,
    as long units), in question order."""
    units = morphemes(question, "C")
    found = [u.surface for u in units if u.pos[0] == "名詞" and u.pos[1] == "固有名詞"]
    return list(dict.fromkeys(found))
