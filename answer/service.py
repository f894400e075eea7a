"""The answer service behind /ask: one question through six stages, each once.

analyse (``question.analyse``) → retrieve (answer/retrieve.py) → rank
(answer/rank.py, with the sentence ranker) → decide (answer/decide.py) → compose and cite
(answer/compose.py). Extractive by default (offline, deterministic); through an LLM when
one is configured (answer/generated.py), falling back to the extractive answer on any
endpoint error or when none of the model's citations survive the check.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread

from answer.admission import Admission
from answer.clause import ClauseCut
from answer.compose import extractive_response
from answer.decide import decide
from answer.decline import DeclineModel, DeclineSignals
from answer.errors import (
    IndexUnavailableError,
    QuestionError,
    QuestionTooLongError,
    checked_question,
    deleted_index_message,
)
from answer.extractive import Ranker
from answer.filter_match import check_filters_match, label_reader, seen_in
from answer.followup_prior import FollowupPrior
from answer.generated import generated_answer
from answer.llm import LlmAnswerer, LlmError
from answer.rank import SentenceSelection
from answer.ranker import SentenceRanker
from answer.responses import asks_document, asks_in_japanese, asks_referent, declined, no_such_page
from answer.retrieve import Retrieval, lead_with, parse_filters, retrieve
from answer.schemas import AskRequest, AskResponse, Context
from answer.source_titles import with_titles_as_sources
from index.filters import Filters
from index.live import LiveIndex
from index.retriever import Hit, HybridSearcher
from index.snapshot import Snapshot
from ingest.model import Chunk
from planqa.settings import Settings
from plantrace.view import TraceResponse, trace_view
from question import QuestionAnalysis, analyse
from question.page_refs import page_labels

log = logging.getLogger("planqa.answer")
T = TypeVar("T")

# Answers computed at once. The work holds the GIL, so a second thread adds no throughput
# and delays the event loop's turn: under 64 clients on 2 cores (bench/fault_load.py), one
# worker gave 134 answers/s and /health p95 7 ms, two 96 answers/s and p95 128 ms; answers
# on the event loop itself made /health wait 1.7 s.
ANSWER_WORKERS = 1
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _answer_workers() -> CapacityLimiter:
    """One limiter per event loop (a limiter belongs to the loop it was made in)."""
    loop = asyncio.get_running_loop()
    if loop not in _limiters:
        _limiters[loop] = CapacityLimiter(ANSWER_WORKERS)
    return _limiters[loop]


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        live: LiveIndex,
        llm: LlmAnswerer | None = None,
        decline_model: DeclineModel | None = None,
    ) -> None:
        self.settings = settings
        self.live = live
        self.llm = llm
        self.decline_model = decline_model or DeclineModel.load(settings.answer.decline_model)
        # The fitted sentence ranker (data/answer/ranker.json); None: the hand-set score.
        # The fitted admission (data/answer/admission.json); None: the hand-set shares.
        # The fitted clause cut (data/answer/clause.json); None: whole sentences.
        self.selection = SentenceSelection(
            settings.answer,
            SentenceRanker.load(settings.answer.ranker_model),
            Admission.load(settings.answer.admission_model),
            ClauseCut.load(settings.answer.clause_model),
            FollowupPrior.load(settings.answer.followup_prior_model),
        )

    @property
    def ranker(self) -> Ranker | None:
        return self.selection.ranker

    @ranker.setter
    def ranker(self, ranker: Ranker | None) -> None:
        self.selection.ranker = ranker

    # --- checks and lookups -------------------------------------------------------------
    def check_question(self, question: str) -> str:
        return checked_question(question, self.settings.api.max_question_chars)

    def snapshot(self) -> Snapshot:
        """The index generation requests are answered from now."""
        return self._searcher().snapshot

    def passages_of(self, label: str) -> tuple[list[Chunk], str | None]:
        """Chunks carrying ``label``, and None; for a 資料 page inside a section (資料1-4 P60),
        the chunks of that section and the label it starts at (資料1-4 P56)."""
        searcher = self._searcher()
        found = searcher.resolve_label(label)
        if found is None:
            return [], None
        return searcher.label_chunks(found), (None if found == label else found)

    def trace_of(self, label: str, metric: str | None = None) -> TraceResponse | None:
        """The plan ↔ results trace around a canonical label; a 資料 page inside a section
        answers for its section, as /refs does. ``metric`` puts that metric's figures first."""
        searcher = self._searcher()
        found = searcher.resolve_label(label)
        if found is None:
            return None
        view = trace_view(searcher.snapshot.trace, searcher.snapshot.by_id, found, metric)
        if view is not None:
            view.label = label
        return view

    def _searcher(self) -> HybridSearcher:
        """The generation to answer from: the caller's lease (which switched away from a
        deleted generation when it was taken), else the live one; a deleted one is refused.
        One ``stat`` when the generation is on disk, as it is but for a deletion."""
        searcher = self.live.searcher
        if searcher is not None and not searcher.snapshot.generation.is_dir():
            self.live.follow_deleted()  # unleased: the published one may replace it
            searcher = self.live.searcher
        if searcher is None:
            raise IndexUnavailableError(
                "索引が読み込まれていません。管理者が planqa index を実行してください。 "
                "/ no index is loaded; run 'planqa index'"
            )
        if not searcher.snapshot.generation.is_dir():
            self._refuse_deleted(searcher.snapshot.generation.name)
        return searcher

    def check_ready(self) -> None:
        """Refuse at once (``IndexUnavailableError``) when no index could answer: none is
        loaded, or the served one was deleted with none published to switch to. Loads
        nothing: /ask/stream calls it on the event loop before its stream starts."""
        if self.live.searcher is None:
            self._searcher()
        gone = self.live.deleted()
        if gone is not None and self.live.published() in (None, gone):
            self._refuse_deleted(gone.name)

    def checked_filters(self, filters: dict | None) -> Filters:
        """The filters of a request, refused (QuestionError, FilterMatchError) when malformed
        or when no passage of the served index meets them (answer/filter_match.py)."""
        snapshot = self._searcher().snapshot
        parsed = parse_filters(filters, label_reader(snapshot.answer_labels))
        if parsed.source:  # a document's title sent as its source: read as its file
            seen = seen_in(snapshot.chunks)  # the generation's filter values, read once
            parsed = with_titles_as_sources(parsed, seen.known["source"], seen.titles)
        check_filters_match(parsed, snapshot.chunks)
        return parsed

    def _refuse_deleted(self, gone: str) -> None:
        published = self.live.published()
        raise IndexUnavailableError(
            deleted_index_message(gone, published.name if published is not None else None)
        )

    # --- search -------------------------------------------------------------------------
    def search(self, query: str, top_k: int, filters: dict | None = None) -> list[Hit]:
        query = self.check_question(query)
        with self.live.lease():
            parsed = self.checked_filters(filters)
            searcher = self._searcher()
            analysis = analyse(query, documents=searcher.snapshot.document_names)
            return searcher.search(analysis, top_k, parsed)

    async def search_in_worker(
        self, query: str, top_k: int, filters: dict | None = None
    ) -> list[Hit]:
        """``search`` in the answer worker: the same CPU work as an answer's retrieval, so
        it queues with the answers instead of taking a second thread from the event loop."""
        return await to_thread.run_sync(
            self.search, query, top_k, filters, limiter=_answer_workers()
        )

    # --- answering ----------------------------------------------------------------------
    async def answer(self, request: AskRequest) -> AskResponse:
        response, _ = await self.assess(request)
        return response

    async def assess(self, request: AskRequest) -> tuple[AskResponse, DeclineSignals | None]:
        """The response, and the signals the decline model read (None when it was not
        asked: a named page, an LLM answer, nothing retrieved).

        The request holds a lease on the index generation until the answer is composed
        (a re-index closes a replaced generation only after its last request). Extractive
        answering is pure CPU work: it runs in a worker thread (``ANSWER_WORKERS`` at a
        time), so the event loop keeps serving /health and other connections under load."""
        if self.llm is None:
            return await to_thread.run_sync(self._assess_leased, request, limiter=_answer_workers())
        with self.live.lease():
            return await self._assess(request)

    def _assess_leased(self, request: AskRequest) -> tuple[AskResponse, DeclineSignals | None]:
        with self.live.lease():
            return _without_suspending(self._assess(request))

    async def _assess(self, request: AskRequest) -> tuple[AskResponse, DeclineSignals | None]:
        question = self.check_question(request.question)
        filters = self.checked_filters(request.filters)
        analysis = await self._analyse(question, request)
        if analysis.unresolved_reference:
            return asks_referent(analysis), None
        if analysis.unnamed_pages:
            labels = [
                label
                for page in analysis.unnamed_pages
                for label in page_labels(page)
                if self.passages_of(label)[0]
            ]
            return asks_document(analysis, labels), None
        retrieval = retrieve(self._searcher(), analysis, request.top_k, filters)
        page_digest = self.selection.page_digest(retrieval)
        if page_digest:
            chunks = [p.chunk for p in page_digest]
            retrieval.hits = lead_with(chunks, retrieval.hits, request.top_k)
        contexts = [Context.from_chunk(h.chunk, h.score) for h in retrieval.hits]
        if analysis.page_refs and not any(h.label_match for h in retrieval.hits):
            return no_such_page(contexts, analysis), None
        if analysis.in_another_language:
            return asks_in_japanese(contexts, analysis), None
        if not retrieval.hits:
            notes = ["該当する箇所が見つかりません / nothing was found"]
            return declined(contexts, analysis.search_text, notes), None
        notes: list[str] = []
        if self.llm is not None:
            chunks = [h.chunk for h in retrieval.hits]
            generated = await generated_answer(
                self.llm,
                analysis.search_text,
                chunks,
                notes,
                retrieval.searcher.snapshot.page_documents,
            )
            if generated is not None:
                generated.contexts = contexts
                return generated, None
        picked = page_digest or self.selection.picked(retrieval)
        decision = decide(retrieval, picked, self.decline_model, self.settings.answer)
        if decision.decline_note is not None:
            notes.append(decision.decline_note)
            declined_response = declined(contexts, analysis.search_text, notes, decision.missing)
            return declined_response, decision.signals
        response = extractive_response(
            retrieval,
            picked,
            contexts,
            notes,
            latest_result=self.settings.trace.latest_result,
            topic_share=self.settings.answer.topic_share,
        )
        return response, decision.signals

    async def _analyse(self, question: str, request: AskRequest) -> QuestionAnalysis:
        """The one analysis of the question; with an LLM, a follow-up condensed by it."""
        documents = self.snapshot().document_names
        analysis = analyse(question, request.history, documents)
        if self.llm is not None and analysis.is_followup:
            try:
                condensed = self.check_question(await self.llm.condense(question, request.history))
                analysis = analyse(condensed, documents=documents)
            except LlmError as error:
                log.warning("condensing the follow-up failed: %s", error)
        return analysis

    async def answer_events(self, request: AskRequest) -> AsyncIterator[tuple[str, dict]]:
        """Server-sent events: each answer sentence, then the whole response."""
        response = await self.answer(request)
        for line in response.answer.split("\n"):
            if line:
                yield "sentence", {"text": line}
        yield "final", response.model_dump()


def _without_suspending(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never awaits anything pending: an extractive answer
    (no LLM) is pure computation. Driving it directly spares each request an event loop of
    its own (asyncio.run: 0.2 ms and a selector per request in the answer thread)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("an extractive answer waited on something; it must not")


__all__ = [
    "AnswerService",
    "IndexUnavailableError",
    "QuestionError",
    "QuestionTooLongError",
    "Retrieval",
]
