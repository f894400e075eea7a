"""The kind of answer a question expects, and whether some sentences can give it.

Plans state measures, targets and results; questions that want a phone number, a clock
time, an amount or a payment date are usually outside them. When a question expects such
an answer and no selected sentence holds one, that is a signal for the decline model. The
cue and answer patterns are data (``data/question/rules.toml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from question.counters import (
    NATIVE,
    arabic_figures,
    counted_in,
    counter_units,
    quantity_counter,
)
from question.morphemes import morphemes
from question.normal import nfkc
from question.rules import rules


def expected_answer(question: str) -> str | None:
    """The first answer type whose cue the question holds; a type that counts
    (``counts = true``: a count) is also cued by any 何 + counter question word."""
    text = nfkc(question)
    for answer_type in rules().answer_types:
        if answer_type.cue.search(text) or (
            answer_type.counts and quantity_counter(text) is not None
        ):
            return answer_type.name
    return None


def asked_counter(question: str) -> str | None:
    """The counter a question asks its figure in (何人 → 人, 何枚 → 枚: Sudachi's counters,
    ``question/counters.py``), None when it names none. 何日 that asks which day of the month
    (何日に振り込まれる？, the answer type ``day``) asks for a date, not a count of days."""
    text = nfkc(question)
    counter = counted_in(text)
    if counter == "日" and expected_answer(text) == "day":
        return None
    return counter


def provides(
    kind: str | None,
    sentences: Iterable[str],
    counter: str | None = None,
    counted: Iterable[str] = (),
) -> bool:
    """True when some sentence holds the kind of answer expected (or nothing is expected);
    for a count asked in a counter, a figure in that counter (4.1万人 for 何人) or in one
    of the ``counted`` nouns: Japanese counts many things by their own name (窓口は何か所
    → 1,688ブース, 何社 → 5,152事業所), so a figure followed by the noun the question
    counts answers it whatever counter the question used; asked by いくつ (``NATIVE``), by
    its head too (相談ブース → 1,688ブース: a compound's last word names what it is)."""
    if kind is None:
        return True
    pattern = rules().answer_type(kind).answer
    if kind == "count" and counter is not None:
        # A noun written with 等/など (届書等) counts as the noun (主要7届書等).
        nouns = [re.sub(r"(?:等|など)$", "", n) for n in counted if n]
        heads = _heads(nouns) if counter == NATIVE else []  # いくつ: any count of the thing
        units = [counter_units(counter), *(re.escape(n) for n in (*nouns, *heads))]
        pattern = re.compile(rf"\d[\d,.]*\s*(?:[万億兆千百]\s*)?(?:{'|'.join(units)})")
    # Kanji numerals (二十名, 三件) are figures too: read in digits (question/counters.py).
    return any(pattern.search(arabic_figures(unicodedata.normalize("NFKC", s))) for s in sentences)


def _heads(nouns: Iterable[str]) -> list[str]:
    """The last short unit of each compound in ``nouns``, of two characters or more."""
    heads = []
    for noun in nouns:
        units = [t.surface for t in morphemes(noun, "A")]
        if len(units) > 1 and len(units[-1]) >= 2:
            heads.append(units[-1])
    return heads


def counted_nouns(question: str, nouns: Iterable[str]) -> list[str]:
    """The ``nouns`` of ``question`` (NFKC) that may name what it counts: those it never
    writes right after a figure, where a noun is a unit of that figure (2023年度末,
    5年間), not the thing counted."""
    written = arabic_figures(question)  # 二十名の職員: 職員 after a figure too
    return [n for n in nouns if not _after_figure(n, written)]


def _after_figure(noun: str, text: str) -> bool:
    """Whether ``text`` writes ``noun`` right after a digit, spaces between (as the pattern
    ``\\d\\s*noun`` finds it: \\d is ``str.isdecimal``, \\s ``str.isspace``). Read without
    a pattern: one compiled for each noun of each question filled re's cache."""
    start = text.find(noun)
    while start >= 0:
        before = start - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before >= 0 and text[before].isdecimal():
            return True
        if start >= len(text):
            return False
        start = text.find(noun, start + 1)
    return False


_YEAR = re.compile(r"令和\s*(\d{1,2}|元)\s*年")
_FISCAL_YEAR = re.compile(r"令和\s*(\d{1,2}|元)\s*年度")
# The results report writes the year before its own as 前年 / 前年度 / 対前年度 (Japanese
# 前年 is the year before: 1,234名（前年987名）).
_PREVIOUS_FISCAL_YEAR = re.compile(r"前年")


def _era_year(text: str) -> int:
    return 1 if text == "元" else int(text)


def years(text: str) -> set[str]:
    """Japanese-era years named in ``text`` (令和５年度 → 令和5)."""
    return years_in(unicodedata.normalize("NFKC", text))


def years_in(normalized: str) -> set[str]:
    """``years`` of a text already in NFKC (the analysis' forms, dated passages)."""
    named = {f"令和{_era_year(m.group(1))}" for m in _YEAR.finditer(normalized)}
    return named | {year.removesuffix("年度") for year in fiscal_years_in(normalized)}


def fiscal_years(text: str) -> set[str]:
    """Fiscal years named in ``text`` (令和５年度 → 令和5年度); a 前年度 beside one named
    year also names the year before it (a 令和5年度 passage's 前年度 is 令和4年度)."""
    return fiscal_years_in(unicodedata.normalize("NFKC", text))


def fiscal_years_in(normalized: str) -> set[str]:
    """``fiscal_years`` of a text already in NFKC."""
    named = {_era_year(m.group(1)) for m in _FISCAL_YEAR.finditer(normalized)}
    if len(named) == 1 and _PREVIOUS_FISCAL_YEAR.search(normalized):
        named.add(next(iter(named)) - 1)
    return {f"令和{year}年度" for year in named}


# A year or period a question or a sentence names (令和5年度, 平成30年, 2023年度, 第3期).
YEARS = re.compile(r"(?:令和|平成)\s*(?:元|\d+)\s*年度?|第\s*\d+\s*期|\d{4}\s*年度?")
# A date (令和5年4月, 2024年度, 4月1日, 第3期) is not a figure; any other number is.
DATE = re.compile(
    r"(?:(?:令和|平成|昭和)\s*(?:\d{1,2}|元)|\d{4})\s*年度?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|第\s*\d+\s*期"
)
# A year a target is set for (令和6年度までに, 令和6年度末に80%を目指す) states no figure of
# that year: the rest of its sentence names the target.
_TARGET = re.compile(r"まで|目標|目指|に向け|見込")
BESIDE = 12  # characters between a year and its figure, within one sentence


def fiscal_years_beside_figures(normalized: str) -> set[str]:
    """Fiscal years a text (in NFKC) states a figure for: a 令和 year a few characters from a
    number that is not itself a date, in the same sentence (12.3%（令和3年度）, （令和5年度：
    53拠点）, 令和元年度比51億円). The documents date a past result so wherever they quote it,
    a plan's overview as much as the results report, so such a passage covers that year's
    result whatever its kind; a year a target is set for (令和6年度までに80%, 令和6年度末に
    80%を目指す) does not."""
    undated = DATE.sub(lambda m: " " * len(m.group()), normalized)
    figures = [m.start() for m in re.finditer(r"\d", undated)]
    found: set[str] = set()
    for match in _FISCAL_YEAR.finditer(normalized):
        rest = re.split(r"[。\n]", normalized[match.end() :], maxsplit=1)[0]
        if _TARGET.search(rest):
            continue
        for figure in figures:
            if match.start() - BESIDE <= figure < match.end() + BESIDE:
                between = normalized[min(figure, match.end()) : max(figure, match.start())]
                if "。" not in between and "\n" not in between:
                    found.add(f"令和{_era_year(match.group(1))}年度")
                    break
    return found


_PLAN_PERIOD = re.compile(r"第\s*(\d+)\s*期")


def plan_periods(text: str) -> set[str]:
    """Plan periods named in ``text`` (第３期 → 第3期)."""
    return plan_periods_in(unicodedata.normalize("NFKC", text))


def plan_periods_in(normalized: str) -> set[str]:
    """``plan_periods`` of a text already in NFKC."""
    return {f"第{int(m.group(1))}期" for m in _PLAN_PERIOD.finditer(normalized)}
