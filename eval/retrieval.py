"""The retrieval half of the evaluation: ours against the naive LangChain baseline.

The baseline is what a LangChain user starts with: 500-character recursive splitting of the
raw files and dense search only, with the same encoder.

recall@k follows the outside set's scorer (../shared/eval/README.md): 1 when some evidence
string lies in the top k. ``evidence@10`` is the stricter share of a question's evidence
strings found in the top 10 (both parts of a two-part question).
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from eval.gold import GoldQuestion
from eval.metrics import (
    covered_evidence,
    hit_at,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    relevance,
)
from index.encoders import Encoder
from ingest.loaders import load_document

Ranker = Callable[[str, int], list[str]]  # question, k → ranked chunk texts
# The text searched for a question: the question itself, or a follow-up made standalone.
SearchText = Callable[[GoldQuestion], str]

METRICS = ("recall@1", "recall@5", "recall@10", "evidence@10", "mrr@10", "ndcg@10")


def as_typed(question: GoldQuestion) -> str:
    """The question as typed, its history unused."""
    return question.question


@dataclass
class QuestionScore:
    id: str
    type: str
    split: str
    scores: dict[str, float]
    latency_ms: float
    top_texts: list[str] = field(default_factory=list)


@dataclass
class SystemReport:
    name: str
    questions: list[QuestionScore]

    def summary(self) -> dict[str, dict[str, float]]:
        """Mean of every metric overall and per question type, with latency figures."""
        groups: dict[str, list[QuestionScore]] = defaultdict(list)
        for q in self.questions:
            groups["all"].append(q)
            groups[q.type].append(q)
        table: dict[str, dict[str, float]] = {}
        for name, items in groups.items():
            row = {m: statistics.fmean(q.scores[m] for q in items) for m in METRICS}
            row["n"] = len(items)
            latencies = sorted(q.latency_ms for q in items)
            row["latency_p50_ms"] = statistics.median(latencies)
            row["latency_p95_ms"] = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            table[name] = row
        return table

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "summary": self.summary(),
            "questions": [asdict(q) for q in self.questions],
        }


def evaluate(
    name: str,
    questions: Sequence[GoldQuestion],
    ranker: Ranker,
    corpus_texts: Sequence[str],
    *,
    k: int = 10,
    search_text: SearchText = as_typed,
) -> SystemReport:
    """Rank for every answerable question (``search_text`` of it) and score the ranking."""
    scored: list[QuestionScore] = []
    for question in questions:
        if not question.answerable:
            continue
        started = time.perf_counter()
        texts = ranker(search_text(question), k)
        latency = (time.perf_counter() - started) * 1000
        rel = relevance(question.evidence, texts)
        n_relevant = sum(1 for t in corpus_texts if covered_evidence(question.evidence, t))
        n_evidence = len(question.evidence)
        scores = {
            "recall@1": hit_at(rel, 1),
            "recall@5": hit_at(rel, 5),
            "recall@10": hit_at(rel, 10),
            "evidence@10": recall_at(rel, n_evidence, 10),
            "mrr@10": reciprocal_rank(rel, 10),
            "ndcg@10": ndcg_at(rel, 10, n_relevant),
        }
        scored.append(
            QuestionScore(question.id, question.type, question.split, scores, latency, texts[:3])
        )
    return SystemReport(name, scored)


class NaiveBaseline:
    """500-character recursive splits of the raw files, dense search only."""

    def __init__(self, paths: Sequence[Path], encoder: Encoder) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        self.texts: list[str] = []
        for path in paths:
            doc = load_document(path)
            for page in doc.pages:
                self.texts.extend(splitter.split_text(page.text))
        self.encoder = encoder
        self.vectors = np.asarray(encoder.embed_documents(self.texts), dtype=np.float32)

    def __call__(self, question: str, k: int) -> list[str]:
        query = np.asarray(self.encoder.embed_query(question), dtype=np.float32)
        scores = self.vectors @ query
        order = np.argsort(-scores)[:k]
        return [self.texts[i] for i in order]


def format_table(reports: Sequence[SystemReport]) -> str:
    """Markdown table: one row per question type, each system's metrics side by side."""
    summaries = [r.summary() for r in reports]
    types = ["all"] + sorted(t for t in summaries[0] if t != "all")
    header = ["type", "n"] + [f"{r.name} {m}" for r in reports for m in METRICS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for t in types:
        row = [t, str(int(summaries[0][t]["n"]))]
        for summary in summaries:
            values = summary.get(t, {})
            row.extend(f"{values.get(m, 0.0):.3f}" for m in METRICS)
        lines.append("| " + " | ".join(row) + " |")
    latency = ", ".join(
        f"{r.name}: p50 {s['all']['latency_p50_ms']:.1f} ms, p95 {s['all']['latency_p95_ms']:.1f} ms"
        for r, s in zip(reports, summaries, strict=True)
    )
    return "\n".join(lines) + f"\n\nsearch latency (in-process, warm) — {latency}"
