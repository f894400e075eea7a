"""Whether a sentence states a value of the asked kind *for the asked attribute*.

A question that asks a figure of an attribute (特別法人対策部の職員は何人, 保険料はいくら) is
often answered by a sentence that shares its topic and states a figure, but a figure of
something else: 被保険者10,000人以上の事業所 for the staff of a department, 77.6％ for a
monthly premium. Japanese binds a figure to what it measures within one clause: the value
follows its attribute marked as topic, subject or modifier (応答率は、72.6％; 相談件数120件;
職員を102人増員), or qualifies it through の (1,688ブースの相談窓口); and the figure's unit
agrees with the attribute's head (率 is given in ％ or ポイント, 額・料・費 in 円, 件数 in 件,
人数 in 人 or 名). A figure in another clause (after a predicate and a comma: …を実施し、…),
belongs to another subject.

Read over Sudachi's long units of the sentence: the clause ends at a sentence end, at a
comma after a predicate or a conjunctive particle. The attribute is found as written or as an
equivalent (the glossary and synonyms the other decline signals read).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from answer.asked_terms import compounds_missing
from answer.extractive import Picked
from answer.sentences import passage_sentences
from ingest.model import Chunk
from ingest.sudachi import Token
from question import QuestionAnalysis
from question.answer_type import DATE, YEARS, counted_nouns, counter_units
from question.counters import arabic_figures, asks_ratio, or_ratio_level
from question.morphemes import morphemes
from question.normal import nfkc

# An attribute's head gives the unit its value is written in (grammar of Japanese measure
# nouns: a rate is a share, a count is in its counter). A noun of money (保険料, 費用)
# asked with どのくらい may ask a share as well (保険料をどのくらい納めて: a 納付率): an
# amount is asked by いくら or 金額 (the answer type ``money``), not read from the head.
_HEAD_UNITS: tuple[tuple[str, str], ...] = (
    ("率", "%|％|ポイント|割"),
    ("割合", "%|％|ポイント|割"),
    ("比", "%|％|ポイント|割|倍"),
    ("件数", "件"),
    ("人数", "人|名"),
    ("者数", "人|名"),
    ("員数", "人|名"),
    ("日数", "日"),
    ("回数", "回"),
)
# Attributes naming only a kind of value: any figure of its unit gives it.
_KIND_WORDS = frozenset({h for h, _ in _HEAD_UNITS} | {"金額", "費用", "総額", "額"})
_MONEY = "円"
_NUMBER = r"\d[\d,.]*\s*(?:[万億兆千百]\s*)?"
# A figure of any unit: a numeral (digits or kanji numerals written as a count).
_ANY_FIGURE = re.compile(_NUMBER + r"\S?")
# A predicate or conjunctive particle before a comma ends a clause (…を実施し、…が、).
_PREDICATES = frozenset({"動詞", "形容詞", "助動詞"})
_CONJUNCTIVE = "接続助詞"
# A year or a month asked (西暦何年, 何年度から, 何月に) is a point in time: it says when the
# predicate happened, not a value of the attribute, and dates are never read as figures here,
# so nothing could bind it. 何か月 / 何年間 count a span and stay figures.
_ASKS_A_TIME = re.compile(r"何\s*(?:年度?|月)(?!\s*間)")


def asks_a_time(question: str) -> bool:
    """Whether ``question`` (NFKC) asks a year or a month (a point in time), not a figure."""
    return bool(_ASKS_A_TIME.search(question))


def figure_pattern(
    attribute: str | None,
    counter: str | None,
    answer_type: str | None,
    counted: Iterable[str] = (),
) -> re.Pattern[str] | None:
    """The figures that answer the question: in the asked counter (何人 → 人|名) or in a
    noun the question counts (``counted``: 何か所 → 1,688ブース, as
    ``question.answer_type.provides`` reads a count), in money for an amount, else in the
    unit the attribute's head takes (応答率 → ％); None when the question asks no figure."""
    if counter is not None:
        units = "|".join([counter_units(counter), *(re.escape(n) for n in counted if n)])
    elif answer_type == "money":
        units = _MONEY
    elif answer_type == "count":
        head = next((u for h, u in _HEAD_UNITS if attribute and attribute.endswith(h)), None)
        if head is None:
            return _ANY_FIGURE
        units = head
    else:
        return None
    return re.compile(rf"{_NUMBER}(?:{units})")


def states_bound_value(
    sentence: str,
    attribute: str,
    figures: re.Pattern[str],
    equivalents: Callable[[str], Iterable[str]],
) -> bool:
    """Whether ``sentence`` states a figure matching ``figures`` in the clause of
    ``attribute`` (as written or an equivalent); an attribute that is itself only a kind of
    value (割合, 件数, 金額: its head) is bound by any such figure. Kanji numerals (二十名)
    are read as the figures they are (question/counters.py)."""
    text = _in_digits(sentence)
    values = [m.span() for m in figures.finditer(_dateless(sentence))]
    if not values:
        return False
    if _is_kind_word(attribute):
        return True
    forms = [nfkc(f) for f in (attribute, *equivalents(attribute)) if f]
    # X数 is the count of X: 登録者は512万人 states the 登録者数.
    forms += [f[:-1] for f in forms if f.endswith("数") and len(f) > 2]
    places = [(m.start(), m.end()) for f in forms for m in re.finditer(re.escape(f), text)]
    if not places:
        return False
    breaks = _clause_breaks(text)
    for a_start, a_end in places:
        for v_start, v_end in values:
            if v_start >= a_end and not any(a_end <= b < v_start for b in breaks):
                return True
            if v_end <= a_start and _qualifies(text[v_end:a_start]):
                return True
    return False


def counted_pattern(counted: Iterable[str]) -> re.Pattern[str] | None:
    """A figure written in a noun the question counts (5,152事業所 for 何社 of 会社, with
    the glossary's equivalents): the noun is its own unit, so the figure is bound to what
    is counted wherever the sentence writes it; None with no counted noun."""
    nouns = sorted({n for n in counted if n}, key=len, reverse=True)
    if not nouns:
        return None
    return re.compile(rf"{_NUMBER}(?:{'|'.join(re.escape(n) for n in nouns)})")


def states_value(sentence: str, figures: re.Pattern[str]) -> bool:
    """Whether ``sentence`` states a figure matching ``figures`` (dates aside)."""
    return bool(figures.search(_dateless(sentence)))


def _is_kind_word(attribute: str) -> bool:
    """An attribute that names only a kind of value (割合, 件数, 金額, 費用)."""
    return attribute in _KIND_WORDS


@lru_cache(maxsize=8192)
def _in_digits(sentence: str) -> str:
    """``sentence`` in NFKC with kanji numerals as digits, kept per sentence: the value
    binding reads every sentence of the top passages, question after question."""
    return arabic_figures(nfkc(sentence))


@lru_cache(maxsize=8192)
def _dateless(sentence: str) -> str:
    """``_in_digits`` of ``sentence`` with its dates blanked, kept per sentence."""
    return _without_dates(_in_digits(sentence))


def _without_dates(text: str) -> str:
    """``text`` with dates and years blanked (same length): 令和5年度 says when, not how
    much."""
    for pattern in (DATE, YEARS):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _qualifies(between: str) -> bool:
    """A figure before the attribute qualifies it through の, with at most a few noun
    characters between (1,688ブースの相談窓口)."""
    return bool(re.fullmatch(r"[^\s、。,]{0,6}の[^\s、。,]{0,4}", between))


@lru_cache(maxsize=8192)
def _clause_breaks(text: str) -> tuple[int, ...]:
    """Offsets where a clause ends: a sentence end, a comma after a predicate or a
    conjunctive particle (…を実施し、…). A noun phrase marked as another topic is no end:
    a contrastive は lists values inside one clause (保存期間を、資格取得届等は150年、
    年金請求書は100年に見直す). Kept per sentence: the ranker (answer/bound_value.py) and
    the decline signal read the same passages' sentences question after question."""
    tokens = morphemes(text, "C")
    breaks: list[int] = []
    offset = 0
    for i, token in enumerate(tokens):
        start = text.find(token.surface, offset)
        start = offset if start < 0 else start
        offset = start + len(token.surface)
        if token.pos[1] == "句点" or (
            token.pos[1] == "読点" and i > 0 and _ends_predicate(tokens[i - 1])
        ):
            breaks.append(start)
    return tuple(breaks)


def _ends_predicate(token: Token) -> bool:
    return token.pos[0] in _PREDICATES or (token.pos[0] == "助詞" and token.pos[1] == _CONJUNCTIVE)


def value_unbound(
    attribute: str | None,
    analysis: QuestionAnalysis,
    asked: list[str],
    picked: Sequence[Picked],
    passages: Sequence[Chunk],
    equivalents: Callable[[str], list[str]],
) -> bool:
    """Whether the question asks a figure of its attribute and neither a picked sentence
    nor any sentence of the top ``passages`` states one bound to it
    (answer/value_binding.py): in the attribute's clause, or under a heading naming it (a
    heading governs the figures of its passage). A value the passages give that selection
    did not pick is a selection miss, not a fact the plans lack. False when the grammar
    names no attribute, the question asks no figure, or nothing is picked."""
    if asks_a_time(analysis.normalized_without_pages):
        return False
    counted = counted_nouns(analysis.normalized_without_pages, asked)
    if analysis.counter is not None:
        # A counted noun's equivalents count it too (会社 → 5,152事業所).
        counted = [*counted, *(o for n in counted for o in equivalents(n) if o)]
    # A share asked by its noun alone (…の割合は？, …の比率) asks a figure as 何％ does: it is
    # bound only by a figure in a ratio's unit (question/counters.asks_ratio).
    answer_type = analysis.answer_type
    ratio = answer_type is None and asks_ratio(analysis.normalized_without_pages, attribute)
    if ratio:
        answer_type = "count"
    figures = figure_pattern(attribute, analysis.counter, answer_type, counted)
    if ratio and figures is not None:
        # A rate's target may be a level against the year before (前年度と同等以上).
        figures = or_ratio_level(figures)
    if attribute is None or figures is None or not picked:
        return False
    own_unit = counted_pattern(counted) if analysis.counter is not None else None
    read = [(p.quote, p.chunk.headings) for p in picked]
    read += [(s, c.headings) for c in passages for s in passage_sentences(c.text)]
    for sentence, headings in read:
        if not states_value(sentence, figures):
            continue
        if own_unit is not None and states_value(sentence, own_unit):
            return False
        if states_bound_value(sentence, attribute, figures, equivalents):
            return False
        if not compounds_missing([attribute], headings, equivalents):
            return False
    return True
