"""What a sentence states about a change: against the year before, from a start, or a
series.

A question asking whether a figure rose or fell (前年度より増えた？, 伸びた？, 減ってきてる？)
is answered by a sentence that states two points of the figure, not by one that states
the latest level alone or only names the measure. The results report states a change
in four ways: the change against the year before (対前年度比＋1.2％, 前年度より減少),
the year before's own figure beside this year's (…件（令和４年度：887,657件）,
前年度実績81.5％), a starting point and an end (平成30年度53.0％から令和5年度71.7％まで向上),
and a table row of the figure over the years (件数 710件 592件 481件 425件 324件).
"""

from __future__ import annotations

import re
import unicodedata

from answer.calendar_years import YEAR

# Japanese writes the change against the year before as 対前年度比 / 前年度比 / 前年同月比 /
# 前年度より / 前年度から, and the year before's own figure as 前年 with the figure right
# after it (前年987名, 前年度実績12.3％, 前年度の45.6％).
CHANGE_FROM_PREVIOUS = re.compile(
    r"対前年|前年(?:度|同月|同期)?(?:比|差)|前年度?(?:より|から|と比べ|に比べ)"
)
PREVIOUS_FIGURE = re.compile(r"前年(?:度)?(?:実績|末)?[のは：:\s]*\d")
# An earlier year's figure in brackets after this year's (…件（令和４年度：887,657件）).
_EARLIER_IN_BRACKETS = re.compile(
    r"\d\S*\s*[（(]\s*(?:令和|平成)\s*(?:元|\d+)\s*年度?(?:末)?\s*[：:]?\s*約?\s*\d"
)
# A figure from a starting point to an end, read with the years blanked (53.0％から…71.7％
# まで, 51.2％は、…71.1％まで向上, 15部体制を11部体制に).
_FROM_TO = re.compile(
    r"\d[\d,.]*\s*\S{0,4}?(?:から|より|を|は)[^。]{0,40}?\d[\d,.]*\s*\S{0,4}?(?:まで|へ|に)"
)
_FIGURE = re.compile(r"\d[\d,.]*")
# A row of a series: at least this many figures on one line that is no sentence.
SERIES_FIGURES = 3


def states_change(sentence: str) -> bool:
    """Whether ``sentence`` states a change against the year before (対前年度比▲0.5pt),
    not that year's own figure."""
    text = unicodedata.normalize("NFKC", sentence)
    return bool(CHANGE_FROM_PREVIOUS.search(text)) and not PREVIOUS_FIGURE.search(text)


def states_two_points(sentence: str) -> bool:
    """Whether ``sentence`` (NFKC) states a figure at two points or its change: a change
    against the year before, the year before's figure beside it, a start and an end, or a
    row of a series (three figures or more on a line with no sentence end)."""
    if CHANGE_FROM_PREVIOUS.search(sentence) or PREVIOUS_FIGURE.search(sentence):
        return True
    if _EARLIER_IN_BRACKETS.search(sentence):
        return True
    figures = YEAR.sub(" ", sentence)  # a year says when, not how much
    if _FROM_TO.search(figures):
        return True
    return "。" not in sentence and len(_FIGURE.findall(figures)) >= SERIES_FIGURES
