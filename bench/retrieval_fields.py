"""Fit the weight of a measure's continued-results field by cross-validation.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/retrieval_fields.py [--folds 5] [--repeats 3] \
        [--outside ../shared/eval/outside-questions.jsonl]

Over the index in var/ (built with any weight: the BM25 documents are rebuilt here from
the saved chunk terms and trace, one per weight), every answerable question of the own gold
(dev and test splits) and of the outside set (read where it is, by path) is
searched with each weight of ``WEIGHTS``. Per fold the weight with the best training
recall@5 (ties: MRR@10, then the configured default) is scored on the held-out questions
(dev + outside only, stratified by source × type; the own test split stays out of every
choice and is reported apart). Tables go to stdout and bench/results/retrieval_fields.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from cv_defaults import OUTSIDE_SET, cached_encoder, machine, spread
from results_out import add_out_option, documented_cv, results_path, write_results

from answer.schemas import Turn
from eval.gold import GOLD_DIR, OUTSIDE, GoldQuestion, load_gold
from eval.metrics import hit_at, reciprocal_rank, relevance
from index.bm25 import Bm25Index
from index.build.chunk_terms import analysis_key, chunk_keys, load_terms
from index.build.continued_field import with_continued_field
from index.lexical import LexicalSearcher
from index.loader import load_searcher
from index.retriever import HybridSearcher
from index.snapshot import Snapshot
from planqa.settings import PROJECT_ROOT, Settings
from plantrace.store import load_trace
from question.followup import standalone

RESULTS = PROJECT_ROOT / "bench" / "results" / "retrieval_fields.md"
WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def answerable(outside: Path) -> tuple[list[GoldQuestion], list[str]]:
    """The answerable questions of the own gold and the outside set (when its file is
    there), each with the text retrieval searches (a follow-up standing alone)."""
    questions = [q for q in load_gold(GOLD_DIR) if q.answerable]
    if outside.exists():
        questions += [q for q in load_gold(outside) if q.answerable]
    texts = [
        standalone(q.question, [Turn(**t) for t in q.history_messages()])
        if q.history
        else q.question
        for q in questions
    ]
    return questions, texts


def recall_and_rank(
    searcher: HybridSearcher, questions: list[GoldQuestion], texts: list[str]
) -> tuple[list[float], list[float]]:
    """Per question: some evidence string in the top 5 (0/1), and its MRR@10."""
    rels = [
        relevance(q.evidence, [h.chunk.text for h in searcher.search(t, 10)])
        for q, t in zip(questions, texts, strict=True)
    ]
    return [hit_at(rel, 5) for rel in rels], [reciprocal_rank(rel, 10) for rel in rels]


@dataclass(frozen=True)
class Sets:
    """Which labelled set each question is of, the table's groups, and the CV's rows."""

    split: np.ndarray
    groups: dict[str, np.ndarray]
    fit: np.ndarray  # own dev + outside: what CV chooses on (the own test split stays out)
    strata: np.ndarray  # source × type of the fit rows; a type too rare for the folds: source

    @classmethod
    def of(cls, questions: list[GoldQuestion], folds: int) -> Sets:
        split = np.asarray([q.split for q in questions])
        kinds = np.asarray([q.type for q in questions])
        groups = {
            "own dev": split == "dev",
            "own test": split == "test",
            "outside": split == OUTSIDE,
            "outside paraphrase": (split == OUTSIDE) & (kinds == "paraphrase"),
        }
        fit = split != "test"
        source = np.where(split == OUTSIDE, "outside", "own")
        strata = np.char.add(np.char.add(source, "/"), kinds)[fit]
        common = Counter(strata)
        strata = np.asarray([s if common[s] >= folds else s.split("/")[0] for s in strata])
        return cls(split, groups, fit, strata)


def with_lexical(snapshot: Snapshot, lexical: LexicalSearcher) -> Snapshot:
    """``snapshot`` with another lexical index (a lever's)."""
    return Snapshot(
        snapshot.generation, snapshot.manifest, snapshot.chunks, lexical, snapshot.store,
        snapshot.ngram, snapshot.vectors, own_terms=snapshot.own_terms,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")
    add_out_option(parser)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    settings = Settings()
    encoder = cached_encoder(settings)
    searcher = load_searcher(settings, encoder)
    base = searcher.snapshot
    analyzer = base.lexical.analyzer
    keys = chunk_keys(base.chunks)
    saved = load_terms(base.generation, analysis_key(analyzer.config), set(keys))
    counts = [saved[key][0] for key in keys]
    trace = load_trace(base.generation)
    questions, texts = answerable(args.outside)
    hits, ranks = [], []
    for weight in WEIGHTS:
        field = with_continued_field(counts, base.chunks, trace, analyzer.cached_terms, weight)
        bm25 = Bm25Index.build(field, k1=base.lexical.bm25.k1, b=base.lexical.bm25.b)
        old = base.lexical
        lexical = LexicalSearcher(
            analyzer, bm25, neighbours=old.neighbours, glossary=old.glossary,
            expansion=old.expansion,
        )  # fmt: skip
        searcher.snapshot = with_lexical(base, lexical)
        found = recall_and_rank(searcher, questions, texts)
        hits.append(found[0])
        ranks.append(found[1])
    hits_array, ranks_array = np.asarray(hits), np.asarray(ranks)
    sets = Sets.of(questions, args.folds)
    split, fit, strata = sets.split, sets.fit, sets.strata
    kinds = np.asarray([q.type for q in questions])
    groups = sets.groups | {"own paraphrase": (split != OUTSIDE) & (kinds == "paraphrase")}
    default = WEIGHTS.index(settings.retrieval.continued_weight)
    picks, held = cross_validate(hits_array[:, fit], ranks_array[:, fit], strata, default, args)
    lines = [
        "# Continued-results field weight by cross-validation",
        "",
        f"{len(questions)} answerable questions; index `{base.generation.name}`, encoder "
        f"`{settings.embedding.backend}`. recall@5: some evidence string in the top 5 (/ MRR@10).",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "| weight | " + " | ".join(f"{g} (n={int(m.sum())})" for g, m in groups.items()) + " |",
        "|---" * (len(groups) + 1) + "|",
    ]
    for row, weight in enumerate(WEIGHTS):
        cells = " | ".join(
            f"{hits_array[row, m].mean():.3f} / {ranks_array[row, m].mean():.3f}"
            for m in groups.values()
        )
        lines.append(f"| {weight}{' (default)' if row == default else ''} | {cells} |")
    fit_groups = {"own dev": split[fit] == "dev", "outside": split[fit] == OUTSIDE}
    lines += [
        "",
        f"{args.folds}-fold CV over own dev + outside, stratified by source × type, "
        f"{args.repeats} repeats: weight picked per fold "
        + ", ".join(f"{WEIGHTS[p]} ×{n}" for p, n in Counter(picks).most_common())
        + ".",
        "",
        "| held-out recall@5, mean ± sd over repeats | all | own dev | outside |",
        "|---|---|---|---|",
        "| chosen on the training folds | "
        + " | ".join(
            spread([float(h[m].mean()) for h in held])
            for m in (np.ones(int(fit.sum()), bool), *fit_groups.values())
        )
        + " |",
        f"| weight 0 (no field) | {hits_array[0, fit].mean():.3f} | "
        + " | ".join(f"{hits_array[0, fit][m].mean():.3f}" for m in fit_groups.values())
        + " |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    write_results(text, results_path(RESULTS, args.out, documented_cv(args)))


def cross_validate(
    hits: np.ndarray,
    ranks: np.ndarray,
    strata: np.ndarray,
    default: int,
    args: argparse.Namespace,
) -> tuple[list[int], list[np.ndarray]]:
    """(weight picked per fold, held-out hits per repeat)."""
    from sklearn.model_selection import StratifiedKFold

    other = np.arange(len(hits)) != default
    picks, held = [], []
    for repeat in range(args.repeats):
        splitter = StratifiedKFold(args.folds, shuffle=True, random_state=repeat)
        found = np.zeros(len(strata))
        for train, test in splitter.split(strata, strata):
            order = np.lexsort((other, -ranks[:, train].mean(1), -hits[:, train].sum(1)))
            picks.append(int(order[0]))
            found[test] = hits[picks[-1], test]
        held.append(found)
    return picks, held


if __name__ == "__main__":
    main()
