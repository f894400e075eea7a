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
import shlex
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import numpy as np
from common.report import machine, spread
from common.retrieval_runs import (
    Sets,
    add_cv_options,
    answerable,
    cross_validate,
    plan_searcher,
    recall_and_rank,
    with_lexical,
)
from results_out import add_out_option, documented_cv, publish

from eval.gold import OUTSIDE
from index.bm25 import Bm25Index
from index.build.chunk_terms import analysis_key, chunk_keys, load_terms
from index.build.continued_field import with_continued_field
from index.lexical import LexicalSearcher
from planqa.settings import PROJECT_ROOT
from plantrace.store import load_trace

RESULTS = PROJECT_ROOT / "bench" / "results" / "retrieval_fields.md"
WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_cv_options(parser)
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, encoder, searcher = plan_searcher()
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
    publish(lines, RESULTS, args.out, documented_cv(args))


if __name__ == "__main__":
    main()
