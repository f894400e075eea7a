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


def asks_start(question: str) -> bool:
    """The question (NFKC) asks when something began."""
    return bool(_ASKS_START.search(question))


def states_start(sentence: str) -> bool:
    """The sentence (NFKC) binds a date to a start: …から/より, or 開始/導入… in its clause."""
    return bool(_START_AT.search(sentence))
