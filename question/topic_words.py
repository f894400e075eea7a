"""The words that name what a question is about: its topic, not the aspect asked of it.

A topic is named by nouns, neighbouring ones kept as one compound (電子申請, 利用率); an
aspect (a year, a period, plan or result, which figure: 前の年, 目標) names what is asked of
it. Whether a follow-up names a topic of its own, and what it carries from the turn before,
are read from these words (question/continuation.py, question/carried_topic.py). The aspect
words are data (``data/question/rules.toml``); the test of "noun" is Sudachi's part of speech.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from question.morphemes import morphemes
from question.page_refs import page_references, strip_page_references
from question.rules import rules

# A topic is named by nouns (Sudachi's 名詞): 普通名詞, 固有名詞. Not by a noun that
# works as an adverb (全部, 今, 最近: 副詞可能) or as a counter (件, 人分: 助数詞可能), nor
# by a verb alone (出してくれない人は？ names no topic); 代名詞 points, it names nothing.
_TOPIC_SUBCLASSES = frozenset({"普通名詞", "固有名詞"})
_NOT_TOPIC = frozenset({"副詞可能", "助数詞可能"})
# Nouns too general to name a topic (こと, もの, 場合, 人): a clause names the thing they stand
# for (question/topic_phrases.py).
GENERIC_NOUNS = frozenset(
    "こと もの ところ 所 事 物 ため 為 よう 様 とき 時 的 等 方 中 場合 人 方々 皆 みんな "
    "ほう 感じ 話 件 分 点 辺 あたり 具合 様子 気 本当 ホント 大丈夫 ダメ 駄目".split()
)
# An era name, a number or 第 alone: part of a date or an ordinal, never a topic.
ERA_OR_NUMBER = re.compile(r"^(?:令和|平成|昭和|[0-9０-９]+|元|第)$")


def topic_words(text: str, *, stems: bool = False) -> list[str]:
    """Nouns of ``text`` that name a topic (not an aspect, a year or a question word), as
    written, in order; neighbouring ones stay one compound (コールセンター, 応答率). With
    ``stems``, a verb's stem right before a noun starts a compound (待ち時間) and a
    counter-like noun ends one: what a follow-up carries from the turn before is read so,
    while whether a question names a topic of its own (and so stands alone) is not."""
    aspect = rules().aspect_words
    words: list[str] = []
    last = -2
    prefix = (-2, "")  # a prefix (未, 再, 各) joins the noun right after it
    tokens = morphemes(text, "A")
    asked = _asked_kinds(tokens)
    for position, token in enumerate(tokens):
        if position in asked:
            continue
        if token.pos[0] == "接頭辞" or (stems and _verb_stem_of_compound(tokens, position)):
            prefix = (position, token.surface)
            continue
        if token.pos[0] == "接尾辞" and position == last + 1 and token.pos[1] == "名詞的":
            words[-1] += token.surface  # 事業+所, 納付+率: the suffix completes the noun
            last = position
            continue
        if token.pos[0] != "名詞" or token.pos[1] not in _TOPIC_SUBCLASSES:
            continue
        # A counter-like noun ends a compound after a verb's stem or a noun (待ち時間,
        # 相談時間): there it is part of the name, not a count or a time.
        joined = stems and (
            position == last + 1
            or (prefix[0] == position - 1 and tokens[prefix[0]].pos[0] == "動詞")
        )
        # A counter-like noun may head a compound (時間外勤務, 月平均); an adverb-like one
        # does not (そもそも電子申請 is そもそも + 電子申請: in the first place, not a name).
        heads = token.pos[2] == "助数詞可能" and _heads_compound(tokens, position)
        if token.pos[2] in _NOT_TOPIC and not (joined or heads):
            continue
        if token.surface in aspect or token.normalized in aspect:
            continue
        if token.normalized in GENERIC_NOUNS or token.surface in GENERIC_NOUNS:
            continue
        if ERA_OR_NUMBER.match(token.surface):
            continue
        surface = (prefix[1] if prefix[0] == position - 1 else "") + token.surface
        if position == last + 1 or (prefix[0] == position - 1 and last == position - 2):
            words[-1] += surface
        else:
            words.append(surface)
        last = position
    return words


# Interrogative determiners (Sudachi's 連体詞): the noun they modify names the kind of answer
# asked (どの職員？ asks which staff), not what the question is about; so does 何の.
_INTERROGATIVE_DETERMINERS = frozenset({"どの", "どんな", "どういう", "どのような", "いかなる"})


def _asked_kinds(tokens: Sequence[Any]) -> set[int]:
    """Positions of the nouns an interrogative determiner modifies (the compound right after
    どの / どんな / 何の, prefixes and suffixes with it): in 特にどの職員の？ the question
    names no topic of its own; 職員 is what it asks for, of the topic of the turn before."""
    asked: set[int] = set()
    for position, token in enumerate(tokens):
        determiner = token.pos[0] == "連体詞" and token.surface in _INTERROGATIVE_DETERMINERS
        what_of = (
            token.surface == "何"
            and position + 1 < len(tokens)
            and tokens[position + 1].surface == "の"
        )
        if not (determiner or what_of):
            continue
        following = position + (2 if what_of else 1)
        while following < len(tokens) and (
            tokens[following].pos[0] in ("名詞", "接頭辞")
            or (tokens[following].pos[0] == "接尾辞" and tokens[following].pos[1] == "名詞的")
        ):
            asked.add(following)
            following += 1
    return asked


def _verb_stem_of_compound(tokens: Sequence[Any], position: int) -> bool:
    """Whether the token at ``position`` is a verb's stem (連用形) written right before a
    noun, the first part of one compound (待ち|時間, 取り|扱い): Sudachi's short units split
    it, and the noun alone (時間) is a counter, no topic; with the stem it is one."""
    token = tokens[position]
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return (
        token.pos[0] == "動詞"
        and token.pos[5].startswith("連用形")
        and following is not None
        and following.pos[0] == "名詞"
        and following.pos[1] in _TOPIC_SUBCLASSES
        and not ERA_OR_NUMBER.match(following.surface)
    )


def _heads_compound(tokens: Sequence[Any], position: int) -> bool:
    """Whether the noun at ``position`` begins a compound with the topic noun right after
    it: 時間 of 時間外勤務, 月 of 月平均 name no time or count there but the first part of
    the thing named (without it, 時間外勤務 was carried as 外勤務)."""
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return (
        following is not None
        and following.pos[0] == "名詞"
        and following.pos[1] in _TOPIC_SUBCLASSES
        and following.pos[2] not in _NOT_TOPIC
        and not ERA_OR_NUMBER.match(following.surface)
    )


def subject_of(text: str, *, stems: bool = False) -> list[str]:
    """What a question is about: the labels of the plan pages it names (中期P46), then the
    topic words of the rest. Topic words alone would take a label apart (中期P46 → P)."""
    labels = list(dict.fromkeys(ref.label for ref in page_references(text)))
    rest = strip_page_references(text) if labels else text
    return [*labels, *topic_words(rest, stems=stems)]
