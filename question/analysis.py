"""One question, analysed once: what the retriever, the sentence selection and the decline
model read, instead of each re-deriving pieces.

``analyse(question, history)`` resolves a follow-up against the conversation, finds the
plan pages named, the parts of a two-part question, the kind of answer wanted (a figure, a
period, a phone number …), whether results or the plan are asked for, and the years named.
Computing it is pure and cheap (one Sudachi pass in mode A over the question and over the
previous user turn when the question is a follow-up).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ingest.refs import PLAN_PREFIXES
from question.answer_type import (
    asked_counter,
    expected_answer,
    fiscal_years_in,
    plan_periods_in,
    years_in,
)
from question.conversation import previous_context
from question.cue_words import has_word
from question.followup import followup
from question.intent import (
    answer_kind_weights_of,
    asks,
    asks_for_period,
    figure_of_side,
    names_fiscal_year,
    retrieval_kind_weights,
)
from question.language import not_japanese
from question.latest import asks_now, latest_results_year
from question.normal import nfkc
from question.page_refs import PageReference, page_references, strip_page_references
from question.parts import QuestionPart, question_parts
from question.previous_statements import previous_statements
from question.referent import demonstrative_without_referent, page_without_document
from question.rules import rules
from question.side import Side, asked_side


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str  # as typed, stripped
    search_text: str  # what is searched and scored: with the topic a follow-up carries
    # The two in NFKC, normalised once here: every reader of the question compares in NFKC.
    normalized: str = ""
    searched: str = ""
    carried_topic: str = ""  # '' for a question that stands alone
    page_refs: tuple[PageReference, ...] = ()
    answer_type: str | None = None  # period, phone, clock, money, day, count (rules.toml)
    counter: str | None = None  # the counter a figure is asked in (何人 → 人)
    wants_results: bool = False
    wants_plans: bool = False
    # plan, results or both: the grammar's reading, else the cue strings' (question/side.py)
    asked_side: Side | None = None
    # The side the question's own words ask (None when they ask none): a follow-up's
    # before it takes the last turn's, so one that turns to the other side (目標は？ →
    # 去年は何日だった？) is told from one that asks nothing of a side.
    own_side: Side | None = None
    names_fiscal_year: bool = False
    asks_for_period: bool = False
    years: frozenset[str] = frozenset()  # 令和5
    fiscal_years: frozenset[str] = frozenset()  # 令和5年度
    periods: frozenset[str] = frozenset()  # 第3期
    # A figure asked as it stands now (今どのくらい): the latest results year, which joins
    # the searched text (question/latest.py); '' when the question asks no such figure.
    latest_year: str = ""
    parts: tuple[QuestionPart, ...] = field(default_factory=tuple)
    # The last answer's statements and their labels, for a follow-up that leans on it.
    previous_statements: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The last user turn, for a follow-up on it ('' otherwise): the year it was about.
    previous_question: str = ""
    # The comparison cues (rules.toml [comparison]) read as words of the question
    # (question/cue_words.py): (a comparison or change, whether a target was met). Read by
    # ``analyse`` over the question's units; None in an analysis built by hand or narrowed
    # to a part, which reads its searched text when asked.
    comparison_cues: tuple[bool, bool] | None = None
    # A demonstrative pointing at nothing (それの目標は？ with no conversation and no topic
    # of its own: question/referent.py), as written; '' when there is none.
    unresolved_reference: str = ""
    # Pages named with no document and nothing else asked (46ページの内容は？): which
    # document's page is meant is asked back (question/referent.page_without_document).
    unnamed_pages: tuple[int, ...] = ()
    # The names the index cites its files by (メモ.txt): a page of one is read as named.
    documents: frozenset[str] = frozenset()
    _typed_without_pages: str = ""
    _searched_without_pages: str = ""

    def __post_init__(self) -> None:
        # An analysis built by hand (a bench, a test) gets its NFKC forms here.
        if not self.normalized:
            object.__setattr__(self, "normalized", nfkc(self.question))
        if not self.searched:
            object.__setattr__(self, "searched", nfkc(self.search_text))

    @property
    def labels(self) -> tuple[str, ...]:
        """The plan-page labels named, deduplicated, in order."""
        return tuple(dict.fromkeys(ref.label for ref in self.page_refs))

    @property
    def question_without_pages(self) -> str:
        """The question as typed with its page references blanked out."""
        return self._typed_without_pages or self.question

    @property
    def normalized_without_pages(self) -> str:
        """``question_without_pages`` in NFKC."""
        return nfkc(self._typed_without_pages) if self.page_refs else self.normalized

    @property
    def text_without_pages(self) -> str:
        """The searched text with the page references blanked out."""
        if not self.page_refs:
            return self.search_text
        return self._searched_without_pages or strip_page_references(
            self.search_text, self.documents
        )

    @property
    def wants_both_sides(self) -> bool:
        """It asks for the plan and what was achieved together: both sides named (第3期の実績と
        第4期の目標), a target set against a result (目標に対して, 達成した), a comparison or
        change whose grammar names no one side (以前と比べてどうなる), or the results of a
        plan page (中期P46の実績は？): the page's measures are the plan side, what the period
        before achieved on them the other. A question the grammar reads as about one side
        asks about that one, whatever it compares: a trend or a change against the year
        before (推移, 前年度より増えた) is the results report's."""
        if any(part.side is not None for part in self.parts):
            return True
        if self.wants_results and any(label.startswith(PLAN_PREFIXES) for label in self.labels):
            return True
        compares, asks_if_met = self.comparison_cues or comparison_cues(self.searched)
        if asks_if_met:
            return not self.names_fiscal_year  # a year's target met: its results say so
        return self.asked_side not in ("plan", "results") and compares

    @property
    def in_another_language(self) -> bool:
        """Typed with no Japanese and some words of Latin letters (question/language.py):
        answered with a line asking for the question in Japanese."""
        return not_japanese(self.normalized)

    @property
    def is_followup(self) -> bool:
        return bool(self.carried_topic) or self.search_text != self.question

    def part(self, part: QuestionPart) -> QuestionAnalysis:
        """This analysis narrowed to one part (its text; its side of a comparison)."""
        wants_results, wants_plans = self.wants_results, self.wants_plans
        if part.side is not None:
            wants_results, wants_plans = part.side == "results", part.side == "plan"
        return replace(
            self,
            asked_side=part.side if part.side is not None else self.asked_side,  # type: ignore[arg-type]
            search_text=part.text,
            searched=part.normalized,
            _searched_without_pages="",
            wants_results=wants_results,
            wants_plans=wants_plans,
            parts=(part,),
            comparison_cues=None,
        )

    def kind_weights(self, strength: float) -> dict[str, float]:
        """Kind → multiplier on retrieval scores (``question.intent``)."""
        return retrieval_kind_weights(
            self.wants_results, self.wants_plans, self.names_fiscal_year, strength
        )

    def answer_kind_weights(self, strength: float, side: str | None = None) -> dict[str, float]:
        """Kind → multiplier on answer sentences; ``side`` forces one side of a comparison."""
        wants_results, wants_plans = self.wants_results, self.wants_plans
        if side is not None:
            wants_results, wants_plans = side == "results", side == "plan"
        if wants_plans and not wants_results and self.asks_results_year_plan:
            # The results report restates its year's annual plan beside that year's
            # results (（令和５年度計画）, kind fy_plan); the overview holds no plan of that
            # year, so its measures are the wrong plan to pull.
            return {"fy_plan": strength} if strength > 1.0 else {}
        return answer_kind_weights_of(wants_results, wants_plans, self.names_fiscal_year, strength)

    @property
    def names_review(self) -> bool:
        """It names the overview's review of the period before, the column the documents
        head 第３期中期計画等の振り返り（今後の課題）: by either of its words (振り返り, 振返り,
        課題), it asks what that column raises, not the measures beside it.
        Read in the question's own words: a follow-up after a question on the review asks
        about the topic, not the column again."""
        return bool(_REVIEW.search(self.normalized))  # its own words, not a carried topic

    @property
    def asks_results_year_plan(self) -> bool:
        """It names, in its own words, the plan of the one fiscal year the results report
        reports (令和5年度計画, 令和5年度の計画): the calendar's results year, no other."""
        year = f"令和{rules().results_fiscal_year}年度"
        return self.fiscal_years == {year} and bool(_YEAR_PLAN.search(self.normalized))


# A fiscal year's plan named as the documents name it (令和５年度計画, 令和5年度の計画).
_YEAR_PLAN = re.compile(r"年度\s*(?:の\s*)?(?:年度)?計画")

# The overview's column on the period before, headed 振り返り（今後の課題） (also written
# 振返り): its ○ questions, the issues it raises, are the passages of kind review.
_REVIEW = re.compile(r"振り?返|課題")


def analyse(
    question: str, history: Sequence[object] = (), documents: frozenset[str] = frozenset()
) -> QuestionAnalysis:
    """The analysis of ``question`` asked after ``history`` (objects with ``role`` and
    ``content``, as /ask's history); ``documents``: the names the index cites its files by
    (``Snapshot.document_names``), whose pages a question names as it names a plan's
    (メモ.txt p.1の内容は？)."""
    typed = question.strip()
    topic, resolved, search_text = followup(typed, history)
    text = nfkc(typed)
    wants_results, wants_plans = asks(nfkc(resolved))
    if topic and not (wants_results or wants_plans):
        # A follow-up that names no aspect keeps the last one asked (じゃあ前の年は？).
        wants_results, wants_plans = _last_intent(history)
    side = own_side = asked_side(resolved)
    if topic and side is None:
        side = _last_side(history)
    wants_results, wants_plans = figure_of_side(nfkc(resolved), side, wants_results, wants_plans)
    if asks_for_period(text) and wants_plans and not wants_results:
        search_text = _with_current_plan(search_text)
    latest = ""
    if side != "plan" and not (asks_for_period(text) and wants_plans) and asks_now(typed):
        # A figure asked as it stands now is the latest year's result (question/latest.py).
        latest = latest_results_year()
        # Put first, as a question dating its figure puts it: after the question mark it
        # read as a second part of its own.
        search_text = f"{latest} {search_text}"
        wants_results, wants_plans = True, False
    searched = nfkc(search_text)
    # Read on the question itself (its relative years written out), whose units the side
    # reading has just read: the searched text adds only a carried topic, nouns that hold
    # no comparison cue (question.topic_words.topic_words leaves aspect words out).
    cues = comparison_cues(nfkc(resolved))
    refs = page_references(typed, documents) or page_references(search_text, documents)
    # A question naming a page is answered from the page, not from what was said before;
    # unless it asks for what else the page says (他に), which only the last answer tells. A
    # follow-up that only carries the page (いつまでに？) asks about the last answer.
    leans = not page_references(typed, documents) or bool(rules().asks_else.search(text))
    said = previous_statements(typed, history) if leans else ()
    return QuestionAnalysis(
        question=typed,
        search_text=search_text,
        normalized=text,
        searched=searched,
        carried_topic=topic,
        page_refs=refs,
        answer_type=expected_answer(text),
        counter=asked_counter(text),
        wants_results=wants_results,
        wants_plans=wants_plans,
        asked_side=side,
        own_side=own_side,
        names_fiscal_year=names_fiscal_year(searched),
        asks_for_period=asks_for_period(text),
        years=frozenset(years_in(searched)),
        fiscal_years=frozenset(fiscal_years_in(searched)),
        documents=documents,
        _typed_without_pages=strip_page_references(typed, documents) if refs else typed,
        _searched_without_pages=(
            strip_page_references(search_text, documents) if refs else search_text
        ),
        periods=frozenset(plan_periods_in(text)),
        latest_year=latest,
        parts=question_parts(search_text, topic) if not refs else (QuestionPart(search_text),),
        previous_statements=said,
        previous_question=nfkc(previous_context(history)) if topic else "",
        comparison_cues=cues,
        unresolved_reference=demonstrative_without_referent(typed, history),
        unnamed_pages=page_without_document(typed, history) if not refs else (),
    )


def comparison_cues(text: str) -> tuple[bool, bool]:
    """Whether ``text`` (NFKC) asks for a comparison or change, and whether a target was
    met, by the comparison cues read as its words (not inside other words: 違い in 間違い)."""
    found = rules()
    return has_word(found.across_sides, text), has_word(found.target_met, text)


_PERIOD_NAMED = re.compile(r"第\s*[0-9０-９]+\s*期")


def _with_current_plan(text: str) -> str:
    """A plan's period asked with no period named (今度の計画の期間は？) is the current
    plan's: the calendar's plan period (第4期) joins the searched text."""
    if _PERIOD_NAMED.search(text):
        return text
    current = next((p.name for p in rules().periods if p.kind == "plan"), "")
    return f"{text} {current}".strip()


def _last_side(history: Sequence[object]) -> Side | None:
    """The side asked by the last user turn that asked one."""
    for turn in reversed(history):
        if getattr(turn, "role", None) == "user":
            side = asked_side(str(getattr(turn, "content", "")))
            if side is not None:
                return side
    return None


def _last_intent(history: Sequence[object]) -> tuple[bool, bool]:
    """(results, plans) asked by the last user turn that asked either."""
    for turn in reversed(history):
        if getattr(turn, "role", None) == "user":
            intent = asks(nfkc(str(getattr(turn, "content", ""))))
            if any(intent):
                return intent
    return False, False


__all__ = ["QuestionAnalysis", "analyse"]
