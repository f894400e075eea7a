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

from dataclasses import replace

import numpy as np

from answer.admission import Admission, Asking
from answer.clause import ClauseCut
from answer.coverage import QuestionCoverage
from answer.extractive import Picked, Ranker, asked_figure, compose, select
from answer.other_year import other_year_statements
from answer.page_digest import asks_for_figures, asks_only_for_page, digest
from answer.retrieve import Retrieval, labelled_passages, said_before
from answer.stated_target import stated_target_statements
from index.dense_sentences import DenseSentences
from index.lexical import LexicalSearcher
from ingest.model import Chunk
from planqa.settings import AnswerSettings
from question import QuestionAnalysis, QuestionPart
from question.intent import EARLIER_PERIOD_KINDS, MEASURE_KINDS
from question.normal import nfkc


class SentenceSelection:
    """The answer's sentences for one retrieval, under the answer settings and a ranker."""

    def __init__(
        self,
        settings: AnswerSettings,
        ranker: Ranker | None,
        admission: Admission | None = None,
        clause_cut: ClauseCut | None = None,
    ) -> None:
        self.settings = settings
        self.ranker = ranker
        self.admission = admission
        self.clause_cut = clause_cut

    def page_digest(self, retrieval: Retrieval) -> list[Picked]:
        """The digest of the pages a question names when it asks for nothing else."""
        searcher = retrieval.searcher
        terms_of = searcher.snapshot.lexical.cached_terms
        if not asks_only_for_page(retrieval.analysis, terms_of):
            return []
        named = searcher.named_chunks(retrieval.analysis, retrieval.filters)
        chunks = [chunk for found in named.values() for chunk in found]
        return digest(
            chunks,
            limit=self.settings.sentences,
            figures=asks_for_figures(retrieval.analysis, terms_of),
        )

    def picked(self, retrieval: Retrieval) -> list[Picked]:
        """The sentences that answer; for a follow-up that asks only for another year, the
        statement of that year's figure in the passages the last answer quoted leads
        (answer/other_year.py), and for one that asks only for the target, the target the
        results report states beside the result just given (answer/stated_target.py); the
        lead takes the first-statement score of the search's best sentence."""
        picked = self._picked(retrieval)
        # The last answer's own statement is not the follow-up's answer when another is.
        new = [p for p in picked if not said_before(retrieval.analysis, p.shown)]
        picked = new or picked
        quoted = labelled_passages(retrieval.searcher, retrieval.analysis)
        lead = other_year_statements(retrieval.analysis, quoted) or stated_target_statements(
            retrieval.analysis, quoted
        )
        if not lead:
            return picked
        first = replace(lead[0], ranked=picked[0].ranked if picked else None)
        rest = [p for p in picked if p.shown != first.shown]
        return [first, *rest][: self.settings.sentences]

    def _picked(self, retrieval: Retrieval) -> list[Picked]:
        """The sentences that answer, from a named page's passages when the question names
        one, else from the top contexts, part by part."""
        analysis = retrieval.analysis
        lexical = retrieval.searcher.snapshot.lexical
        named = [h.chunk for h in retrieval.hits if h.label_match]
        limit = self.settings.sentences
        dense = self._dense(retrieval)
        if named:
            # A question on a named page (中期P46の目標は？) is answered from that page.
            part = QuestionPart(analysis.text_without_pages)
            return self._select(analysis, part, named, limit, lexical, dense) or digest(
                named, limit=limit
            )
        chunks = [h.chunk for h in retrieval.hits]
        parts = analysis.parts or (QuestionPart(analysis.search_text),)
        if len(parts) == 1:
            return self._select(analysis, parts[0], chunks, limit, lexical, dense)
        if all(part.subject for part in parts):
            # Two subjects each asked the same (AとBはそれぞれ何％？): the plans often state
            # both side by side, and a first statement of the whole question that names
            # both answers both; else each subject is answered on its own.
            one = QuestionPart(analysis.search_text)
            whole = self._select(
                replace(analysis, parts=(one,)), one, chunks, limit, lexical, dense
            )
            if whole and _names_each(compose(whole).split("\n")[0], parts):
                return whole
        picked: dict[str, Picked] = {}
        share = max(1, limit // len(parts))
        for part in parts:
            for item in self._select(analysis, part, chunks, share, lexical, dense):
                picked.setdefault(item.shown, item)
        return list(picked.values())[:limit]

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
    ) -> list[Picked]:
        kind_weights = analysis.answer_kind_weights(self.settings.kind_weight, part.side)
        coverage = QuestionCoverage(
            part.text,
            lexical,
            kind_weights,
            getattr(self.ranker, "uses_similarity", False),
            dense,
        )
        contexts = chunks[: self.settings.contexts]
        if part.side is not None:
            # One side of a comparison is answered from its own document only: the plan's
            # measures, or the results report (its results and the plans it restates).
            kinds = MEASURE_KINDS if part.side == "plan" else EARLIER_PERIOD_KINDS
            contexts = [c for c in chunks if c.kind in kinds][: self.settings.contexts]
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
            ranker=self.ranker,
            admission=self.admission,
            question=part.normalized,
            asking=Asking(
                multi_part=len(analysis.parts) > 1 or part.side is not None,
                follow_up=analysis.is_followup,
            ),
        )
        # The part's first statement leads with the clause of the asked figure when long.
        # A follow-up asks what its own words ask: the figure the turn before asked for was
        # given then (どうやって上げた？ after a rate asks how), so only a figure the
        # follow-up itself asks for cuts.
        if self.clause_cut is None:
            return picked
        if analysis.is_followup and asked_figure(analysis.normalized) is None:
            return picked
        return self.clause_cut.lead(picked, figure, part.normalized)


def _names_each(statement: str, parts: tuple[QuestionPart, ...]) -> bool:
    """Whether ``statement`` names every part's subject (one of its compounds, in NFKC)."""
    text = nfkc(statement)
    return all(any(name in text for name in part.subject) for part in parts)
