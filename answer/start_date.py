"""いつから asks a start: the date a sentence binds to a start, not any date it names.

A sentence stating when something began binds its date to the start: with the particle
から/より right after it (令和３年７月から実施, 令和５年度より開始) or with a start predicate
later in the date's clause (令和２年４月に導入した). A question asking いつから (何年から,
いつ…始めた) is answered by that sentence, not by a nearer one that dates a later step of
the same measure (令和５年度の繁忙期にも…); いつからいつまで asks a span and is left to the
ranker's ``dated``.
"""

from __future__ import annotations

import re

# The question asks when (grammar: いつ and 何 with a calendar unit; 何年間 asks how long).
# いつ as a word: not the end of くらい/ぐらい before つ (どのくらいつながる).
_ASKS_WHEN = re.compile(
    r"(?<!くら|ぐら)いつ|何年(?!間)|何月|何世紀|何時代|どの時代|どの時期|西暦何"
)
# A sentence naming a time point: a year, month or century in figures, an era year, a decade.
_DATED = re.compile(r"\d\s*(?:年|月|世紀)|(?:明治|大正|昭和|平成|令和)\s*元年|\d+\s*年代")
# The question asks when something began (いつから, 何年から, いつ開始…); いつからいつまで
# asks a span, not a start.
_ASKS_START = re.compile(
    r"(?:いつ|何年度?|何月)から(?!.{0,12}まで)"
    r"|いつ.{0,12}?(?:開始|始め|始ま|導入|スタート|着手|創設|開設)"
    r"|(?:開始|始め|始ま|導入|スタート|着手|創設|開設)\S{0,8}?(?:いつ|何年|何月)"
)
# A date: a year, fiscal year, month or day in figures, or an era's first year.
_DATE = r"(?:\d+\s*(?:年度|年|月|日)|元年度?)(?:\s*(?:上旬|中旬|下旬|末|頃|以降))?"
# A start bound to a date: the date with から/より, or a start predicate in the date's clause.
_START_AT = re.compile(
    _DATE + r"\s*(?:から|より)"
    rf"|{_DATE}[^、。\n]{{0,16}}?(?:開始|始め|始ま|導入|スタート|着手|創設|開設|稼働)"
)


# The question asks by when (いつまで, 何年度までに); いつからいつまで asks a span, read as an end.
_ASKS_END = re.compile(r"(?:いつ|何年度?|何月)(?:から\S{0,4}?)?まで|期限")
# An end bound to a date: the date with まで/までに, or the end of a period (年度末, 中に).
_END_AT = re.compile(_DATE + r"\s*(?:まで|迄)|\d+\s*年度(?:末|中|内)")


def asks_end(question: str) -> bool:
    """The question (NFKC) asks by when something is to be done or ends."""
    return bool(_ASKS_END.search(question))


def states_end(sentence: str) -> bool:
    """The sentence (NFKC) binds a date to an end: …まで(に), 年度末, 年度中."""
    return bool(_END_AT.search(sentence))


def asks_when(question: str) -> bool:
    """The question (NFKC) asks when: a time point, a start or an end (いつまでに)."""
    return bool(_ASKS_WHEN.search(question))


def is_dated(sentence: str) -> bool:
    """The sentence (NFKC) names a time point (the ranker's ``dated``)."""
    return bool(_DATED.search(sentence))


def asks_start(question: str) -> bool:
    """The question (NFKC) asks when something began."""
    return bool(_ASKS_START.search(question))


# A date that is the baseline of a comparison, not a start: …年度から20%増 (a change since
# then, a figure before the change word), …年度より減少 (より as "than", a change word with
# or without a figure), …年度比, …年度と比べて/と比較して/に比べ (between the date and a
# start predicate: 令和元年度と比べて導入件数が増加 dates no 導入).
_FIGURE = r"[\d.,]+\s*(?:%|ポイント|件|人|倍|割|万|億|千)*\s*(?:の)?"
_CHANGE = r"(?:増|減|上昇|低下|向上|改善|伸び|多|少|高|低)"
_BASELINE_AFTER = re.compile(rf"\s*(?:から\s*{_FIGURE}|より\s*(?:{_FIGURE})?){_CHANGE}")
_COMPARED = re.compile(r"比|と比べ|に比べ|と比較")


def states_start(sentence: str) -> bool:
    """The sentence (NFKC) binds a date to a start: …から/より, or 開始/導入… in its clause;
    a date that is the baseline of a comparison (…年度から20%増, …年度より減少, …年度比,
    …年度と比べて) is none."""
    for match in _START_AT.finditer(sentence):
        if not _is_baseline(sentence, match):
            return True
    return False


def _is_baseline(sentence: str, match: re.Match[str]) -> bool:
    date = re.match(_DATE, match.group(0))
    after = sentence[match.start() + (date.end() if date else 0) :]
    if _BASELINE_AFTER.match(after):
        return True
    return bool(_COMPARED.search(match.group(0)[date.end() if date else 0 :]))
