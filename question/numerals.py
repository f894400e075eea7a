"""A figure read the same whichever way it is written: the lexical terms it adds.

Sudachi's normalized form already writes most numerals in digits (二十三 → 23, 一万 → 10000,
1,000 → 1000), so a caller's 一万件 meets the plans' 10,000件. Two writings it leaves apart:

- a fiscal year by the Western calendar (2023年度) and the plans' era year (令和5年度): the
  plans date a year's plan and results by the era, a caller often by the Western year; the
  era year is added beside it as the one period term the analyzer gives ``令和5年度``
  (``index.analyzer``). A calendar year (2024年4月) is a date, not the year asked about: its
  era term (令和6年) is shared by every passage dated in that year, and measured, it moved a
  passage dated in the year above the one on the asked topic (bench/results/caller-words.md);
- an age Sudachi keeps as one word (二十歳, also read from ハタチ) while the plans write the
  digits (20歳到達者): the digits and 歳 are added. (Sudachi already reads 2人 as 二人, so a
  count of people needs nothing.)

Both sides are analysed alike (questions and passages), so the added terms are symmetric.
"""

from __future__ import annotations

import re
import unicodedata

# The year before each era's first year: 令和元年 is 2019, 平成元年 1989, 昭和元年 1926.
ERA_BEFORE_FIRST_YEAR = {"令和": 2018, "平成": 1988, "昭和": 1925}

# A Western fiscal year (2023年度, ２０２３年度), not a longer number's digits.
_WESTERN_FISCAL_YEAR = re.compile(r"(?<![0-9０-９,，.])([12１２][0-9０-９]{3})\s*年度")

_DIGITS = {ch: value for value, ch in enumerate("〇一二三四五六七八九")}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# An age Sudachi keeps as one word: kanji numerals, then 歳.
_NUMERAL_WORD = re.compile(r"([〇一二三四五六七八九十百千]+)(歳)")


def era_fiscal_year(year: int) -> str:
    """Fiscal ``year`` (Western) as the plans' era writes it: 2023 → 令和5年度, 2018 →
    平成30年度 (2019 → 令和1年度, the analyzer's form of 令和元年度). Empty before 昭和."""
    for era, before in ERA_BEFORE_FIRST_YEAR.items():
        if year > before:
            return f"{era}{year - before}年度"
    return ""


def era_fiscal_years(text: str) -> list[str]:
    """The era year of every Western fiscal year ``text`` names, in order (2023年度 →
    令和5年度)."""
    found = []
    for match in _WESTERN_FISCAL_YEAR.finditer(text):
        written = era_fiscal_year(int(unicodedata.normalize("NFKC", match.group(1))))
        if written:
            found.append(written)
    return found


def kanji_number(numerals: str) -> int | None:
    """The value of kanji numerals (二十 → 20, 百二 → 102, 二〇 → 20); None when not one
    number."""
    if all(ch in _DIGITS for ch in numerals):
        return int("".join(str(_DIGITS[ch]) for ch in numerals))
    total = current = 0
    for ch in numerals:
        if ch in _DIGITS:
            if current:
                return None
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def numeral_word_terms(word: str) -> list[str]:
    """The digits and counter of an age Sudachi keeps as one word (二十歳 → ["20", "歳"]);
    empty for any other word. The caller passes common nouns only: 千歳 is also a place."""
    if not word.endswith("歳"):  # every token of every passage asks: the cheap test first
        return []
    match = _NUMERAL_WORD.fullmatch(word)
    if match is None:
        return []
    value = kanji_number(match.group(1))
    return [] if value is None else [str(value), match.group(2)]


__all__ = [
    "ERA_BEFORE_FIRST_YEAR",
    "era_fiscal_year",
    "era_fiscal_years",
    "kanji_number",
    "numeral_word_terms",
]
