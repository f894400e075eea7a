"""Measure lexical analysis, query expansion, intent and fusion choices on the gold set.

Every variant changes one group of settings from the defaults and is scored on the dev and
test splits (recall@5, MRR@10, paraphrase recall@5). Tables go to stdout and to
bench/results/retrieval_tuning_<encoder>.md. Choose on dev; the test split is held out.

    .venv/bin/python bench/retrieval_tuning.py [--encoder use-m3 | sentence-transformers:DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from results_out import add_out_option, documented_defaults, results_path, write_results
from scipy import sparse

from eval.gold import load_gold
from eval.metrics import recall_at, reciprocal_rank, relevance
from index.analyzer import Analyzer, AnalyzerConfig, analyzer_config
from index.bm25 import Bm25Index
from index.build.analysis_step import analyse_chunks
from index.build.chive import ChiveVectors, chive_dir
from index.build.neighbour_build import build_neighbour_table
from index.encoders import build_encoder
from index.glossary import Glossary
from index.lexical import ExpansionConfig, LexicalSearcher
from index.ngrams import build_ngram_index
from index.presence import build_presence
from index.records import embedding_text, index_text
from index.retriever import HybridSearcher
from index.snapshot import Snapshot
from index.wordvectors import NeighbourTable
from ingest.pipeline import ingest_paths
from planqa.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results"


class MatrixStore:
    """Exact cosine search in memory (the ranking Chroma's HNSW gives at this size)."""

    def __init__(self, ids: list[str], vectors: np.ndarray) -> None:
        self.ids, self.vectors = ids, vectors

    def query(self, embedding, n_results: int, where=None) -> list[tuple[str, float]]:
        scores = self.vectors @ np.asarray(embedding, dtype=np.float32)
        order = np.argsort(-scores)[:n_results]
        return [(self.ids[i], float(scores[i])) for i in order]


class Bench:
    def __init__(self, encoder_spec: str) -> None:
        self.base = Settings()
        self.questions = [q for q in load_gold() if q.answerable]
        self.chunks = ingest_paths([self.base.paths.data_dir]).chunks
        self.chive = ChiveVectors.load(chive_dir())
        self.encoder = build_encoder(encoder_spec)
        started = time.perf_counter()
        texts = [index_text(c) for c in self.chunks]
        vectors = np.asarray(
            self.encoder.embed_documents([embedding_text(c) for c in self.chunks]), np.float32
        )
        self.embed_seconds = time.perf_counter() - started
        self.store = MatrixStore([c.id for c in self.chunks], vectors)
        self.ngram = build_ngram_index(texts)
        self._lexical: dict[
            AnalyzerConfig, tuple[Analyzer, Bm25Index, NeighbourTable, sparse.csc_matrix]
        ] = {}

    def searcher(self, settings: Settings) -> HybridSearcher:
        config = analyzer_config(settings)
        if config not in self._lexical:
            analyzer = Analyzer(config)
            counts, own_terms = analyse_chunks(self.chunks, analyzer)
            bm25 = Bm25Index.build(counts)
            table = build_neighbour_table(self.chive, list(bm25.vocabulary), min_similarity=0.4)
            presence = build_presence(own_terms, bm25.vocabulary)
            self._lexical[config] = (analyzer, bm25, table, presence)
        analyzer, bm25, table, presence = self._lexical[config]
        r = settings.retrieval
        lexical = LexicalSearcher(
            analyzer,
            bm25,
            neighbours=table if r.word_vectors else None,
            glossary=Glossary.load(settings.paths.glossary),
            expansion=ExpansionConfig(
                r.neighbour_weight,
                r.min_similarity,
                r.glossary_weight,
                kanji_similarity=r.kanji_similarity,
            ),  # fmt: skip
        )
        snapshot = Snapshot(
            Path("."),
            {"encoder": self.encoder.name},
            self.chunks,
            lexical,
            self.store,
            self.ngram,
            own_terms=presence,
        )
        return HybridSearcher(snapshot, self.encoder, r)

    def score(self, **groups: dict) -> dict[str, float]:
        update = {
            name: getattr(self.base, name).model_copy(update=values)
            for name, values in groups.items()
        }
        settings = self.base.model_copy(update=update)
        searcher = self.searcher(settings)
        rows = []
        for q in self.questions:
            hits = searcher.search(q.question, 10)
            rel = relevance(q.evidence, [h.chunk.text for h in hits])
            rows.append((q, recall_at(rel, len(q.evidence), 5), reciprocal_rank(rel, 10)))
        result = {}
        for split in ("dev", "test"):
            part = [r for r in rows if r[0].split == split]
            para = [r for r in part if r[0].type == "paraphrase"]
            result[f"{split} r@5"] = statistics.fmean(r[1] for r in part)
            result[f"{split} mrr"] = statistics.fmean(r[2] for r in part)
            result[f"{split} para"] = statistics.fmean(r[1] for r in para)
        return result


COLUMNS = ("dev r@5", "dev mrr", "dev para", "test r@5", "test mrr", "test para")


def table(bench: Bench, title: str, variants: list[tuple[str, dict]]) -> list[str]:
    lines = [
        f"## {title}",
        "",
        "| variant | " + " | ".join(COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    print("\n".join(lines), flush=True)
    for name, groups in variants:
        result = bench.score(**groups)
        lines.append(f"| {name} | " + " | ".join(f"{result[c]:.3f}" for c in COLUMNS) + " |")
        print(lines[-1], flush=True)
    return [*lines, ""]


def arguments() -> argparse.ArgumentParser:
    """The command line; its defaults are the documented run (bench/results_out.py)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encoder", default="use-m3")
    add_out_option(parser)
    return parser


def main() -> None:
    parser = arguments()
    args = parser.parse_args()
    bench = Bench(args.encoder)
    off = {"dense_weight": 0.0}
    analysis = [
        (
            f"mode {m}, {f}, stopwords {'dropped' if s else 'kept'}, synonyms {y}",
            {
                "sudachi": {"split_mode": m, "form": f, "drop_stopwords": s, "synonyms": y},
                "retrieval": off,
            },
        )
        for m in ("A", "B", "C", "C+A")
        for f in ("normalized", "surface")
        for s in (True, False)
        for y in (False, True)
        if not (y and (f == "surface" or not s))
    ]
    expansion = [
        ("none", {"retrieval": {**off, "word_vectors": False, "glossary_weight": 0.0}}),
        ("glossary only (0.5)", {"retrieval": {**off, "word_vectors": False}}),
        ("chiVe only (0.5 × sim ≥ 0.7)", {"retrieval": {**off, "glossary_weight": 0.0}}),
        ("both (defaults)", {"retrieval": off}),
        ("chiVe sim ≥ 0.6", {"retrieval": {**off, "min_similarity": 0.6}}),
        ("chiVe weight 0.3", {"retrieval": {**off, "neighbour_weight": 0.3}}),
        ("glossary 0.5", {"retrieval": {**off, "glossary_weight": 0.5}}),
        ("glossary 0.8", {"retrieval": {**off, "glossary_weight": 0.8}}),
        ("intent off", {"retrieval": {**off, "intent_weight": 1.0}}),
        ("no kind prior", {"retrieval": {**off, "kind_prior": {}}}),
        ("intent 1.6", {"retrieval": {**off, "intent_weight": 1.6}}),
        ("character bigrams off", {"retrieval": {**off, "ngram_weight": 0.0}}),
        ("character bigrams 0.5", {"retrieval": {**off, "ngram_weight": 0.5}}),
        ("character bigrams 1.0", {"retrieval": {**off, "ngram_weight": 1.0}}),
        ("coverage rescaling off", {"retrieval": {**off, "coverage_weight": 0.0}}),
        (
            "coverage off, bigrams off, glossary 0.5 (previous defaults)",
            {
                "retrieval": {
                    **off,
                    "coverage_weight": 0.0,
                    "ngram_weight": 0.0,
                    "glossary_weight": 0.5,
                }
            },
        ),
        (
            "coverage on the passage only",
            {"retrieval": {**off, "coverage_heading_weight": 0.0}},
        ),
        (
            "coverage with headings as the passage",
            {"retrieval": {**off, "coverage_heading_weight": 1.0}},
        ),
        ("coverage exponent 2", {"retrieval": {**off, "coverage_weight": 2.0}}),
        ("coverage over the top 10", {"retrieval": {**off, "coverage_candidates": 10}}),
    ]
    fusion = [
        (f"{f}, dense weight {w}", {"retrieval": {"fusion": f, "dense_weight": w}})
        for f in ("rrf", "scores")
        for w in (0.0, 0.1, 0.2, 0.3, 0.5, 1.0)
    ]
    fusion.append(("dense only", {"retrieval": {"lexical_weight": 0.0, "dense_weight": 1.0}}))
    dev = sum(q.split == "dev" for q in bench.questions)
    header = [
        f"# Retrieval tuning — {bench.encoder.name}",
        "",
        f"{len(bench.questions)} answerable gold questions ({dev} dev, {len(bench.questions) - dev} test), "
        f"{len(bench.chunks)} chunks. Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Embedding the chunks took {bench.embed_seconds:.1f} s.",
        "Command: `.venv/bin/python bench/retrieval_tuning.py --encoder " + args.encoder + "`",
        "",
    ]
    lines = header + table(
        bench, "Lexical analysis (BM25 with default expansion, no dense)", analysis
    )
    lines += table(bench, "Query expansion and intent (mode A, no dense)", expansion)
    lines += table(bench, f"Fusion with {bench.encoder.name}", fusion)
    tracked = RESULTS / f"retrieval_tuning_{args.encoder.split(':')[0]}.md"
    # each encoder has its own file, so --encoder names the file and keeps the run documented
    documented = documented_defaults(parser, args, free=("out", "encoder"))
    write_results("\n".join(lines), results_path(tracked, args.out, documented))


if __name__ == "__main__":
    main()
