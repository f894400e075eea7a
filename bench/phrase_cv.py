"""Choose the phrase weight (retrieval.phrase_weight, index/phrase.py) by cross-validation
over the plan questions and JSQuAD's test split together.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/phrase_cv.py /work/data/JGLUE/test-v1.3.json \
        [--outside FILE] [--var DIR] [--jsquad-limit N] [--folds 5] [--repeats 3] [--out FILE]

Every plan question of eval/gold/ (its test split left out, as bench/cv_defaults.py does)
and of the outside set is searched over the index in var/; every JSQuAD test question over
its paragraphs indexed as bench/jsquad_bench.py does (``--var`` keeps that index). Each
weight of the grid searches every question once. Per fold, the weight with the best mean
over the three sources (own, outside, JSQuAD) of training recall@5, then of MRR@10, then
the current default, is scored on the held-out questions: each source counts alike, so
JSQuAD's 4,420 questions cannot outvote the plans' ~200. Folds are stratified by source.
JSQuAD's relevant passage is its paragraph's file; a plan question's, some evidence string
(the outside set's recall@5). The JSQuAD valid split is never read here (it reports).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from common.options import add_jsquad_cv_options  # noqa: E402
from common.report import machine  # noqa: E402
from common.retrieval_runs import CachedEncoder, cached_encoder, jsquad_index  # noqa: E402
from jsquad_bench import _outside_project  # noqa: E402
from results_out import add_out_option, documented_cv, publish  # noqa: E402

from answer.schemas import Turn  # noqa: E402
from eval.gold import GOLD_DIR, OUTSIDE, load_gold  # noqa: E402
from eval.metrics import hit_at, reciprocal_rank, relevance  # noqa: E402
from index.retriever import HybridSearcher  # noqa: E402
from index.snapshot import open_snapshot  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402
from question import analyse  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "phrase_cv.md"
GRID = (0.0, 0.25, 0.5, 1.0, 2.0)
SOURCES = ("own", "outside", "JSQuAD test")


def plan_scores(
    settings: Settings, encoder: CachedEncoder, outside: Path
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(source per question, hit@5 and RR@10 per weight × question) of the plan questions."""
    paths = [p for p in (GOLD_DIR, outside) if p.exists()]
    questions = [q for p in paths for q in load_gold(p) if q.split != "test" and q.answerable]
    analyses = [analyse(q.question, [Turn(**m) for m in q.history_messages()]) for q in questions]
    snapshot = open_snapshot(settings, encoder.name)
    hits, ranks = [], []
    for weight in GRID:
        retrieval = settings.retrieval.model_copy(update={"phrase_weight": weight})
        searcher = HybridSearcher(snapshot, encoder, retrieval)
        rels = [
            relevance(q.evidence, [h.chunk.text for h in searcher.search(a, 10)])
            for q, a in zip(questions, analyses, strict=True)
        ]
        hits.append([hit_at(rel, 5) for rel in rels])
        ranks.append([reciprocal_rank(rel, 10) for rel in rels])
    sources = ["outside" if q.split == OUTSIDE else "own" for q in questions]
    return sources, np.asarray(hits), np.asarray(ranks)


def jsquad_scores(
    dataset: Path, root: Path, encoder: CachedEncoder, limit: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hit@5, RR@10, hit@1) per weight × JSQuAD question, its paragraph's file relevant."""
    questions, snapshot = jsquad_index(dataset, root, encoder, limit)
    analyses = [analyse(q.text) for q in questions]
    hits, ranks, firsts = [], [], []
    for weight in GRID:
        retrieval = Settings().retrieval.model_copy(update={"phrase_weight": weight})
        searcher = HybridSearcher(snapshot, encoder, retrieval)
        rows = []
        for q, a in zip(questions, analyses, strict=True):
            sources = [h.chunk.source for h in searcher.search(a, 10)]
            rows.append(sources.index(q.paragraph) + 1 if q.paragraph in sources else None)
        hits.append([float(r is not None and r <= 5) for r in rows])
        ranks.append([1.0 / r if r else 0.0 for r in rows])
        firsts.append([float(r == 1) for r in rows])
        print(f"  JSQuAD weight {weight} searched", file=sys.stderr, flush=True)
    return np.asarray(hits), np.asarray(ranks), np.asarray(firsts)


def best(hits: np.ndarray, ranks: np.ndarray, source: np.ndarray, rows: np.ndarray) -> int:
    """The weight with the best mean over sources of recall@5, then of MRR, then the default."""

    def mean_over_sources(values: np.ndarray) -> np.ndarray:
        return np.mean([values[:, rows[source[rows] == s]].mean(axis=1) for s in SOURCES], axis=0)

    other = np.asarray(GRID) != Settings().retrieval.phrase_weight
    keys = (other, -np.round(mean_over_sources(ranks), 9), -np.round(mean_over_sources(hits), 9))
    return int(np.lexsort(keys)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_jsquad_cv_options(parser)
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings = Settings()
    encoder = cached_encoder(settings)
    plan_source, plan_hits, plan_ranks = plan_scores(settings, encoder, args.outside)
    root = _outside_project(args.var, "--var") if args.var else Path(tempfile.mkdtemp("-jsquad"))
    jsq_hits, jsq_ranks, jsq_first = jsquad_scores(args.dataset, root, encoder, args.jsquad_limit)
    source = np.asarray([*plan_source, *["JSQuAD test"] * jsq_hits.shape[1]])
    hits = np.hstack([plan_hits, jsq_hits])
    ranks = np.hstack([plan_ranks, jsq_ranks])
    from sklearn.model_selection import StratifiedKFold

    default = GRID.index(settings.retrieval.phrase_weight)
    picks: list[int] = []
    held: dict[str, list[tuple[float, float]]] = {s: [] for s in SOURCES}
    held_first: list[float] = []
    for repeat in range(args.repeats):
        splitter = StratifiedKFold(args.folds, shuffle=True, random_state=repeat)
        h, r = np.zeros(len(source)), np.zeros(len(source))
        first = np.zeros(jsq_first.shape[1])
        for train, test in splitter.split(source, source):
            picks.append(best(hits, ranks, source, train))
            h[test], r[test] = hits[picks[-1], test], ranks[picks[-1], test]
            jsq_test = test[test >= len(plan_source)] - len(plan_source)
            first[jsq_test] = jsq_first[picks[-1], jsq_test]
        for s in SOURCES:
            mask = source == s
            held[s].append((float(h[mask].mean()), float(r[mask].mean())))
        held_first.append(float(first.mean()))
    chosen, times = Counter(picks).most_common(1)[0]
    n = Counter(source.tolist())

    def cell(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.fmean(values):.3f} ± {sd:.3f}"

    lines = [
        "# Phrase weight by cross-validation (plan questions and JSQuAD test)",
        "",
        f"{n['own']} own, {n['outside']} outside, {n['JSQuAD test']} JSQuAD test questions; "
        f"weights {', '.join(map(str, GRID))}; {args.folds}-fold CV stratified by source, "
        f"{args.repeats} repeats; a fold picks the weight with the best mean over the three "
        "sources of recall@5, then MRR@10, then the default.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "## Held out (weight chosen on the training folds)",
        "",
        "| source | recall@5 | MRR@10 |",
        "|---|---|---|",
        *(
            f"| {s} | {cell([a for a, _ in held[s]])} | {cell([b for _, b in held[s]])} |"
            for s in SOURCES
        ),
        f"| JSQuAD test R@1 | {cell(held_first)} | |",
        "",
        f"Picked per fold: {', '.join(f'{GRID[c]} ×{k}' for c, k in Counter(picks).most_common())}"
        f"; chosen most often: **{GRID[chosen]}** ({times}/{len(picks)}); default {GRID[default]}.",
        "",
        "## Every weight on every question",
        "",
        "| weight | " + " | ".join(f"{s} r@5 | {s} MRR" for s in SOURCES) + " | JSQuAD R@1 |",
        "|---" * (2 * len(SOURCES) + 2) + "|",
    ]
    for i, weight in enumerate(GRID):
        cells = [
            f"{hits[i, source == s].mean():.3f} | {ranks[i, source == s].mean():.3f}"
            for s in SOURCES
        ]
        lines.append(f"| {weight} | " + " | ".join(cells) + f" | {jsq_first[i].mean():.3f} |")
    documented = documented_cv(args) and args.jsquad_limit is None
    publish(lines, RESULTS, args.out, documented)


if __name__ == "__main__":
    main()
