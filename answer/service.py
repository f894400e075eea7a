"""The answer service behind /ask: analyse the question once, retrieve, decide, answer, cite.

Extractive by default (offline, deterministic); through an LLM when one is configured,
falling back to the extractive answer on any endpoint error or when none of the model's
citations survive the check.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread

from answer.coverage import QuestionCoverage
from answer.decline import DeclineModel, DeclineSignals
from answer.extractive import Picked, asked_figure, compose, select
from answer.llm import DECLINE_MARK, LlmAnswerer, LlmError, check_citations
from answer.page_digest import asks_for_figures, asks_only_for_page, digest
from answer.responses import citations_for, declined, no_such_page, quote_for
from answer.schemas import AskRequest, AskResponse, Citation, Context
from answer.signals import decline_note, decline_signals, missing_subject
from answer.trace_sides import complete_sides
from index.lexical import LexicalSearcher
from index.live import LiveIndex
from index.retriever import Filters, Hit, HybridSearcher
from index.snapshot import Snapshot
from ingest.model import Chunk
from planqa.settings import Settings
from plantrace.view import TraceResponse, trace_view
from question import QuestionAnalysis, QuestionPart, analyse
from question.intent import EARLIER_PERIOD_KINDS, MEASURE_KINDS

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


class QuestionError(ValueError):
    """A question the service cannot take (empty, bad filter)."""


class QuestionTooLongError(QuestionError):
    """Longer than ``api.max_question_chars``."""


class IndexUnavailableError(RuntimeError):
    """No index is loaded yet."""


@dataclass
class Retrieval:
    analysis: QuestionAnalysis
    hits: list[Hit]
    # The index generation this request reads throughout, even if a re-index swaps in
    # another meanwhile, and the filters it was asked with.
    searcher: HybridSearcher
    filters: Filters


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

    # --- checks -------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        text = question.strip()
        if not text:
            raise QuestionError("質問が空です。質問を入力してください。 / The question is empty.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate (\ud800) is no text
            raise QuestionError(
                "質問に文字として読めない符号が含まれています。 "
                "/ The question holds a code point that is not a character (a lone surrogate)."
            ) from error
        if not any(char.isalnum() for char in text):  # NULs, bidi marks, emoji: nothing to find
            raise QuestionError(
                "質問に言葉がありません。言葉で質問してください。 "
                "/ The question has no words (only symbols, emoji or control characters)."
            )
        limit = self.settings.api.max_question_chars
        if len(text) > limit:
            raise QuestionTooLongError(
                f"質問が長すぎます（{len(text)}文字、上限{limit}文字）。 "
                f"/ The question is too long ({len(text)} > {limit} characters)."
            )
        return text

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

    def trace_of(self, label: str) -> TraceResponse | None:
        """The plan ↔ results trace around a canonical label; a 資料 page inside a section
        answers for its section, as /refs does."""
        searcher = self._searcher()
        found = searcher.resolve_label(label)
        if found is None:
            return None
        view = trace_view(searcher.snapshot.trace, searcher.snapshot.by_id, found)
        if view is not None:
            view.label = label
        return view

    def _searcher(self) -> HybridSearcher:
        searcher = self.live.searcher
        if searcher is None:
            raise IndexUnavailableError(
                "索引が読み込まれていません。管理者が planqa index を実行してください。 "
                "/ no index is loaded; run 'planqa index'"
            )
        return searcher

    # --- retrieval ----------------------------------------------------------------------
    def search(self, query: str, top_k: int, filters: dict | None = None) -> list[Hit]:
        query = self.check_question(query)
        with self.live.lease():
            return self._searcher().search(analyse(query), top_k, _parse_filters(filters))

    async def search_in_worker(
        self, query: str, top_k: int, filters: dict | None = None
    ) -> list[Hit]:
        """``search`` in the answer worker: the same CPU work as an answer's retrieval, so
        it queues with the answers instead of taking a second thread from the event loop."""
        return await to_thread.run_sync(
            self.search, query, top_k, filters, limiter=_answer_workers()
        )

    async def _retrieve(self, request: AskRequest) -> Retrieval:
        question = self.check_question(request.question)
        filters = _parse_filters(request.filters)
        searcher = self._searcher()
        analysis = analyse(question, request.history)
        if self.llm is not None and analysis.is_followup:
            try:
                condensed = self.check_question(await self.llm.condense(question, request.history))
                analysis = analyse(condensed)
            except LlmError as error:
                log.warning("condensing the follow-up failed: %s", error)
        hits = searcher.search(analysis, request.top_k, filters)
        if len(analysis.parts) > 1 and not analysis.page_refs:
            # Each part (each side of a comparison) brings its own best passages, after the
            # best of the whole question.
            per_part = [
                searcher.search(analysis.part(part), request.top_k, filters, dense=False)
                for part in analysis.parts
            ]
            hits = _interleave([hits, *per_part], request.top_k)
        return Retrieval(analysis, hits, searcher, filters)

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
        retrieval = await self._retrieve(request)
        analysis = retrieval.analysis
        page_digest = self._page_digest(retrieval)
        if page_digest:
            retrieval.hits = _lead_with(
                [p.chunk for p in page_digest], retrieval.hits, request.top_k
            )
        contexts = [Context.from_chunk(h.chunk, h.score) for h in retrieval.hits]
        question = analysis.search_text
        if analysis.page_refs and not any(h.label_match for h in retrieval.hits):
            return no_such_page(contexts, analysis), None
        if not retrieval.hits:
            notes = ["該当する箇所が見つかりません / nothing was found"]
            return declined(contexts, question, notes), None
        chunks = [h.chunk for h in retrieval.hits]
        notes: list[str] = []
        if self.llm is not None:
            generated = await self._llm_answer(question, chunks, notes)
            if generated is not None:
                generated.contexts = contexts
                return generated, None
        lexical = retrieval.searcher.snapshot.lexical
        named = [h.chunk for h in retrieval.hits if h.label_match]
        if page_digest:
            picked = page_digest
        elif named:
            # A question on a named page (中期P46の目標は？) is answered from that page.
            part = QuestionPart(analysis.text_without_pages)
            picked = self._select(analysis, part, named, self.settings.answer.sentences, lexical)
            picked = picked or digest(named, limit=self.settings.answer.sentences)
        else:
            picked = self._pick(analysis, chunks, lexical)
        signals = None
        if not any(h.label_match for h in retrieval.hits):
            signals, details = self.signals(retrieval, picked)
            # Nothing picked is never an empty answer, whatever the model says.
            against = self.decline_model.against(signals) if picked else "no_sentence"
            if against:
                note = decline_note(against, signals, details, analysis)
                probability = self.decline_model.probability(signals)
                missing = missing_subject(against, details, analysis)
                return declined(
                    contexts, question, [*notes, f"{note}（p={probability:.2f}）"], missing
                ), signals
        snapshot = retrieval.searcher.snapshot
        picked = complete_sides(
            analysis,
            picked,
            snapshot.trace,
            snapshot.by_id,
            latest_result=self.settings.trace.latest_result,
        )
        response = AskResponse(
            answer=compose(picked),
            answered=True,
            citations=citations_for(picked),
            contexts=contexts,
            mode="extractive",
            question_used=question,
            notes=notes,
        )
        return response, signals

    def signals(
        self, retrieval: Retrieval, picked: list[Picked]
    ) -> tuple[DeclineSignals, dict[str, list[str]]]:
        """What the decline model reads about this answer, and what a note names."""
        return decline_signals(
            retrieval.analysis,
            [h.chunk for h in retrieval.hits],
            picked,
            retrieval.searcher.snapshot,
            self.settings.answer.known_word_similarity,
        )

    def _pick(
        self, analysis: QuestionAnalysis, chunks: list[Chunk], lexical: LexicalSearcher
    ) -> list[Picked]:
        """The answer's sentences; a question in parts (or asking for both the plan and the
        results) gets its share for each part, each from its own passages."""
        limit = self.settings.answer.sentences
        parts = analysis.parts or (QuestionPart(analysis.search_text),)
        if len(parts) == 1:
            return self._select(analysis, parts[0], chunks, limit, lexical)
        picked: dict[str, Picked] = {}
        share = max(1, limit // len(parts))
        for part in parts:
            for item in self._select(analysis, part, chunks, share, lexical):
                picked.setdefault(item.shown, item)
        return list(picked.values())[:limit]

    def _select(
        self,
        analysis: QuestionAnalysis,
        part: QuestionPart,
        chunks: list[Chunk],
        limit: int,
        lexical: LexicalSearcher,
    ) -> list[Picked]:
        answer = self.settings.answer
        kind_weights = analysis.answer_kind_weights(answer.kind_weight, part.side)
        coverage = QuestionCoverage(part.text, lexical, kind_weights)
        contexts = chunks[: answer.contexts]
        if part.side is not None:
            # One side of a comparison is answered from its own document only: the plan's
            # measures, or the results report (its results and the plans it restates).
            kinds = MEASURE_KINDS if part.side == "plan" else EARLIER_PERIOD_KINDS
            contexts = [c for c in chunks if c.kind in kinds][: answer.contexts]
        # A question about this plan's measures is not answered by what was done before
        # it: a results passage joins only as a near tie. The reverse does not hold: the
        # plan often restates a result (電子申請割合 64.6%（令和4年度）).
        asks_for_measures = MEASURE_KINDS.issubset(kind_weights)
        return select(
            contexts,
            coverage,
            figure=asked_figure(part.text),
            limit=limit,
            tie_only_kinds=EARLIER_PERIOD_KINDS if asks_for_measures else frozenset(),
        )

    def _page_digest(self, retrieval: Retrieval) -> list[Picked]:
        """The digest of the pages a question names when it asks for nothing else."""
        searcher = retrieval.searcher
        terms_of = searcher.snapshot.lexical.cached_terms
        if not asks_only_for_page(retrieval.analysis, terms_of):
            return []
        named = searcher.named_chunks(retrieval.analysis, retrieval.filters)
        chunks = [chunk for found in named.values() for chunk in found]
        return digest(
            chunks,
            limit=self.settings.answer.sentences,
            figures=asks_for_figures(retrieval.analysis, terms_of),
        )

    async def _llm_answer(
        self, question: str, chunks: list[Chunk], notes: list[str]
    ) -> AskResponse | None:
        assert self.llm is not None
        try:
            raw = await self.llm.answer(question, chunks)
        except LlmError as error:
            notes.append(
                f"LLM に接続できないため抜粋回答です / LLM unavailable, extractive answer instead: {error}"
            )
            return None
        if DECLINE_MARK in raw and "【" not in raw:
            return declined([], question, notes)
        allowed = {label for chunk in chunks for label in chunk.labels}
        checked = check_citations(raw, allowed)
        if checked.removed:
            removed = ", ".join(checked.removed)
            notes.append(
                f"根拠にないラベルを削除しました: {removed} / removed labels not found in the passages: {removed}"
            )
        if not checked.labels:
            notes.append(
                "LLM の回答に有効な出典がないため抜粋回答です / "
                "no valid citation in the LLM answer; extractive answer instead"
            )
            return None
        citations = []
        for label in checked.labels:
            chunk = next(c for c in chunks if label in c.labels)
            citations.append(Citation.of(label, chunk, quote_for(chunk, raw)))
        return AskResponse(
            answer=checked.text,
            answered=True,
            citations=citations,
            contexts=[],
            mode="llm",
            question_used=question,
            notes=notes,
        )

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


def _lead_with(chunks: list[Chunk], hits: list[Hit], k: int) -> list[Hit]:
    """``hits`` reordered so ``chunks`` come first (a chunk not among them joins as a label
    match), cut to ``k`` but never before the last of ``chunks``: the answer cites them."""
    by_id = {h.chunk.id: h for h in hits}
    lead: dict[str, Hit] = {}
    for chunk in chunks:
        lead.setdefault(chunk.id, by_id.get(chunk.id) or Hit(chunk, 1.0, label_match=True))
    rest = [h for h in hits if h.chunk.id not in lead]
    return [*lead.values(), *rest][: max(k, len(lead))]


def _interleave(rankings: list[list[Hit]], k: int) -> list[Hit]:
    """The hits of each part's search in turn (1st of each, then 2nd …), each chunk once:
    every part of a question reaches the answer's contexts, not only the wordier one."""
    merged: dict[str, Hit] = {}
    for rank in range(max(map(len, rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking):
                merged.setdefault(ranking[rank].chunk.id, ranking[rank])
    return list(merged.values())[:k]


def _parse_filters(filters: dict | None) -> Filters:
    try:
        return Filters.from_mapping(filters)
    except ValueError as error:
        raise QuestionError(str(error)) from error


__all__ = [
    "AnswerService",
    "IndexUnavailableError",
    "QuestionError",
    "QuestionTooLongError",
]
