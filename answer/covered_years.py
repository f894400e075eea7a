"""The years a question names that the plans do not cover, read against every document.

A plan covers the years it plans, whichever of its pages a question's answer quotes: the
第4期 mid-term plan covers 令和6年度 to 令和10年度 and the annual plan its 令和6年度, though
the page about 強制徴収 names no year at all. Reading the covered years from the quoted
passages alone declined 「令和6年度の計画で…」 questions as a year not covered. So the
years covered are those of every indexed passage (each dated as ``dated_text`` dates it),
and the spans of the plan periods they belong to, read once per index generation and kept
with it (``Snapshot.derived``).

A figure asked of a year (令和6年度の…は何件) is the exception: a count or an amount belongs
to one year, so it is covered only by a quoted passage of that year: the report's 令和5年度
count does not answer it, although the annual plan covers 令和6年度.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from answer.calendar_years import (
    ERA_BEFORE_FIRST_YEAR,
    MONTH,
    YEAR,
    fiscal_year_of_month,
    fiscal_years_covered,
    named_years,
)
from index.snapshot import Snapshot
from ingest.model import Chunk
from question import QuestionAnalysis, rules
from question.answer_type import fiscal_years_in, plan_periods_in, years_in

# Answer types asking a figure that belongs to one year (rules.toml's answer types).
FIGURE_TYPES = frozenset({"count", "money"})


@dataclass(frozen=True)
class CoveredYears:
    """What a dated text covers: fiscal years (Western), and the 令和 years it names."""

    fiscal: frozenset[int]
    named: frozenset[str]


def covered_by(seen: str, spans: bool = False) -> CoveredYears:
    """The years a dated text ``seen`` (NFKC) covers: the fiscal years it names or a month
    date falls in, the year before a 前年度 names, and with ``spans`` the years of the plan
    periods it names (第4期 → 令和6年度 … 令和10年度, the plans' calendar in
    data/question/rules.toml): a whole plan covers its period, one page only what it dates."""
    fiscal = fiscal_years_covered(seen) | {
        ERA_BEFORE_FIRST_YEAR["令和"] + int(year.removeprefix("令和").removesuffix("年度"))
        for year in fiscal_years_in(seen)  # with the year before a 前年度 names
    }
    periods = plan_periods_in(seen) if spans else set()
    for period in rules().periods:
        if period.name in periods:
            fiscal |= set(range(_fiscal_year(period.start), _fiscal_year(period.end) + 1))
    return CoveredYears(frozenset(fiscal), frozenset(years_in(seen)))


def corpus_years(snapshot: Snapshot) -> CoveredYears:
    """``covered_by`` every passage of an index generation with the spans of its plan
    periods, read once per generation (its passages never change) and gone with it."""
    return snapshot.derived(_corpus_years)


def _corpus_years(snapshot: Snapshot) -> CoveredYears:
    return covered_by(" ".join(normalized_dated_text(c) for c in snapshot.chunks), spans=True)


def years_not_covered(
    analysis: QuestionAnalysis, seen: str, corpus: CoveredYears | None = None
) -> set[str]:
    """The 令和 years the question names that are not covered, each as the question names
    it: by the ``corpus`` (every indexed passage), or, for a figure asked of a year or with
    no corpus given, by the quoted passages ``seen`` (NFKC). A year asked as a fiscal year
    (令和6年度) is covered by that fiscal year or a month date within it (令和6年4月,
    令和7年3月末), not by 令和6年3月, which closes 令和5年度; a year asked otherwise
    (令和6年3月末) by any writing of that year."""
    covered = covered_by(seen)
    if corpus is not None and not asks_figure(analysis):
        covered = CoveredYears(covered.fiscal | corpus.fiscal, covered.named | corpus.named)
    missing: set[str] = set()
    for year in analysis.years:
        if f"{year}年度" in analysis.fiscal_years:
            if ERA_BEFORE_FIRST_YEAR["令和"] + int(year.removeprefix("令和")) not in covered.fiscal:
                missing.add(f"{year}年度")  # named as asked: 令和6年度
        elif year not in covered.named:
            missing.add(year)
    return missing


def asks_figure(analysis: QuestionAnalysis) -> bool:
    """Whether the question asks a figure that belongs to one year (何件, 何％, いくら)."""
    return analysis.answer_type in FIGURE_TYPES or analysis.counter is not None


def results_years() -> CoveredYears:
    """The fiscal years the results report gives results of: the span of its period
    (第3期: 令和元年度 to 令和5年度, the plans' calendar in data/question/rules.toml). A result
    asked of a year the plans only plan (令和6年度, 令和8年度) is one they do not give,
    though a plan passage names the year."""
    fiscal: set[int] = set()
    for period in rules().periods:
        if period.kind == "results":
            fiscal |= set(range(_fiscal_year(period.start), _fiscal_year(period.end) + 1))
    return CoveredYears(frozenset(fiscal), frozenset())


def years_covered_elsewhere(years: Iterable[str], corpus: CoveredYears) -> list[str]:
    """Of ``years`` a decline found missing (令和6年度, 令和6, 2024年度, 第2期), those some
    indexed passage covers (``corpus``): for these the quoted passages lack the figure asked,
    not the year, and a decline must not say the plans do not cover it."""
    covered = []
    for year in years:
        fiscal = fiscal_years_covered(year)
        if (fiscal and fiscal <= corpus.fiscal) or year in corpus.named:
            covered.append(year)
    return covered


def _fiscal_year(date: str) -> int:
    """The fiscal year (Western) of a calendar date such as 令和6年4月 or 令和11年3月."""
    match = YEAR.search(date)
    if match is None:
        raise ValueError(f"data/question/rules.toml: no year in the period date {date!r}")
    (year,) = named_years(match.group(0))
    month = MONTH.match(date, match.end())
    return fiscal_year_of_month(year, int(month[1])) if month else year


def normalized_dated_text(chunk: Chunk) -> str:
    """``dated_text`` in NFKC, kept per text: the year readers normalise what they read, and
    NFKC of pieces already in NFKC (joined by a space) is their join, a quick check instead of
    normalising every passage again for each question."""
    return _nfkc(dated_text(chunk))


@lru_cache(maxsize=4096)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def dated_text(chunk: Chunk) -> str:
    """A chunk's text with the fiscal year and the plan period its document speaks of (the
    plans' calendar in data/question/rules.toml): a 中期/年度 page is the 第4期 plan, a
    年度P page the 令和6年度 plan, a 資料 page the 第3期 results report and a 資料1-3
    page its 令和5年度, although no page writes them."""
    calendar = rules()
    periods = {p.kind: p.name for p in calendar.periods}
    dates: list[str] = []
    if any(label.startswith(("中期P", "年度P")) for label in chunk.labels):
        dates.append(periods.get("plan", ""))
    if any(label.startswith("年度P") for label in chunk.labels):
        dates.append(f"令和{calendar.plan_fiscal_year}年度")
    if any(label.startswith("資料") for label in chunk.labels):
        dates.append(periods.get("results", ""))
    if any(label.startswith("資料1-3 ") for label in chunk.labels):
        dates.append(f"令和{calendar.results_fiscal_year}年度")
    return f"{' '.join(dates)} {chunk.context} {chunk.text}"
