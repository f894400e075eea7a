"""Choose the rescale weights of retrieval's head (phrase_weight, sentence_weight) by
cross-validation over the labelled plan questions and JSQuAD's test split together.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/rescale_cv.py /work/data/JGLUE/test-v1.3.json \
        --var /tmp/NAME-jsq-test [--jsquad-limit N] [--folds 5] [--repeats 3] [--out FILE]

Each question is searched once with both weights at 0, and the fused head the coverage
rescale leaves (``coverage_candidates`` passages) is kept with, per passage, its phrase
share (index/phrase.py) and its best sentence's coverage (index/proximity.py); every pair
of weights of the grid then reorders that head as the retriever would (label hits first),
so the grid costs one search per question. The pair at the defaults is checked against the
searcher's own order. Per fold, the pair with the best mean over the two sources (the
plans' labelled questions: eval/gold/ and eval/gold/train/; JSQuAD test) of training
recall@5, then MRR@10, then R@1, then the default, is scored on the held-out questions;
each source counts alike. The outside set is searched and reported, never fitted on; the
JSQuAD valid split is never read here (it reports).
"""

from __future__ import annotations

import functools
import itertools
import os
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from common.folds import stratified_folds  # noqa: E402
from common.options import jsquad_cv_arguments  # noqa: E402
from common.report import machine, spread  # noqa: E402
from common.retrieval_runs import CachedEncoder, cached_encoder, jsquad_index, search_text  # noqa: E402
from jsquad_bench import _outside_project  # noqa: E402
from results_out import documented_cv, publish  # noqa: E402

from eval.gold import GOLD_DIR, TRAIN_DIR, load_gold  # noqa: E402
from eval.metrics import hit_at, reciprocal_rank, relevance  # noqa: E402
from index import phrase, retriever  # noqa: E402
from index.fusion import weighted_scores  # noqa: E402
from index.proximity import best_sentence_coverage  # noqa: E402
from index.retriever import HybridSearcher  # noqa: E402
from index.snapshot import Snapshot, open_snapshot  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402
from question import analyse  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "rescale_cv.md"
NGRAM = (0.2, 0.35, 0.5)
DENSE = (0.1, 0.2)
PHRASE = (0.0, 0.25, 0.5, 1.0)
SENTENCE = (0.0, 0.5, 1.0, 2.0)
# (ngram weight, dense weight, phrase weight, sentence weight)
GRID = tuple(itertools.product(NGRAM, DENSE, PHRASE, SENTENCE))
SOURCES = ("plans", "JSQuAD test")
K = 10


@dataclass
class Head:
    """One question's search replayed: the label hits, each channel's scored candidates,
    and per candidate its question coverage, phrase share and best sentence's coverage."""

    labelled: list[str]
    scored: dict[str, dict[str, float]]  # channel → candidate id → score
    coverage: dict[str, float]
    phrase: dict[str, float]
    sentence: dict[str, float]
    boost: Callable[[list[tuple[str, float]]], list[tuple[str, float]]]

    def order(self, pair: tuple[float, float, float, float]) -> list[str]:
        """The top ``K`` ids as the retriever orders them at these weights (ngram, dense,
        phrase, sentence), the lexical weight and coverage power as configured."""
        ngram, dense, phrase_weight, sentence_weight = pair
        weights = {"lexical": RETRIEVAL.lexical_weight, "ngram": ngram, "dense": dense}
        fused = self.boost(weighted_scores(self.scored, weights))
        size = min(len(fused), RETRIEVAL.coverage_candidates)
        power = RETRIEVAL.coverage_weight
        head = sorted(
            (
                (
                    score
                    * self.coverage[cid] ** power
                    * (1 + phrase_weight * self.phrase[cid])
                    * (1 + sentence_weight * self.sentence[cid]),
                    cid,
                )
                for cid, score in fused[:size]
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        ids = self.labelled[:K]
        for cid in [c for _, c in head] + [c for c, _ in fused[size:]]:
            if len(ids) >= K:
                break
            if cid not in ids:
                ids.append(cid)
        return ids


RETRIEVAL = Settings().retrieval
AS_CONFIGURED = (RETRIEVAL.ngram_weight, 0.1, RETRIEVAL.phrase_weight, RETRIEVAL.sentence_weight)


def heads(
    snapshot: Snapshot, encoder: CachedEncoder, settings: Settings, analyses: list
) -> list[Head]:
    """Every question's ``Head``, checked against the searcher's order as configured."""
    searcher = HybridSearcher(snapshot, encoder, settings.retrieval)
    assert searcher.dense_weight == AS_CONFIGURED[1]
    kept: dict[str, dict[str, dict[str, float]]] = {}

    def keep(scored, weights):  # type: ignore[no-untyped-def]
        kept["scored"] = {name: dict(values) for name, values in scored.items()}
        return weighted_scores(scored, weights)

    retriever.weighted_scores = keep  # type: ignore[assignment]
    lexical = snapshot.lexical
    heading_weight = settings.retrieval.coverage_heading_weight
    found: list[Head] = []
    try:
        for analysis in analyses:
            kept.clear()
            hits = searcher.search(analysis, K)
            query = analysis.search_text
            scored = kept["scored"]
            ids = sorted({cid for values in scored.values() for cid in values})
            cover = lexical.coverages(
                query,
                snapshot.text_terms(),
                [snapshot.position[cid] for cid in ids],
                nearby=lexical.bm25.weights,
                nearby_weight=heading_weight,
            )
            asked = phrase.grams(query)
            item = Head(
                [h.chunk.id for h in hits if h.label_match],
                scored,
                {cid: float(c) for cid, c in zip(ids, cover, strict=True)},
                {cid: phrase.shared_share(asked, snapshot.by_id[cid].text) for cid in ids},
                {
                    cid: best_sentence_coverage(lexical, query, snapshot.by_id[cid], heading_weight)
                    for cid in ids
                },
                functools.partial(searcher._boost_named_section, analysis.searched),
            )
            if item.order(AS_CONFIGURED) != [h.chunk.id for h in hits]:
                raise SystemExit(f"the replay differs from the searcher: {analysis.search_text}")
            found.append(item)
    finally:
        retriever.weighted_scores = weighted_scores  # type: ignore[assignment]
    return found


def plan_rows(
    settings: Settings, encoder: CachedEncoder, paths: list[Path]
) -> tuple[np.ndarray, np.ndarray, int]:
    """hit@5 and RR@10 per grid pair × answerable plan question of ``paths``."""
    questions = [q for p in paths if p.exists() for q in load_gold(p) if q.answerable]
    snapshot = open_snapshot(settings, encoder.name)
    found = heads(snapshot, encoder, settings, [analyse(search_text(q)) for q in questions])
    hits, ranks = [], []
    for pair in GRID:
        rels = [
            relevance(q.evidence, [snapshot.by_id[c].text for c in h.order(pair)])
            for q, h in zip(questions, found, strict=True)
        ]
        hits.append([hit_at(rel, 5) for rel in rels])
        ranks.append([reciprocal_rank(rel, K) for rel in rels])
    return np.asarray(hits), np.asarray(ranks), len(questions)


def jsquad_rows(
    dataset: Path, root: Path, encoder: CachedEncoder, limit: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hit@5, RR@10, hit@1) per grid pair × JSQuAD question, its paragraph's file relevant."""
    questions, snapshot = jsquad_index(dataset, root, encoder, limit)
    settings = Settings()
    found = heads(snapshot, encoder, settings, [analyse(q.text) for q in questions])
    print("  JSQuAD searched", file=sys.stderr, flush=True)
    hits, ranks, firsts = [], [], []
    for pair in GRID:
        rows = []
        for q, h in zip(questions, found, strict=True):
            files = [snapshot.by_id[c].source for c in h.order(pair)]
            rows.append(files.index(q.paragraph) + 1 if q.paragraph in files else None)
        hits.append([float(r is not None and r <= 5) for r in rows])
        ranks.append([1.0 / r if r else 0.0 for r in rows])
        firsts.append([float(r == 1) for r in rows])
    return np.asarray(hits), np.asarray(ranks), np.asarray(firsts)


def best(keys: list[np.ndarray], source: np.ndarray, rows: np.ndarray) -> int:
    """The pair with the best mean over sources of each key in turn, then the default."""

    def mean_over_sources(values: np.ndarray) -> np.ndarray:
        picked = [rows[source[rows] == s] for s in SOURCES]
        return np.mean([values[:, p].mean(axis=1) for p in picked if len(p)], axis=0)

    other = np.asarray([pair != AS_CONFIGURED for pair in GRID])
    order = (other, *(-np.round(mean_over_sources(k), 9) for k in reversed(keys)))
    return int(np.lexsort(order)[0])


def main() -> None:
    args = jsquad_cv_arguments(__doc__ or "")
    started = time.perf_counter()
    encoder = cached_encoder(Settings())
    settings = Settings()
    plan_hits, plan_ranks, n_plans = plan_rows(settings, encoder, [GOLD_DIR, TRAIN_DIR])
    out_hits, out_ranks, n_outside = plan_rows(settings, encoder, [args.outside])
    print("  plans searched", file=sys.stderr, flush=True)
    jsq_hits, jsq_ranks, jsq_first = jsquad_rows(
        args.dataset,
        _outside_project(args.var, "--var") if args.var else Path(tempfile.mkdtemp("-jsquad")),
        encoder,
        args.jsquad_limit,
    )
    source = np.asarray(["plans"] * n_plans + ["JSQuAD test"] * jsq_hits.shape[1])
    hits = np.hstack([plan_hits, jsq_hits])
    ranks = np.hstack([plan_ranks, jsq_ranks])
    # R@1 on the plans: a first passage holding the evidence is RR 1.
    firsts = np.hstack([(plan_ranks == 1.0).astype(float), jsq_first])
    picks: list[int] = []
    held: dict[str, list[list[float]]] = {s: [[], [], []] for s in SOURCES}
    for repeat, train, test in stratified_folds(source, args.folds, args.repeats):
        if len(held["plans"][0]) <= repeat:
            for s in SOURCES:
                for column in held[s]:
                    column.append(0.0)
        pick = best([hits, ranks, firsts], source, train)
        picks.append(pick)
        for s in SOURCES:
            rows = test[source[test] == s]
            n = (source == s).sum()
            for column, values in zip(held[s], (hits, ranks, firsts), strict=True):
                column[repeat] += float(values[pick, rows].sum() / n)
    chosen, times = Counter(picks).most_common(1)[0]
    n = Counter(source.tolist())

    lines = [
        "# Fusion and rescale weights by cross-validation (plan questions and JSQuAD test)",
        "",
        f"{n['plans']} labelled plan questions (eval/gold/, eval/gold/train/), "
        f"{n['JSQuAD test']} JSQuAD test questions; {n_outside} outside questions reported, "
        f"never fitted on. Grid: ngram {NGRAM} × dense {DENSE} × phrase {PHRASE} × sentence "
        f"{SENTENCE}; {args.folds}-fold CV "
        f"stratified by source, {args.repeats} repeats; a fold picks the pair with the best "
        "mean over the two sources of recall@5, then MRR@10, then R@1, then the default.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "## Held out (pair chosen on the training folds)",
        "",
        "| source | recall@5 | MRR@10 | R@1 |",
        "|---|---|---|---|",
        *(f"| {s} | " + " | ".join(spread(c) for c in held[s]) + " |" for s in SOURCES),
        "",
        "Picked per fold: "
        + ", ".join(f"{GRID[c]} ×{k}" for c, k in Counter(picks).most_common())
        + f"; chosen most often: **{GRID[chosen]}** ({times}/{len(picks)}).",
        "",
        "## Every setting on every question (ngram, dense, phrase, sentence)",
        "",
        "| pair | plans r@5 | plans MRR | plans R@1 | outside r@5 | outside MRR "
        "| JSQuAD r@5 | JSQuAD MRR | JSQuAD R@1 |",
        "|---" * 10 + "|",
    ]
    plans = source == "plans"
    jsq = ~plans
    for i, pair in enumerate(GRID):
        lines.append(
            f"| {pair} | {hits[i, plans].mean():.3f} | {ranks[i, plans].mean():.3f} | "
            f"{firsts[i, plans].mean():.3f} | {out_hits[i].mean():.3f} | "
            f"{out_ranks[i].mean():.3f} | {hits[i, jsq].mean():.3f} | "
            f"{ranks[i, jsq].mean():.3f} | {firsts[i, jsq].mean():.3f} |"
        )
    documented = documented_cv(args) and args.jsquad_limit is None
    publish(lines, RESULTS, args.out, documented)


if __name__ == "__main__":
    main()
