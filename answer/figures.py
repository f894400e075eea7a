"""Figures: what a statement states with its units, and what figure a question asks for.

Pure patterns over NFKC text. ``figures_with_units`` reads the figures a sentence states
(91.9%, 1,234件, 115.5万); ``asked_figure`` reads from a question the figures that would
answer it (a period, a figure in the unit it names, a share, any figure), and what stating
one adds to a sentence's hand-set score (``answer/extractive.hand_set_score``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from question.answer_type import asked_counter, counter_units
from question.attribute import asked_attribute
from question.counters import (
    RATIO_UNITS,
    arabic_figures,
    asks_ratio,
    asks_share_bound,
    counted_in,
    or_ratio_level,
)
from question.intent import STATED_PERIOD, asks_for_period
from question.normal import nfkc
from question.rules import rules

_NUMBER = r"[0-9０-９][0-9０-９,，.．]*\s*"
# A figure that bounds a class (50人超規模の企業, 被保険者50人以下の事業所) says which
# ones are meant, not how many there were: it earns no figure bonus.
_BOUND = r"(?!\s*(?:超|規模|以上の|以下の|未満の))"
# The plans state amounts in units of a magnitude (5,678百万円, 1,200千円): the magnitude
# sits between the number and its unit.
_FIGURE = re.compile(
    _NUMBER
    + r"(?:[百千]\s*)?(?:%|％|件|人|回|日|時間|分|か所|万|億|円|pt|ポイント|倍|社|事業所|枚|月|年)"
    + _BOUND
)


def figures_with_units(normalized: str) -> set[str]:
    """The figures ``normalized`` (NFKC) states with their units (91.9%, 1,234件, 115.5万),
    spaces out; a year, month or day is a date (a fraction of one, 15.2日, is a mean count),
    and a single digit is too common to say which sentence it came from."""
    found = {"".join(m.group(0).split()) for m in _FIGURE.finditer(normalized)}
    return {
        f for f in found if (f[-1] not in "年月日" or "." in f) and sum(c.isdigit() for c in f) > 1
    }


# What stating the asked figure adds to the hand-set score (AskedFigure.bonus).
# Read: ``answer/extractive.hand_set_score``, through ``Candidate.figure_bonus``: it orders the
# further statements and sets their share of the best. Fitted figure: for the first statement
# only, the ranker's ``asked_figure`` weight (bench/results/ranker.md); none for this bonus.
FIGURE_BONUS = 0.25
# A stated period is the answer itself, not a hint: nothing else answers from when to when,
# so it outweighs any coverage. Measured on the gold set's dev split (one period question,
# ov-001): bonus 0.25 → 2.0, fact coverage 0.869 → 0.885, precision 0.907 → 0.923.
# Read: as ``FIGURE_BONUS``, for a question from when to when. Fitted figure: for the first
# statement only, the ranker's ``asked_figure`` weight (the period is the figure asked); none
# for this bonus.
PERIOD_BONUS = 2.0


@dataclass(frozen=True)
class AskedFigure:
    """The figures that answer a question, and what stating one adds to a sentence."""

    pattern: re.Pattern[str]
    bonus: float = FIGURE_BONUS

    def search(self, text: str) -> re.Match[str] | None:
        """The asked figure in ``text``, kanji numerals (二十名) read as digits."""
        return self.pattern.search(arabic_figures(text))


def asked_figure(question: str) -> AskedFigure | None:
    """The figures that answer ``question``: a period when it asks from when to when, a
    figure in the unit it names (何人 → 人), any figure when it asks how many or for a
    target without one, None when it asks for no figure."""
    if asks_for_period(question):
        return AskedFigure(STATED_PERIOD, PERIOD_BONUS)
    # 何人 asks for people, not for the 600件 beside them: a figure in that unit (4.1万人).
    counter = asked_counter(question)
    if counter is None and asks_share_bound(question):
        # 半分以上？ / 3割を超えた？ compares with a share: the share stated answers it.
        return AskedFigure(_in_units(RATIO_UNITS))
    if counter is None:
        figure_question = rules().figure_question.search(nfkc(question))
        asks_count = counted_in(question) is not None  # 何日に: a day asked, a figure too
        if not (figure_question or asks_count):
            return None
        if asks_ratio(question, asked_attribute(question)):
            # …の割合は？ asks a share: a figure in a ratio's unit, not any figure (1,234件),
            # or a target's level against the year before (前年度と同等以上).
            return AskedFigure(or_ratio_level(_in_units(RATIO_UNITS)))
        return AskedFigure(_FIGURE)
    return AskedFigure(_in_units(counter_units(counter)))


def _in_units(units: str) -> re.Pattern[str]:
    """A figure in one of ``units`` (a regex alternation), a magnitude allowed between."""
    return re.compile(_NUMBER + r"(?:[百千]\s*)?(?:[万億兆]\s*)?(?:" + units + ")" + _BOUND)
