"""Ranker features that read the question's subject and its asked attribute together.

A lead can give the asked kind of value (a rate, a count, an amount) for another subject
of the same passage, or write the asked attribute of another subject: all errors'
発生件数 for one kind of error's, the share of online bookings for the share of all
bookings. The term features read the question's words one at a time over the whole
sentence, so such a sentence scores as high as the one that answers.

- ``value_bound``: 1 when the question asks a figure of an attribute its grammar names
  (question/attribute.py) and the sentence states one of the asked kind bound to that
  attribute. Japanese binds a value to what it measures within one clause
  (answer/value_binding.py: the attribute marked as topic, subject or modifier, then the
  figure in the unit the attribute's head takes; a predicate before a comma ends the
  clause); a figure in another clause is another subject's.
- ``attribute_of_other``: 1 when the sentence writes the asked attribute only as another
  noun's (…XのB with X a noun the question does not write: ネット予約の割合,
  郵送の受付件数): の names whose attribute it is, so that is another subject's.
  Unqualified (the plans leave unsaid a subject the sentence before or the heading gave),
  qualified by the question's own noun, or by a time (令和5年度の), it is 0. A compound
  holding the attribute (申請書類 for 書類) is not read so: a caller writes the general
  word for the plans' specific one, and read so it fitted no stable sign.

Both read the attribute as written: the ranker has no glossary at hand, and a sentence
that answers writes the plans' own term.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from answer.asked_terms import asked_compounds
from question.answer_type import asked_counter, counted_nouns, expected_answer
from question.attribute import asked_attribute
from question.counters import asks_ratio, or_ratio_level
from question.normal import nfkc

# A noun as written: kanji, katakana, Latin letters, okurigana inside or at its end
# (事務処理誤り), never の.
_K = r"[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]"
# The noun right before the attribute (group 1) and the の between (group 2, "" when the
# attribute only ends a compound).
_OKURIGANA = "いえきけしちみりれ"  # 払い, 控え, 手続き, 届け, 貸し, 落ち, 申込み, 誤り, 遅れ
_QUALIFIER = re.compile(rf"((?:{_K}|(?<={_K})[{_OKURIGANA}](?={_K}|の|$)){{2,}})(の?)$")
# A qualifier that says when is no subject (令和5年度の, 3月末の): the year features read it.
_TIME_QUALIFIER = re.compile(r"(?:年度|年|月|末|時点|期)$")


@dataclass(frozen=True, slots=True)
class AskedValue:
    """The asked attribute and the figures that would answer it."""

    attribute: str
    figures: re.Pattern[str]


def _no_equivalents(_: str) -> list[str]:
    return []


@lru_cache(maxsize=1024)
def grammar_attribute(question: str) -> str | None:
    """question/attribute.asked_attribute of ``question`` (NFKC), read once per question:
    the ranker reads it for every selection of the question's parts."""
    return asked_attribute(question)


@lru_cache(maxsize=1024)
def asked_value(question: str) -> AskedValue | None:
    """What ``question`` asks a figure of, read once per question: its grammar's attribute
    and the figures in its asked unit, as ``value_binding.value_unbound`` reads them (a
    share's level against the year before too). None when it asks no figure or its grammar
    names no attribute, and for a point in time (何年度から): a date is no value."""
    from answer import value_binding  # reads answer.extractive, which reads the ranker

    text = nfkc(question)
    if value_binding.asks_a_time(text):
        return None
    attribute = grammar_attribute(text)
    if attribute is None:
        return None
    counter = asked_counter(text)
    answer_type = expected_answer(text)
    ratio = answer_type is None and asks_ratio(text, attribute)
    if ratio:
        answer_type = "count"
    # What a count counts: the question's nouns as Sudachi's long units.
    counted = counted_nouns(text, asked_compounds(text)) if counter is not None else []
    figures = value_binding.figure_pattern(attribute, counter, answer_type, counted)
    if figures is None:
        return None
    if ratio:
        figures = or_ratio_level(figures)
    return AskedValue(attribute, figures)


def value_bound(sentence: str, asked: AskedValue | None) -> float:
    """``value_bound`` of ``sentence`` (NFKC) for the question's ``asked_value``."""
    return float(asked is not None and _bound(sentence, asked.attribute, asked.figures))


@lru_cache(maxsize=16384)
def _bound(sentence: str, attribute: str, figures: re.Pattern[str]) -> bool:
    """Kept per sentence and question: the clause reading runs Sudachi."""
    from answer.value_binding import states_bound_value, states_value

    return states_value(sentence, figures) and states_bound_value(
        sentence, attribute, figures, _no_equivalents
    )


def attribute_of_other(sentence: str, attribute: str | None, bigrams: Collection[str]) -> float:
    """``attribute_of_other`` of ``sentence`` (NFKC) for the question's grammar attribute
    and character bigrams. A qualifier is the question's when at least half of its
    character bigrams are the question's (a caller writes part of the plans' compound:
    予約 of 予約受付)."""
    if not attribute or attribute not in sentence:
        return 0.0
    other = False
    for match in re.finditer(re.escape(attribute), sentence):
        found = _QUALIFIER.search(sentence[: match.start()])
        if found is None or not found.group(2) or _TIME_QUALIFIER.search(found.group(1)):
            continue
        noun = found.group(1)
        pairs = {noun[i : i + 2] for i in range(len(noun) - 1)}
        if sum(p in bigrams for p in pairs) * 2 >= len(pairs):
            return 0.0
        other = True
    return float(other)
