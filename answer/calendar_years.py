"""Years however they are written, compared on one calendar: the Western year.

The plans date by the Japanese era (令和5年度, 平成31年4月); a caller may name a year by
the Western calendar (2030年度) or by an earlier era (平成25年度). ``question.answer_type``
reads 令和 years only, so a question about 平成25年度 or 1648 found no year missing and
was answered from a passage about another year. Converted to Western years, a year the
question names and no quoted passage names in any writing is one the plans do not cover
there, as a missing 令和 year already is.
"""

from __future__ import annotations

import re

# The year before each era's first year: 令和元年 is 2019, 平成元年 1989, 昭和元年 1926.
ERA_BEFORE_FIRST_YEAR = {"令和": 2018, "平成": 1988, "昭和": 1925}
YEAR = re.compile(
    r"(?P<era>令和|平成|昭和)\s*(?P<number>元|\d{1,2})\s*年(?P<fy>度)?"
    r"|(?<!\d)(?P<western>[12]\d{3})\s*年(?P<wfy>度)?(?!金)"  # 2030年度, not 2000年金
)


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


def years_not_named(question: str, passages: str) -> list[str]:
    """The years ``question`` names in another writing than 令和 (平成, 昭和, Western) that
    ``passages`` name in no writing, as the question writes them; 令和 years are
    ``question.answer_type``'s. Both in NFKC (the analysis' form, the dated passages)."""
    seen = named_years(passages)
    return [
        written
        for year, written in named_years(question).items()
        if year not in seen and not written.startswith("令和")
    ]
