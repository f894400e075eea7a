"""Demonstratives that stand for a thing: それの, あれは, その数, wherever they stand.

A こ・そ・あ demonstrative stands for something said before (anaphora) or in front of the
speaker (deixis). Read over Sudachi's parts of speech (long units): a pronoun (代名詞)
standing for a thing — followed by a case or topic particle, or ending the question (それの,
あれは, それ？) — not one inside an adverbial or a connective (これまで, それから, そこで); a
determiner (連体詞 その, この, あの) before a noun — not before a noun that works as an
adverb (その後, この度: 副詞可能) nor before the documents' own kind names (この計画), which
point at the documents in front of the speaker. question/referent.py asks for the referent
when nothing was said before; question/continuation.py reads one as leaning on the turns
before.
"""

from __future__ import annotations

from ingest.sudachi import Token
from question.morphemes import morphemes
from question.normal import nfkc

# The こ・そ・あ series of Japanese demonstratives (grammar), as Sudachi writes their
# normalized forms; the ど series asks (どれ, どの) and points at nothing.
_PRONOUNS = frozenset(
    "此れ 其れ 彼れ あれ 此処 其処 そこ 彼処 あそこ 此方 其方 彼方 こちら そちら あちら "
    "こっち そっち あっち".split()
)
_DETERMINERS = frozenset("此の 其の 彼の この その あの".split())
# A pronoun stands for a thing before a case or topic particle (それの, あれは, それを) or
# alone at the end; まで, から, で after it make an adverbial or a connective (これまで,
# それから, そこで), where it points at a time or a step, not at a topic.
_REFERRING_PARTICLES = frozenset("の は が を も って に".split())
# The documents' own kind names: a determiner before one (この計画, この報告書) points at the
# documents the service reads, which are in front of the speaker (deixis), not at a turn.
_DOCUMENTS = frozenset("計画 中期計画 年度計画 計画書 報告書 資料 文書".split())


def demonstrative(text: str) -> str:
    """The first demonstrative of ``text`` that stands for a thing, as written; '' if none."""
    tokens = morphemes(nfkc(text).strip(), "C")
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if _points(token, following):
            return token.surface
    return ""


def _points(token: Token, following: Token | None) -> bool:
    """Whether ``token`` is a demonstrative standing for a thing, given the token after it."""
    if token.pos[0] == "代名詞" and token.normalized in _PRONOUNS:
        return (
            following is None
            or following.pos[1] == "句点"
            or (following.pos[0] == "助詞" and following.surface in _REFERRING_PARTICLES)
        )
    if token.pos[0] == "連体詞" and token.normalized in _DETERMINERS:
        return (
            following is not None
            and following.pos[0] == "名詞"
            and following.pos[2] != "副詞可能"
            and following.surface not in _DOCUMENTS
        )
    return False


__all__ = ["demonstrative"]
