"""Rank: which sentences of the retrieved passages answer, in the order they are said.

A page the question only names gets its digest; a question on a named page is answered
from that page's passages; any other from the top contexts, each part of a two-part
question (each side of a comparison) from its own passages. Within one part, the sentence
ranker (answer/ranker.py) chooses the first statement and ``answer.extractive.select``
admits the others, the fitted admission (answer/admission.py) dropping those unlikely to
add a fact. A long first statement is cut to the clauses of the asked figure
(answer/clause.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from answer.admission import Admission
from answer.asked_column import asked_column
from answer.clause import ClauseCut
from answer.compose import compose
from answer.coverage import QuestionCoverage
from answer.event_date import DATED_PASSAGES, event_dated_lead
from answer.extractive import Picked, Ranker, select
from answer.figures import asked_figure
from answer.followup_kinds import (
    asks_else,
    asks_how,
    asks_page,
    asks_why,
    means_of_figure,
    nothing_else,
    page_statement,
    states_means,
    states_reason,
)
from answer.followup_prior import FollowupPrior, PriorRanker
from answer.followup_when import asks_when_only, when_statements
from answer.further import Asking
from answer.listed_figures import continued
from answer.measure_lead import measure_lead
from answer.named_row import named_rows
from answer.other_year import other_year_statements, stated_figures
from answer.page_digest import asks_for_figures, asks_only_for_page, digest
from answer.part_of import part_statements
from answer.retrieve import (
    Retrieval,
    beside_answered,
    labelled_passages,
    quoted_before,
    quoted_passages,
    said_before,
)
from answer.stated_target import stated_target_statements
from answer.whole_count import whole_count_lead
from answer.year_plan import (
    RESULTS_PLAN_KIND,
    asks_for_the_plan,
    names_the_plan,
    year_plan_passages,
)
from index.dense_sentences import DenseSentences
from index.lexical import LexicalSearcher
from ingest.model import Chunk
from planqa.settings import AnswerSettings
from question import QuestionAnalysis, QuestionPart
from question.intent import EARLIER_PERIOD_KINDS, MEASURE_KINDS
from question.normal import nfkc
from question.rules import rules

REVIEW_KIND = "review"  # the overview's ○ questions on the period before (振り返り)


class SentenceSelection:
    """The answer's sentences for one retrieval, under the answer settings and a ranker."""

    def __init__(
        self,
        settings: AnswerSettings,
        ranker: Ranker | None,
        admission: Admission | None = None,
        clause_cut: ClauseCut | None = None,
        followup_prior: FollowupPrior | None = None,
    ) -> None:
        self.settings = settings
        self.ranker = ranker
        self.admission = admission
        self.clause_cut = clause_cut
        self.followup_prior = followup_prior or FollowupPrior()

    def page_digest(self, retrieval: Retrieval) -> list[Picked]:
        """The digest of the pages a question names when it asks for nothing else. A page
        follow-up (何ページ？) or a when-question (いつまでに？) after a question that named a
        page carries that page as its topic, yet asks where or when of the last answer, not
        what the page says: it is answered as after any other question (``picked``)."""
        analysis = retrieval.analysis
        searcher = retrieval.searcher
        terms_of = searcher.snapshot.lexical.cached_terms
        # 他に (what else is on the page) asks for the page's statements the last answer
        # did not quote.
        more = asks_else(analysis)
        beside = rules().asks_else if more else None
        if (
            asks_page(analysis)
            or asks_when_only(analysis)
            or not asks_only_for_page(analysis, terms_of, beside)
        ):
            return []
        named = searcher.named_chunks(analysis, retrieval.filters)
        chunks = [chunk for found in named.values() for chunk in found]
        found = digest(
            chunks,
            limit=self.settings.sentences,
            figures=asks_for_figures(analysis, terms_of),
            leave=(lambda shown: quoted_before(analysis, shown)) if more else None,
        )
        if found or not more:
            return found
        return nothing_else(digest(chunks, limit=1), analysis.labels)

    def picked(self, retrieval: Retrieval) -> list[Picked]:
        """The sentences that answer; for a follow-up that asks only for another year, the
        statement of that year's figure in the passages the last answer quoted leads
        (answer/other_year.py), and for one that asks only for the target, the target the
        results report states beside the result just given (answer/stated_target.py); the
        lead takes the first-statement score of the search's best sentence. Follow-ups of
        their own kind are answered from their own statements: the plan of the year just
        discussed (answer/year_plan.py: first when the question names the plan, else when
        nothing above leads), the means of a result, and the pages of the last answer
        (answer/followup_kinds.py)."""
        analysis = retrieval.analysis
        picked = self._picked(retrieval)
        if asks_page(analysis):
            return self._page_answer(retrieval, picked)
        # The last answer's own statement is not the follow-up's answer when another is.
        new = [p for p in picked if not said_before(analysis, p.shown)]
        picked = new or picked
        quoted = labelled_passages(retrieval.searcher, analysis)
        own = (
            (names_the_plan(analysis) and self._year_plan(retrieval, quoted))
            or (asks_how(analysis) and self._means(retrieval, quoted))
            or (asks_why(analysis) and self._means(retrieval, quoted, states_reason))
            or (asks_when_only(analysis) and self._when(retrieval, quoted))
            or []
        )
        if own:
            return self._ranked_as(own, picked)
        lead = (
            other_year_statements(analysis, quoted)
            or stated_target_statements(analysis, quoted)
            or named_rows(analysis, quoted)
            or part_statements(analysis, quoted_passages(retrieval.searcher, analysis))
        )
        if not lead:
            # An earlier year's figure the report gives only in a table (answer/asked_column.py).
            column = asked_column(
                analysis.normalized_without_pages,
                picked,
                [h.chunk for h in retrieval.hits],
                retrieval.searcher.snapshot,
            )
            if column:  # the row it reads is said once, as its column
                return [column, *(p for p in picked if p.quote != column.quote)][
                    : self.settings.sentences
                ]
        if not lead:
            plan = self._ranked_as(self._year_plan(retrieval, quoted), picked)
            return plan or self._kind_led(retrieval, picked)
        first = replace(lead[0], ranked=picked[0].ranked if picked else None)
        rest = [p for p in picked if p.shown != first.shown]
        return [first, *rest][: self.settings.sentences]

    def _kind_led(self, retrieval: Retrieval, picked: list[Picked]) -> list[Picked]:
        """Led by a sentence holding what the question's kind asks for: a date bound to
        the event asked (いつ届く, いつ設置された: answer/event_date.py), from the picked
        sentences or the top passages; the count of all of a noun (年金事務所は何か所:
        answer/whole_count.py), from those or any passage; a measure, not a target, when it
        asks what is done (何をしている: answer/measure_lead.py), from those."""
        passages = [h.chunk for h in retrieval.hits[:DATED_PASSAGES]]
        question = retrieval.analysis.normalized_without_pages
        led = event_dated_lead(question, picked, passages)
        led = whole_count_lead(question, led, passages, retrieval.searcher.snapshot)
        led = measure_lead(question, led, passages)
        return led[: self.settings.sentences]

    @staticmethod
    def _ranked_as(own: list[Picked], picked: list[Picked]) -> list[Picked]:
        """``own`` with the first-statement score of the search's best sentence (what the
        decline model reads), as a lead takes it."""
        if not own:
            return []
        return [replace(own[0], ranked=picked[0].ranked if picked else own[0].ranked), *own[1:]]

    def _read(self, retrieval: Retrieval, quoted: list[Chunk]) -> list[Chunk]:
        """The passages a follow-up of its own kind reads, nearest the last answer first."""
        answered = quoted_passages(retrieval.searcher, retrieval.analysis)
        return beside_answered(answered, quoted, [h.chunk for h in retrieval.hits])

    def _year_plan(self, retrieval: Retrieval, quoted: list[Chunk]) -> list[Picked]:
        """The statements of the plan of the year the follow-up asks about
        (answer/year_plan.py), ranked as any answer's."""
        if not asks_for_the_plan(retrieval.analysis):
            return []
        chunks = year_plan_passages(retrieval.analysis, self._read(retrieval, quoted))
        return self._from(retrieval, chunks) if chunks else []

    def _means(
        self,
        retrieval: Retrieval,
        quoted: list[Chunk],
        keep: Callable[[str], bool] = states_means,
    ) -> list[Picked]:
        """For a follow-up asking how (or, with ``keep`` ``states_reason``, why): the
        statements of a means (a reason), from the passages beside the last answer's, then
        the search's (answer/followup_kinds.py)."""
        analysis = retrieval.analysis
        answered = quoted_passages(retrieval.searcher, analysis)
        figures = stated_figures(statement for statement, _ in analysis.previous_statements)
        beside = means_of_figure(answered, figures, keep)
        if not beside and keep is states_reason and answered:
            # A reason is asked of what was just said: the passage it quoted states it first.
            beside = self._from(retrieval, answered, keep=keep)[:1]
        found = self._from(retrieval, self._read(retrieval, quoted), keep=keep)
        found = [p for p in found if not said_before(analysis, p.shown)]
        return [*beside, *(p for p in found if p.shown not in {b.shown for b in beside})]

    def _when(self, retrieval: Retrieval, quoted: list[Chunk]) -> list[Picked]:
        """For a follow-up asking only when: the date stated in the passage of the measure
        the last answer gave (answer/followup_when.py); an answer sent back reworded is
        found again by its labels when they hold that one passage only."""
        answered = quoted_passages(retrieval.searcher, retrieval.analysis)
        if not answered and len(quoted) == 1:
            answered = quoted
        return when_statements(retrieval.analysis, answered)

    def _page_answer(self, retrieval: Retrieval, picked: list[Picked]) -> list[Picked]:
        """For a follow-up asking on which page: the pages of the last answer's passages
        (those it quoted, found again under its labels or by its figures), else of the
        search's answer on its topic, named before the statement (answer/followup_kinds.py)."""
        answered = quoted_passages(retrieval.searcher, retrieval.analysis)
        own = self._from(retrieval, answered) if answered else []
        return page_statement(self._ranked_as(own, picked) or picked)[: self.settings.sentences]

    def _from(
        self,
        retrieval: Retrieval,
        chunks: list[Chunk],
        keep: Callable[[str], bool] | None = None,
    ) -> list[Picked]:
        """The sentences that answer the whole question from ``chunks`` only; with ``keep``
        (a kind of statement asked for), from all of them: the kind narrows the candidates
        as the top contexts do for any other question."""
        analysis = retrieval.analysis
        lexical = retrieval.searcher.snapshot.lexical
        part = QuestionPart(analysis.search_text)
        width = len(chunks) if keep is not None else None
        limit = self.settings.sentences
        return self._select(analysis, part, chunks, limit, lexical, None, keep, width)

    def _picked(self, retrieval: Retrieval) -> list[Picked]:
        """The sentences that answer, from a named page's passages when the question names
        one, else from the top contexts, part by part; the first statement keeps the
        ranker's own score (what the decline model reads), without the follow-up prior."""
        ranker = self._ranker_for(retrieval)
        picked = self._picked_by(retrieval, ranker)
        return ranker.unprimed(picked) if isinstance(ranker, PriorRanker) else picked

    def _ranker_for(self, retrieval: Retrieval) -> Ranker | None:
        """The sentence ranker, with the follow-up prior (answer/followup_prior.py) over the
        passages the last answer quoted when the question is a follow-up on it."""
        analysis = retrieval.analysis
        if self.ranker is None or not self.followup_prior.active:
            return self.ranker
        if not analysis.previous_statements:
            return self.ranker
        quoted = quoted_passages(retrieval.searcher, analysis)
        page = labelled_passages(retrieval.searcher, analysis)
        return self.followup_prior.ranker(self.ranker, quoted, page)

    def _picked_by(self, retrieval: Retrieval, ranker: Ranker | None) -> list[Picked]:
        """``_picked`` under ``ranker``."""
        analysis = retrieval.analysis
        lexical = retrieval.searcher.snapshot.lexical
        named = [h.chunk for h in retrieval.hits if h.label_match]
        limit = self.settings.sentences
        dense = self._dense(retrieval)
        if named:
            # A question on a named page (中期P46の目標は？) is answered from that page.
            part = QuestionPart(analysis.text_without_pages)
            return self._select(
                analysis, part, named, limit, lexical, dense, ranker=ranker
            ) or digest(named, limit=limit)
        chunks = [h.chunk for h in retrieval.hits]
        parts = analysis.parts or (QuestionPart(analysis.search_text),)
        if len(parts) == 1:
            return self._select(analysis, parts[0], chunks, limit, lexical, dense, ranker=ranker)
        if all(part.subject for part in parts):
            # Two subjects each asked the same (AとBはそれぞれ何％？): the plans often state
            # both side by side, and a first statement of the whole question that names
            # both answers both; else each subject is answered on its own.
            one = QuestionPart(analysis.search_text)
            whole = self._select(
                replace(analysis, parts=(one,)), one, chunks, limit, lexical, dense, ranker=ranker
            )
            if whole and _names_each(compose(whole).split("\n")[0], parts):
                return whole
        share = max(1, limit // len(parts))
        chosen = [
            self._select(analysis, part, chunks, share, lexical, dense, ranker=ranker)
            for part in parts
        ]
        reads = self._parts_read(retrieval, parts, chunks)
        for number, (part, (read, width)) in enumerate(zip(parts, reads, strict=True)):
            if width is not None and _lead_of_another(chosen, number):
                # Two parts ask two things: a part led by a statement another part chose
                # was answered by that part's passage, and reads its own best ones too.
                chosen[number] = self._select(
                    analysis, part, read, share, lexical, dense, width=width, ranker=ranker
                )
        return parts_answered(chosen)[:limit]

    def _parts_read(
        self, retrieval: Retrieval, parts: tuple[QuestionPart, ...], chunks: list[Chunk]
    ) -> list[tuple[list[Chunk], int | None]]:
        """The passages a part led by another part's statement reads, and how many: the
        question's first contexts, then the part's own search's first ones (as many), as
        when it is asked alone. The merged list takes the parts' passages in turn after the
        whole question's, so a part whose best passages rank below the other part's second
        ones (持ち主不明記録 … / ねんきん定期便は電子化…) was read without them and led by a
        statement the other part chose (ねんきん定期便 named, 電子化 not). A side of a
        comparison reads its own kind of passage from all of them already (width None)."""
        width = self.settings.contexts
        own = retrieval.part_hits
        if len(own) != len(parts):
            return [(chunks, None)] * len(parts)
        read: list[tuple[list[Chunk], int | None]] = []
        for part, hits in zip(parts, own, strict=True):
            if part.side is not None:
                read.append((chunks, None))
                continue
            both = {c.id: c for c in [*chunks[:width], *(h.chunk for h in hits[:width])]}
            read.append((list(both.values()), len(both)))
        return read

    def _dense(self, retrieval: Retrieval) -> tuple[np.ndarray, DenseSentences] | None:
        """The question's dense vector, the one its search encoded (each part of a
        two-part question is read against the whole question's: a part is never encoded
        again), and the generation's sentence vectors, when the ranker weighs them."""
        if not getattr(self.ranker, "uses_dense", False):
            return None
        stored = retrieval.searcher.snapshot.dense_sentences
        if stored is None:
            return None
        query = retrieval.searcher.query_vector(retrieval.analysis.search_text)
        return None if query is None else (query, stored)

    def _select(
        self,
        analysis: QuestionAnalysis,
        part: QuestionPart,
        chunks: list[Chunk],
        limit: int,
        lexical: LexicalSearcher,
        dense: tuple[np.ndarray, DenseSentences] | None = None,
        keep: Callable[[str], bool] | None = None,
        width: int | None = None,
        ranker: Ranker | None = None,
    ) -> list[Picked]:
        ranker = ranker or self.ranker
        kind_weights = analysis.answer_kind_weights(self.settings.kind_weight, part.side)
        coverage = QuestionCoverage(
            part.text,
            lexical,
            kind_weights,
            getattr(ranker, "uses_similarity", False),
            dense,
        )
        contexts = chunks[: width or self.settings.contexts]
        if part.side is not None:
            # One side of a comparison is answered from its own document only: the plan's
            # measures, or the results report (its results and the plans it restates).
            kinds = MEASURE_KINDS if part.side == "plan" else EARLIER_PERIOD_KINDS
            contexts = [c for c in chunks if c.kind in kinds][: self.settings.contexts]
        elif analysis.asks_results_year_plan:
            # The plan of the year the results report reports is stated in one place, the
            # report's （令和５年度計画） blocks (answer/year_plan.py): those answer it, when
            # read, and neither that year's results nor the 4th plan's measures.
            year_plans = [c for c in contexts if c.kind == RESULTS_PLAN_KIND]
            contexts = year_plans or contexts
        elif isinstance(ranker, PriorRanker):
            # A follow-up on the last answer reads its pages' passages too.
            contexts = ranker.contexts(contexts)
        elif analysis.names_review:
            # The review column (振り返り) is read where the search put it among the
            # passages read, as one side of a comparison is: its own passages answer.
            reviews = [c for c in chunks if c.kind == REVIEW_KIND][: self.settings.contexts]
            contexts = reviews or contexts
        # A question about this plan's measures is not answered by what was done before
        # it: a results passage joins only as a near tie. The reverse does not hold: the
        # plan often restates a result (電子申請割合 64.6%（令和4年度）).
        asks_for_measures = MEASURE_KINDS.issubset(kind_weights)
        figure = asked_figure(part.normalized)
        picked = select(
            contexts,
            coverage,
            figure=figure,
            limit=limit,
            tie_only_kinds=EARLIER_PERIOD_KINDS if asks_for_measures else frozenset(),
            ranker=ranker,
            admission=self.admission,
            question=part.normalized,
            asking=Asking(
                multi_part=len(analysis.parts) > 1 or part.side is not None,
                follow_up=analysis.is_followup,
            ),
            keep=keep,
        )
        # A first statement lacking the asked figure runs on through the list of short
        # figures it introduces (answer/listed_figures.py).
        picked = continued(picked, figure)
        # The part's first statement leads with the clause of the asked figure when long.
        # A follow-up asks what its own words ask: the figure the turn before asked for was
        # given then (どうやって上げた？ after a rate asks how), so only a figure the
        # follow-up itself asks for cuts.
        if self.clause_cut is None:
            return picked
        if analysis.is_followup and asked_figure(analysis.normalized) is None:
            return picked
        return self.clause_cut.lead(picked, figure, part.normalized)


def _lead_of_another(chosen: list[list[Picked]], number: int) -> bool:
    """Whether the lead ``chosen[number]`` opens with is a statement another part chose."""
    if not chosen[number]:
        return False
    lead = chosen[number][0].shown
    return any(
        item.shown == lead
        for other, statements in enumerate(chosen)
        if other != number
        for item in statements
    )


def _names_each(statement: str, parts: tuple[QuestionPart, ...]) -> bool:
    """Whether ``statement`` names every part's subject (one of its compounds, in NFKC)."""
    text = nfkc(statement)
    return all(any(name in text for name in part.subject) for part in parts)


def parts_answered(chosen: list[list[Picked]]) -> list[Picked]:
    """The statements each part of a question chose, in order, each once, marked with the
    part it answers (``Picked.part``), for compose to say the parts' leads together.

    A part's lead stays that part's even when an earlier part already admitted it as a
    further statement. A part whose lead is the first statement is answered by the first
    line: its further statements are that line's, and none of them leads a part of its own
    (else compose would join a further statement to the first line)."""
    picked: dict[str, Picked] = {}
    for number, statements in enumerate(chosen):
        lead = statements[0].shown if statements else None
        first = next(iter(picked), None)
        owner = picked[first].part if lead is not None and lead == first else number
        for item in statements:
            picked.setdefault(item.shown, replace(item, part=owner))
        if lead is not None and lead != next(iter(picked)):
            picked[lead] = replace(picked[lead], part=number)
    return list(picked.values())
