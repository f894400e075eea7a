"""Fit the lexical kind prior (RetrievalSettings.kind_prior) by grouped k-fold cross-validation.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/cv_kind_prior.py \
        [--outside ../shared/eval/outside-questions.jsonl] [--folds 5] [--repeats 3]

Questions: every answerable one of eval/gold/ (dev and fresh), eval/gold/train/ and the
outside set. Per fold, a coordinate search from the current prior (one kind at a time, over
GRID, two sweeps) picks the prior with the most top-5 hits on the training folds (ties: higher
MRR@10, then fewer changes from the current prior) and scores it on the held-out fold; folds
are stratified by source (own, train, outside) × question type, as bench/cv_defaults.py does,
and reshuffled per repeat. The prior shipped is the most frequent pick. Every prior is
searched once over the whole question set (cached), over the index in var/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.retrieval_runs import cached_encoder  # noqa: E402

from answer.schemas import Turn  # noqa: E402
from eval.gold import GOLD_DIR, OUTSIDE, OUTSIDE_SET, load_gold  # noqa: E402
from eval.metrics import hit_at, reciprocal_rank, relevance  # noqa: E402
from index.retriever import HybridSearcher  # noqa: E402
from index.snapshot import open_snapshot  # noqa: E402
from planqa.settings import Settings  # noqa: E402
from question import analyse  # noqa: E402

KINDS = ("table", "fy_result", "result", "review", "plan_summary", "fy_plan")
GRID = (0.7, 0.8, 0.85, 0.9, 1.0, 1.15, 1.3)
Prior = tuple  # one value per KINDS


class Scorer:
    """Top-5 hits and reciprocal ranks of every question under a prior, each prior once."""

    def __init__(self, settings: Settings, questions: list) -> None:
        self.settings = settings
        self.encoder = cached_encoder(settings)
        self.snapshot = open_snapshot(settings, self.encoder.name)
        self.questions = questions
        self.analyses = [
            analyse(q.question, [Turn(**m) for m in q.history_messages()]) for q in questions
        ]
        self.cache: dict[Prior, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, prior: Prior) -> tuple[np.ndarray, np.ndarray]:
        if prior not in self.cache:
            update = {"kind_prior": {k: v for k, v in zip(KINDS, prior, strict=True) if v != 1}}
            retrieval = self.settings.retrieval.model_copy(update=update)
            searcher = HybridSearcher(self.snapshot, self.encoder, retrieval)
            rels = [
                relevance(q.evidence, [hit.chunk.text for hit in searcher.search(a, 10)])
                for q, a in zip(self.questions, self.analyses, strict=True)
            ]
            hits = np.asarray([hit_at(rel, 5) for rel in rels])
            ranks = np.asarray([reciprocal_rank(rel, 10) for rel in rels])
            self.cache[prior] = (hits, ranks)
            print(f"  {len(self.cache)} priors scored", file=sys.stderr, flush=True)
        return self.cache[prior]


OBJECTIVE = "recall"  # or "mrr": MRR@10 first, then top-5 hits (--objective)


def key(scorer: Scorer, prior: Prior, start: Prior, rows: np.ndarray) -> tuple:
    hits, ranks = scorer(prior)
    changes = sum(a != b for a, b in zip(prior, start, strict=True))
    if OBJECTIVE == "mrr":
        return (round(float(ranks[rows].mean()), 9), hits[rows].sum(), -changes)
    return (hits[rows].sum(), ranks[rows].mean(), -changes)


def coordinate_search(scorer: Scorer, start: Prior, rows: np.ndarray, sweeps: int) -> Prior:
    best = start
    for _ in range(sweeps):
        moved = False
        for i in range(len(KINDS)):
            candidates = [best[:i] + (v,) + best[i + 1 :] for v in sorted({*GRID, start[i]})]
            pick = max(candidates, key=lambda p: key(scorer, p, start, rows))
            if pick != best:
                best, moved = pick, True
        if not moved:
            break
    return best


def describe(prior: Prior) -> str:
    return ", ".join(f"{k} {v}" for k, v in zip(KINDS, prior, strict=True))


def main() -> None:
    global OBJECTIVE, GRID
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sweeps", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--objective", choices=("recall", "mrr"), default="recall")
    parser.add_argument("--grid", default=",".join(map(str, GRID)), help="values per kind")
    args = parser.parse_args()
    OBJECTIVE, GRID = args.objective, tuple(float(v) for v in args.grid.split(","))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sklearn.model_selection import StratifiedKFold

    started = time.perf_counter()
    paths = [GOLD_DIR, GOLD_DIR / "train", args.outside]
    questions = [q for p in paths if p.exists() for q in load_gold(p) if q.answerable]
    source = np.asarray(
        ["outside" if q.split == OUTSIDE else "train" if q.split == "train" else "own"
         for q in questions]
    )  # fmt: skip
    strata = np.char.add(np.char.add(source, "/"), np.asarray([q.type for q in questions]))
    # A stratum too small for the folds joins its source's catch-all.
    counts = Counter(strata)
    strata = np.asarray(
        [s if counts[s] >= args.folds else s.split("/")[0] + "/other" for s in strata]
    )
    settings = Settings()
    current = tuple(settings.retrieval.kind_prior.get(k, 1.0) for k in KINDS)
    scorer = Scorer(settings, questions)
    picks, held = [], []
    for repeat in range(args.repeats):
        splitter = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed + repeat)
        hits, ranks = np.zeros(len(questions)), np.zeros(len(questions))
        for train, test in splitter.split(strata, strata):
            picks.append(coordinate_search(scorer, current, train, args.sweeps))
            h, r = scorer(picks[-1])
            hits[test], ranks[test] = h[test], r[test]
        held.append((hits, ranks))
    chosen, times = Counter(picks).most_common(1)[0]
    in_sample = coordinate_search(scorer, current, np.arange(len(questions)), args.sweeps)
    masks = {"all": np.ones(len(questions), bool)}
    masks |= {s: source == s for s in ("own", "train", "outside")}

    def row(name: str, hits: list[np.ndarray], ranks: list[np.ndarray]) -> str:
        cells = []
        for m in masks.values():
            h = [float(x[m].mean()) for x in hits]
            r = [float(x[m].mean()) for x in ranks]
            cells.append(f"{statistics.fmean(h):.3f} / {statistics.fmean(r):.3f}")
        return f"| {name} | " + " | ".join(cells) + " |"

    base_h, base_r = scorer(current)
    chosen_h, chosen_r = scorer(chosen)
    print(f"{len(questions)} answerable questions: " + ", ".join(
        f"{s} {int(m.sum())}" for s, m in masks.items()))  # fmt: skip
    print(f"{args.folds}-fold × {args.repeats} CV, strata source × type, coordinate search "
          f"({args.sweeps} sweeps, objective {OBJECTIVE}) over {GRID}; {len(scorer.cache)} priors scored; "
          f"{time.perf_counter() - started:.0f} s; index {scorer.snapshot.generation.name}")  # fmt: skip
    print("\n| recall@5 / MRR@10 | " + " | ".join(masks) + " |")
    print("|---" * (len(masks) + 1) + "|")
    print(row("current prior (no fit)", [base_h], [base_r]))
    print(row("CV: picked on training folds, held-out", [h for h, _ in held],
              [r for _, r in held]))  # fmt: skip
    print(row("most frequent pick, in sample", [chosen_h], [chosen_r]))
    print(f"\ncurrent: {describe(current)}")
    print(f"most frequent pick ({times} of {len(picks)}): {describe(chosen)}")
    print(f"in-sample pick: {describe(in_sample)}")
    for prior, n in Counter(picks).most_common():
        print(f"  ×{n}  {describe(prior)}")
    change = chosen_h - base_h
    print("gained:", ", ".join(q.id for q, d in zip(questions, change, strict=True) if d > 0))
    print("lost:", ", ".join(q.id for q, d in zip(questions, change, strict=True) if d < 0))


if __name__ == "__main__":
    main()
