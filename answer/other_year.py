"""Another year's figure of what was just said: the statement a year-only follow-up asks for.

A follow-up that changes only the year (じゃあ令和元年度は？ / 前の年より増えた？) asks for the
same measure in another year. The passages the last answer quoted state it in two ways the
search does not rank, since neither repeats the question's words:

- the results report writes a measure's figures over the years as a table, a header row of
  years (令和元年度 令和２年度 …) above rows of figures, one per year: the row holding the
  figure just given is that measure's, and under a header naming the asked year it states
  that year's figure. A header of month dates (平成31年3月 令和2年3月 …, a count at each
  year's end or start) names fiscal years too: the fiscal year runs April to March, so a
  month date falls in one (令和6年3月 closes 令和5年度, 令和6年4月 opens 令和6年度);
- a sentence gives the year before beside a figure, as 前年 / 前年度 (1,234名（前年987名）,
  33.7％（対前年度比▲0.5pt）): Japanese 前年 is the year before, so a sentence holding the
  figure just given with a 前年 beside it answers for the previous year;
- a sentence gives the figure just given with its starting point (納付率は平成30年度53.0％から
  令和５年度71.7％まで向上): a sentence holding that figure and naming the asked year, in any
  era, states that year's figure in words, so it leads before a table row. A year written
  as a span's bound is not the year a figure stands for: Japanese marks a starting point
  with 以降 / から / 以来 and an end with まで right after the year (令和２年度以降70％以上
  is a floor from that year on, 令和７年度までに is a deadline), whereas a year a figure
  stands for is followed by the figure (平成30年度53.0％から: から follows the figure). A
  sentence naming the asked year only as a bound does not give that year's figure.

Years are read on one calendar (``answer.calendar_years``): a follow-up may name the year
in another era than the last answer (平成30年度は？ after a 令和 figure).

Such a statement leads the answer; the search's own sentences follow it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from answer.borrowed_header import header_in_order
from answer.calendar_years import (
    ERA_BEFORE_FIRST_YEAR,
    YEAR,
    named_years,
)
from answer.extractive import Picked
from answer.sentences import display, is_heading, sentences_of
from answer.stated_change import states_change
from answer.year_columns import (
    column_cell,
    fiscal_years_of,
    headed_rows,
    header_years,
    month_years_of,
    rows_under,
)
from ingest.model import Chunk
from question import QuestionAnalysis
from question.answer_type import DATE
from question.rules import rules

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PREVIOUS = re.compile(r"前年")
# Asking whether a figure rose or fell (増えた？ 下がった？) with no year asks it against the
# year before: the change the results report states as 前年度比 or as the table's last step.
_CHANGE = re.compile(r"増え|減っ|減り|減少|増加|上が|下が|伸び")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def undated(text: str) -> str:
    """``text`` in NFKC with its dates (令和５年度, 令和6年4月, 3月) blanked: a date's digits
    are no figure of a measure."""
    return DATE.sub(" ", _nfkc(text))


def stated_figures(statements: Iterable[str]) -> set[str]:
    """The figures a statement gives (324件 → 324, 98.5％ → 98.5), dates aside; single
    digits are too common to tell a measure's row."""
    found: set[str] = set()
    for statement in statements:
        found |= {n for n in _NUMBER.findall(undated(statement)) if len(n.replace(",", "")) > 1}
    return found


def _holds(text: str, figures: set[str]) -> bool:
    normalized = _nfkc(text)
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", normalized) for f in figures)


# A bound right after a year (and its month, 令和2年4月以降): 以降, から, 以来 start a span,
# まで (までに) ends one.
_SPAN_BOUND = re.compile(r"\s*(?:\d{1,2}\s*月\s*(?:末|以降)?\s*)?(?:以降|以来|から|まで)")


def figure_years_of(text: str) -> list[int]:
    """The fiscal years ``text`` names as the year of a figure, not as a span's bound
    (令和２年度以降, 令和７年度まで): a year named both ways counts."""
    normalized = _nfkc(text)
    years: list[int] = []
    for match in YEAR.finditer(normalized):
        if not (match["fy"] or match["wfy"]) or _SPAN_BOUND.match(normalized, match.end()):
            continue
        years.extend(fiscal_years_of(match.group(0)))
    return years


def table_rows(chunk: Chunk, year: int, figures: set[str]) -> list[str]:
    """Header-and-row spans of ``chunk`` (verbatim) whose header names ``year`` and whose row
    holds one of ``figures`` (``year_columns.headed_rows``)."""
    return [
        chunk.text[header_start : start + len(line)]
        for header_start, years, start, line in headed_rows(chunk.text)
        if year in years and _holds(line, figures)
    ]


def column_rows(
    chunk: Chunk, in_order: Sequence[Chunk], year: int, figures: set[str]
) -> list[Picked]:
    """The rows of a table passage without a header of its own (``answer.borrowed_header``)
    that hold one of ``figures``, each with the cell of ``year`` told after it: the row
    names no year, so the column it is read from is said."""
    header = header_in_order(chunk, in_order)
    found: list[Picked] = []
    for row in rows_under(header, chunk) if header else []:
        cell = column_cell(row, header, year)
        if cell and _holds(row, figures):
            years = header_years(header)
            remark = (
                f"表の列は{written_year(years[0])}から{written_year(years[-1])}までの各年度で、"
                f"{written_year(year)}の欄は{cell}です。"
            )
            shown = " ".join(display(row).split())
            found.append(Picked(row, shown, chunk, 0.0, remark=remark))
    return found


def previous_year_sentences(chunk: Chunk, figures: set[str]) -> list[str]:
    """Sentences of ``chunk`` holding one of ``figures`` with a 前年 beside it."""
    return [s for s in sentences_of(chunk) if _PREVIOUS.search(s) and _holds(s, figures)]


def measure_named(analysis: QuestionAnalysis) -> str:
    """The measure a follow-up carries: the head of the last subject asked, its last topic
    word (Japanese puts the head of a noun phrase last: 管理職の月平均の時間外勤務 is about
    時間外勤務)."""
    words = analysis.carried_topic.split()
    return words[-1] if words else ""


def change_sentences(chunk: Chunk, measure: str) -> list[str]:
    """Sentences of ``chunk`` stating a change against the year before of ``measure``
    (時間外勤務について前年度より…削減した), whether or not they repeat the figure just given:
    a table gives the figures, such a sentence says what changed."""
    if not measure:
        return []
    return [s for s in sentences_of(chunk) if measure in _nfkc(s) and states_change(s)]


def written_year(year: int) -> str:
    """A fiscal year (Western) as the plans write it: 2022 → 令和4年度, 2019 → 令和元年度."""
    for era in ("令和", "平成"):
        number = year - ERA_BEFORE_FIRST_YEAR[era]
        if number >= 1:
            return f"{era}{'元' if number == 1 else number}年度"
    return f"{year}年度"


def only_as_change(asked: int, base: int) -> str:
    """What the answer says when the plans give the asked year's figure only as the change
    stated beside the next year's: not the figure, and not nothing."""
    return (
        f"{written_year(asked)}の数値そのものは計画文書に記載がなく、"
        f"{written_year(base)}の値の前年度比（増減）としてのみ示されています。"
    )


def named_year_sentences(chunk: Chunk, year: int, figures: set[str]) -> list[str]:
    """Sentences of ``chunk`` holding one of ``figures`` and naming ``year`` (Western) as the
    year of a figure, not as a span's bound."""
    return [s for s in sentences_of(chunk) if _holds(s, figures) and year in figure_years_of(s)]


_CLAUSE_END = re.compile(r"(?<=、)")


def year_clause(shown: str, year: int) -> str:
    """``shown`` cut to its clause (split after 、) naming ``year`` as a figure's year,
    when the sentence gives other years' figures too (令和５年度の利用件数は…件となり、…
    令和４年度（…件）よりも多く…): the year asked is told first, not the year the last answer
    gave again (a clause naming it with no figure, a date of an event, is none); of several,
    the last, which Japanese makes the sentence's main statement (the clauses before it
    lead up to it). Cut as ``answer.clause`` cuts, an ellipsis where text is left out; the
    whole sentence when no clause or the only year named is asked."""
    clauses = _CLAUSE_END.split(shown)
    # A clause naming the year with no figure says when something happened (令和２年度の
    # …の延長により), not that year's figure.
    naming = [
        i
        for i, clause in enumerate(clauses)
        if year in figure_years_of(clause) and _NUMBER.search(undated(clause))
    ]
    if not naming or set(figure_years_of(shown)) <= {year}:
        return shown
    at = naming[-1]
    run = clauses[at]
    if at < len(clauses) - 1:
        run = run.removesuffix("、") + "…"
    return ("…" if at > 0 else "") + run


def other_year_statements(analysis: QuestionAnalysis, chunks: Sequence[Chunk]) -> list[Picked]:
    """The statements of ``chunks`` (the passages the last answer quoted) that give the one
    year a follow-up asks for, for the measure the last answer gave a figure of."""
    # A year asked by a month date (令和2年3月時点では？) is the fiscal year it falls in,
    # as a header of month dates is read.
    asked = fiscal_years_of(analysis.searched) or month_years_of(analysis.searched)
    if not analysis.previous_statements or len(asked) > 1:
        return []
    statements = [statement for statement, _ in analysis.previous_statements]
    figures = stated_figures(statements)
    if not figures:
        return []
    current = ERA_BEFORE_FIRST_YEAR["令和"] + rules().results_fiscal_year
    said = " ".join(statements)
    base = max(fiscal_years_of(said) + month_years_of(said), default=current)
    if asked:
        year = asked[0]
    elif _CHANGE.search(analysis.normalized) and not named_years(analysis.searched):
        year = base - 1
    else:
        return []
    if year == base:
        return []
    # The year's own figure (a sentence naming it, a table column, 前年 with a figure), and
    # the change against the year before stated beside the next year's figure.
    figures_of_year: list[Picked] = []
    changes: list[Picked] = []
    head = measure_named(analysis)
    for chunk in chunks:
        quotes = named_year_sentences(chunk, year, figures) + table_rows(chunk, year, figures)
        if year == base - 1:
            quotes += previous_year_sentences(chunk, figures)
            quotes += [q for q in change_sentences(chunk, head) if q not in quotes]
        for quote in quotes:
            if is_heading(quote):
                continue
            shown = year_clause(" ".join(display(quote).split()), year)
            said = Picked(quote, shown, chunk, 0.0)
            (changes if states_change(quote) else figures_of_year).append(said)
        figures_of_year += column_rows(chunk, chunks, year, figures)
    if _CHANGE.search(analysis.normalized):
        # Rose or fell? The sentence stating the change answers it before any figure.
        return changes + figures_of_year
    if figures_of_year or not changes:
        return figures_of_year + changes
    # The asked year's figure is given only as the next year's change: say so after it.
    return [replace(changes[0], remark=only_as_change(year, base)), *changes[1:]]
