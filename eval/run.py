"""Running the retrieval evaluation against the live index and the naive baseline."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.gold import GoldQuestion
from eval.retrieval import NaiveBaseline, SystemReport, evaluate, format_table
from index.encoders import Encoder
from index.loader import load_searcher
from ingest.pipeline import expand_paths
from planqa.settings import Settings

# question, history (/ask's field) → the text to search; how the service resolves follow-ups.
Standalone = Callable[[str, list[dict[str, str]]], str]


class RetrievalEvalError(ValueError):
    """The retrieval evaluation has nothing to measure (no answerable question)."""


@dataclass
class RetrievalEvaluation:
    ours: SystemReport
    baseline: SystemReport | None
    followups_as_typed: int = 0

    @property
    def reports(self) -> list[SystemReport]:
        return [r for r in (self.ours, self.baseline) if r is not None]

    def table(self) -> str:
        table = format_table(self.reports)
        if self.followups_as_typed:
            table += (
                f"\n{self.followups_as_typed} follow-up questions were searched as typed, "
                "without their history"
            )
        return table

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {r.name: r.to_dict() for r in self.reports}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def run_retrieval_eval(
    settings: Settings,
    encoder: Encoder,
    questions: Sequence[GoldQuestion],
    *,
    k: int = 10,
    baseline: bool = True,
    standalone: Standalone | None = None,
) -> RetrievalEvaluation:
    """Rank for every answerable question with the index of ``settings`` (and the naive
    baseline). A follow-up is searched as ``standalone`` makes it from its history, the
    way /ask does; without ``standalone`` it is searched as typed."""
    answerable = [q for q in questions if q.answerable]
    if not answerable:
        raise RetrievalEvalError("the gold questions hold no answerable question to rank for")
    searcher = load_searcher(settings, encoder)
    corpus = [c.text for c in searcher.snapshot.chunks]

    def search_text(question: GoldQuestion) -> str:
        if standalone is None or not question.history:
            return question.question
        return standalone(question.question, question.history_messages())

    def ours(text: str, top: int) -> list[str]:
        return [hit.chunk.text for hit in searcher.search(text, top)]

    ours(answerable[0].question, k)  # warm caches before timing
    report = evaluate("planqa", answerable, ours, corpus, k=k, search_text=search_text)
    naive = None
    if baseline:
        files, _ = expand_paths([settings.paths.data_dir])
        model = NaiveBaseline(files, encoder)
        naive = evaluate("naive", answerable, model, model.texts, k=k, search_text=search_text)
    unresolved = 0 if standalone else sum(bool(q.history) for q in answerable)
    return RetrievalEvaluation(report, naive, unresolved)


__all__ = ["RetrievalEvalError", "RetrievalEvaluation", "Standalone", "run_retrieval_eval"]
