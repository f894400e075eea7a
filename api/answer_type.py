"""The kind of answer a question expects, and whether some sentences can give it.

Plans state measures, targets and results; questions that want a phone number, a clock
time, a yen amount or a payment date are usually outside them. When a question expects
such an answer and no selected sentence holds one, the service declines instead of
quoting something near. A question on a period (第3期中期計画の期間は？) is answered by a
stated span of years; the 3rd plan's is written nowhere in the bundled plans, and quoting
sentences that merely contain 期間 would look like an answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from index.intent import PERIOD_QUESTION, STATED_PERIOD

# A span of years (令和6年4月～令和11年3月) or a length in years (5年間, 5か年).
_PERIOD = re.compile(rf"{STATED_PERIOD.pattern}|\d+\s*(?:年間|か年|カ年|ヵ年)")

# (expected answer, cue in the question, pattern a sentence must contain)
_TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("period", PERIOD_QUESTION, _PERIOD),
    ("phone", re.compile(r"電話番号|番号を教え|連絡先"), re.compile(r"\d{2,4}-\d{2,4}-\d{3,4}")),
    (
        "clock",
        re.compile(r"何時|営業時間|受付時間|開いて|開館|閉ま"),
        re.compile(r"\d{1,2}(?:時|:\d{2})"),
    ),
    (
        "money",
        re.compile(r"いくら|何円|月額|金額|保険料額|費用は"),
        re.compile(r"\d[\d,.]*\s*(?:円|万円|億円)"),
    ),
    (
        "day",
        re.compile(r"何日に|いつ振り込|支給日|振込日|何月何日"),
        # A day of the month (15日, 4月1日), not a count of days (週2日, 3日以内, 0.5日).
        re.compile(r"(?<![\d.週])\d{1,2}日(?!数|間|以内|程度|当たり|あたり)"),
    ),
    (
        "count",
        re.compile(
            r"何(?:件|人|回|社|か所|カ所|日|時間|ポイント|割|%|％)|どのくらい|どれくらい|ぐらい|くらい"
        ),
        re.compile(r"\d"),
    ),
)


def expected_answer(question: str) -> str | None:
    text = unicodedata.normalize("NFKC", question)
    for name, cue, _ in _TYPES:
        if cue.search(text):
            return name
    return None


def provides(kind: str | None, sentences: Iterable[str]) -> bool:
    """True when some sentence holds the kind of answer expected (or nothing is expected)."""
    if kind is None:
        return True
    pattern = next(p for name, _, p in _TYPES if name == kind)
    return any(pattern.search(unicodedata.normalize("NFKC", s)) for s in sentences)


_YEAR = re.compile(r"令和\s*(\d{1,2}|元)\s*年")


def years(text: str) -> set[str]:
    """Japanese-era years named in ``text`` (令和５年度 → 令和5)."""
    normalized = unicodedata.normalize("NFKC", text)
    return {f"令和{m.group(1).replace('元', '1')}" for m in _YEAR.finditer(normalized)}


_FISCAL_YEAR = re.compile(r"令和\s*(\d{1,2}|元)\s*年度")
_RESULT_CUE = re.compile(r"実績|結果|どうだった|どうなった|達成した")


def fiscal_years(text: str) -> set[str]:
    """Fiscal years named in ``text`` (令和５年度 → 令和5年度)."""
    normalized = unicodedata.normalize("NFKC", text)
    return {f"令和{m.group(1).replace('元', '1')}年度" for m in _FISCAL_YEAR.finditer(normalized)}


def wants_results(question: str) -> bool:
    return bool(_RESULT_CUE.search(unicodedata.normalize("NFKC", question)))
