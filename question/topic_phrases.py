"""Noun phrases whose noun a clause names (電話がつながる割合): a caller's name for a thing.

A caller describes a thing by what happens (電話がつながる) where the plans name it (応答率):
the clause with its noun is one topic, carried whole from the turn that said it
(question/carried_topic.py), not split into its nouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from question.morphemes import morphemes
from question.rules import rules
from question.side import side_words
from question.topic_words import ERA_OR_NUMBER, GENERIC_NOUNS, topic_words

# A clause that names a topic ends on a verb (or its auxiliaries) in the attributive form
# right before the noun it describes (電話が|つながる|割合); it starts after the main
# clause's topic (は, も), a comma, a demonstrative, or a date, which say when or what of,
# not which thing.
_CLAUSE_STOPS = frozenset({"補助記号", "接続詞", "副詞", "感動詞", "代名詞", "連体詞"})
_TOPIC_PARTICLES = frozenset({"係助詞", "終助詞", "接続助詞"})


def topic_phrases(text: str) -> list[str]:
    """Noun phrases of ``text`` whose noun is named by a clause (電話がつながる割合,
    口座から払う人の割合), as written in NFKC: a caller describes a thing by what happens
    (電話がつながる) where the plans name it (応答率), so the clause is the name; one noun
    of it (電話) is another topic. A clause with no topic word of its own (来てくれない人)
    names nothing."""
    tokens = morphemes(text, "A")
    topics = topic_words(text)
    phrases: list[str] = []
    for end, token in enumerate(tokens):
        if not token.pos[5].startswith("連体形") or end + 1 >= len(tokens):
            continue
        if tokens[end + 1].pos[0] != "名詞" or token.pos[0] not in ("動詞", "助動詞"):
            continue
        head_end = _noun_end(tokens, end + 1)
        if head_end + 2 < len(tokens) and tokens[head_end].surface == "の":
            # 払う人の割合: a generic head (人, もの) is named by what follows の.
            head = "".join(t.surface for t in tokens[end + 1 : head_end])
            if head in GENERIC_NOUNS:
                head_end = _noun_end(tokens, head_end + 1)
        if _names_a_side(tokens[end + 1 : head_end]):
            continue  # …規模でやる目標: the plan or result asked of the topic, not the topic
        if head_end == end + 2 and _adverbial(tokens[end + 1]):
            continue  # …を減らすため(に): a clause of purpose or time says why or when, no thing
        start = _clause_start(tokens, end)
        phrase = "".join(t.surface for t in tokens[start:head_end])
        arguments = "".join(t.surface for t in tokens[start:end])
        if any(word in arguments for word in topics) and phrase not in phrases:
            phrases = [p for p in phrases if p not in phrase]
            phrases.append(phrase)
    return phrases


# Nouns that work as adverbs after a clause (ため, 際, 時: Sudachi's 副詞可能) make it a clause
# of purpose or time (時間外勤務を減らすために何を…), which says why or when, not which thing.
def _adverbial(head: Any) -> bool:
    """Whether ``head``, the one noun a clause describes, makes the clause an adverbial one
    (Sudachi's 副詞可能: ため, 際): 減らすため names no thing, its noun (時間外勤務) is the topic."""
    return head.pos[2] == "副詞可能"


def names_a_quantity(phrase: str) -> bool:
    """Whether the noun ``phrase`` ends on is a quantity (割合, 件数: rules.toml
    intent.figure_words; a counter-like noun: 時間): a clause describing a quantity
    (電話がつながる割合) is the caller's name for what the plans state as a figure (応答率),
    while one describing a measure taken (…を減らす取組) names the thing itself, and a figure
    its answer states is of one part of it (管理職の時間外勤務), not another name for it."""
    nouns = [t for t in morphemes(phrase, "A") if t.pos[0] in ("名詞", "接尾辞")]
    if not nouns:
        return False
    head = nouns[-1]
    return head.pos[2] == "助数詞可能" or bool(rules().figure_question.search(head.surface))


def _names_a_side(head: Sequence[Any]) -> bool:
    """Whether the noun a clause describes is a plan's or the results' own word (目標,
    実績, 計画: question/side.py), which names what is asked of a topic, not a topic."""
    words = side_words()
    return any(t.normalized in words.plan or t.normalized in words.results for t in head)


def _noun_end(tokens: Sequence[Any], start: int) -> int:
    """The end of the noun compound starting at ``start`` (nouns, prefixes, suffixes)."""
    end = start
    while end < len(tokens) and (
        tokens[end].pos[0] in ("名詞", "接頭辞")
        or (tokens[end].pos[0] == "接尾辞" and tokens[end].pos[1] == "名詞的")
    ):
        end += 1
    return end


def _clause_start(tokens: Sequence[Any], end: int) -> int:
    """Where the clause ending at ``end`` starts: after the main clause's topic particle, a
    comma or a date before it, and never on a particle."""
    start = end
    while start > 0:
        before = tokens[start - 1]
        if before.pos[0] in _CLAUSE_STOPS or before.pos[1] in _TOPIC_PARTICLES:
            break
        if before.pos[0] == "名詞" and (
            ERA_OR_NUMBER.match(before.surface) or before.pos[1] == "数詞"
        ):
            break
        if before.surface in ("年度", "年", "月", "期") and start >= 2:
            break
        start -= 1
    while start < end and tokens[start].pos[0] == "助詞":
        start += 1
    return start
