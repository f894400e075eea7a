"""Years however they are written, compared on one calendar: the Western year.

The plans date by the Japanese era (令和5年度, 平成31年4月); a caller may name a year by
the Western calendar (2030年度) or by an earlier era (平成25年度). ``question.answer_type``
reads 令和 years only, so a question about 平成25年度 or 1648 found no year missing and
was answered from a passage about another year. Converted to Western years, a year the
question names and no quoted passage names in any writing is one the plans do not cover
there, as a missing 令和 year already is.

The fiscal year runs April to March, so a month date falls in one fiscal year: 令和6年3月
closes 令和5年度, 令和6年4月 opens 令和6年度 (``fiscal_year_of_month``, the one place for
that rule). A passage dated 令和6年3月末 covers 令和5年度, not 令和6年度
(``fiscal_years_covered``).
"""

from __future__ import annotations

import re

from question.numerals import ERA_BEFORE_FIRST_YEAR

YEAR = re.compile(
    r"(?P<era>令和|平成|昭和)\s*(?P<number>元|\d{1,2})\s*年(?P<fy>度)?"
    r"|(?<!\d)(?P<western>[12]\d{3})\s*年(?P<wfy>度)?(?!金)"  # 2030年度, not 2000年金
)

# A month after a year (令和6年3月, 平成31年４月末): a point in time within one fiscal year.
MONTH = re.compile(r"\s*(\d{1,2})\s*月")
FISCAL_YEAR_START = 4  # the fiscal year runs April to March: 令和6年3月 closes 令和5年度


def fiscal_year_of_month(year: int, month: int) -> int:
    """The fiscal year (as a Western year) a month of calendar ``year`` falls in: January to
    March close the fiscal year before (令和6年3月 → 令和5年度)."""
    return year if month >= FISCAL_YEAR_START else year - 1


def named_years(text: str) -> dict[int, str]:
    """The years ``text`` (in NFKC) names, as Western years, each with how it was first
    written (平成25年度 → {2013: "平成25年度"})."""
    found: dict[int, str] = {}
    for match in YEAR.finditer(text):
        if match["era"]:
            number = 1 if match["number"] == "元" else int(match["number"])
            year = ERA_BEFORE_FIRST_YEAR[match["era"]] + number
        else:
            year = int(match["western"])
        found.setdefault(year, "".join(match.group(0).split()))
    return found


def years_not_named(question: str, passages: str, figure_asked: bool = False) -> list[str]:
    """The years ``question`` names in another writing than 令和 (平成, 昭和, Western) that
    ``passages`` name in no writing, as the question writes them; 令和 years are
    ``question.answer_type``'s. Both in NFKC (the analysis' form, the dated passages).

    A figure asked of a fiscal year (2024年度の…は何件) belongs to that year, as a 令和 one
    does (``answer.covered_years``): only passages covering that fiscal year answer it; one
    naming 令和6年3月 (the close of 令和5年度) beside a 令和5年度 count does not."""
    seen = named_years(passages)
    fiscal = fiscal_years_covered(passages) if figure_asked else set()
    return [
        written
        for year, written in named_years(question).items()
        if not written.startswith("令和")
        and year not in (fiscal if figure_asked and written.endswith("年度") else seen)
    ]


def fiscal_years_covered(text: str) -> set[int]:
    """The fiscal years (Western) a dated ``text`` (in NFKC) covers: a fiscal year it names
    (令和5年度), the fiscal year a month date falls in (令和6年3月末 → 2023, 令和6年4月 → 2024),
    and a year named without a month (令和6年: its April to December are that fiscal year)."""
    covered: set[int] = set()
    for match in YEAR.finditer(text):
        for year in named_years(match.group(0)):
            month = None if match["fy"] or match["wfy"] else MONTH.match(text, match.end())
            covered.add(fiscal_year_of_month(year, int(month[1])) if month else year)
    return covered


def year_marks(text: str) -> frozenset[str]:
    """The years ``text`` (in NFKC) dates, on one calendar, each as a fiscal year
    (``2023年度``) or a calendar year (``2024年``): 令和5年度 and 2023年度 are one mark, so a
    caller writing the Western year agrees with the plans' era year. A month date marks its
    calendar year and the fiscal year it falls in (令和6年3月 → 2024年, 2023年度); a year
    written without 度 or a month marks both (2024年の3月まで → 2024年, 2024年度). Compare
    marks by intersection: a fiscal year asked (令和6年度) is not the month that closes the
    year before (令和6年3月)."""
    marks: set[str] = set()
    for match in YEAR.finditer(text):
        year = next(iter(named_years(match.group(0))))
        if match["fy"] or match["wfy"]:
            marks.add(f"{year}年度")
            continue
        marks.add(f"{year}年")
        month = MONTH.match(text, match.end())
        marks.add(f"{fiscal_year_of_month(year, int(month[1])) if month else year}年度")
    return frozenset(marks)
