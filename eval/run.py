"""Running the retrieval evaluation against the live index and the naive baseline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eval.gold import load_gold
from eval.retrieval import NaiveBaseline, SystemReport, evaluate, format_table
from index.encoders import Encoder
from index.loader import load_searcher
from ingest.pipeline import expand_paths
from planqa.settings import Settings


@dataclass
class RetrievalEvaluation:
    ours: SystemReport
    baseline: SystemReport | None

    @property
    def reports(self) -> list[SystemReport]:
        return [r for r in (self.ours, self.baseline) if r is not None]

    def table(self) -> str:
        return format_table(self.reports)

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {r.name: r.to_dict() for r in self.reports}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def run_retrieval_eval(
    settings: Settings,
    encoder: Encoder,
    *,
    split: str = "all",
    k: int = 10,
    baseline: bool = True,
) -> RetrievalEvaluation:
    questions = load_gold(split=split)
    searcher = load_searcher(settings, encoder)
    corpus = [c.text for c in searcher.snapshot.chunks]

    def ours(question: str, top: int) -> list[str]:
        return [hit.chunk.text for hit in searcher.search(question, top)]

    ours(questions[0].question, k)  # warm caches before timing
    report = evaluate("planqa", questions, ours, corpus, k=k)
    naive = None
    if baseline:
        files, _ = expand_paths([settings.paths.data_dir])
        model = NaiveBaseline(files, encoder)
        naive = evaluate("naive", questions, model, model.texts, k=k)
    return RetrievalEvaluation(report, naive)
