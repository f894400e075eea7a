"""Issue 23's open caller-word levers, each alone, on every labelled set, chosen per set held out.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/caller_levers.py \
        [--outside ../shared/eval/outside-questions.jsonl] [--only NAME] [--out PATH]

The levers were first measured on own dev + outside alone (bench/retrieval_levers.py,
retrieval_fields.py), before the caller training files (train caller-2026-12-08, the
caller wording of every set) existed; here each is swept again over all of
``kanji_neighbours.labelled``'s sets:

- **heading fields** (BM25F): the chunk's row context (document, chapter, area, block) and
  its title count at a weight of their own in its BM25 document, as the continued-results
  field does (index/build/continued_field.py); that field's weight swept the same way (the
  other fields at the index's weights: context and title 1, continued as configured);
- **query-dependent dense weight**: ``0.1 + slope × (1 − coverage)``, coverage the best
  share of the question a top-5 lexical hit holds (``retrieval_levers.AdaptiveDense``);
- **one-way reach-only synonyms**: SudachiDict's flag-1 words added for a typed word of
  their group (``retrieval_levers.OneWaySynonyms``);
- **sentence-level dense score**: a passage's USE-m3 cosine mixed with its best sentence's
  (``retrieval_levers.SentenceDense``; sentences embedded here, as
  ``retrieval.dense_sentences`` would store them).

Each lever's value is chosen leave-one-set-out (the value with the best recall@5, then
MRR@10, then the shipped one, on the other sets, the own fresh split never among them) and
scored on the set left out, as bench/kanji_neighbours.py does. Nothing here is used by the
service.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from common.report import run_lines
from common.retrieval_runs import lexical_like, plan_searcher, recall_and_rank, with_lexical
from kanji_neighbours import labelled, set_masks
from results_out import add_out_option, publish
from retrieval_levers import (
    AdaptiveDense,
    OneWaySynonyms,
    SentenceDense,
    reach_only,
    sentence_searcher,
)

from eval.gold import OUTSIDE_SET
from index.bm25 import Bm25Index
from index.build.continued_field import with_continued_field
from index.retriever import HybridSearcher
from ingest.model import Chunk
from planqa.settings import PROJECT_ROOT
from plantrace.store import load_trace

RESULTS = PROJECT_ROOT / "bench" / "results" / "caller-levers.md"
FIELD_WEIGHTS = (0.5, 1.5, 2.0)
TITLE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.5, 2.0)
SLOPES = (0.1, 0.2, 0.5)
SYNONYM_WEIGHTS = (0.3, 0.6)
SENTENCE_MIXES = (0.5, 1.0)
DENSE_BESIDE = (0.05, 0.1, 0.2, 0.3)


class DenseBesideCoverage(HybridSearcher):
    """The dense channel's share of a fused score kept out of the coverage rescale: the
    rescale multiplies what the lexical channels found by the share of the question's terms
    a passage holds, which a passage found by meaning in other words lacks by definition."""

    def __init__(self, snapshot, encoder, settings, weight: float) -> None:  # noqa: ANN001
        super().__init__(snapshot, encoder, settings)
        self.dense_weight = weight
        self._dense_share: dict[str, float] = {}

    def _dense(self, vector, candidates, filters, allowed):  # noqa: ANN001, ANN202
        found = super()._dense(vector, candidates, filters, allowed)
        scores = [score for _, score in found]
        low, top = (min(scores), max(scores)) if scores else (0.0, 1.0)
        span = (top - low) or 1.0
        self._dense_share = {cid: self.dense_weight * (s - low) / span for cid, s in found}
        return found

    def _rescale_by_coverage(self, query, fused):  # noqa: ANN001, ANN202
        share = self._dense_share
        lexical = [(cid, score - share.get(cid, 0.0)) for cid, score in fused]
        rescaled = super()._rescale_by_coverage(query, lexical)
        back = [(cid, score + share.get(cid, 0.0)) for cid, score in rescaled]
        back.sort(key=lambda pair: (-pair[1], pair[0]))
        return back


def field_counts(
    chunks: Sequence[Chunk], terms: Callable[[str], Sequence[str]], context: float, title: float
) -> list[Counter[str]]:
    """Each chunk's BM25 term counts with its row context and its title at their weights
    (the text at 1); both 1 are the counts ``index/build/analysis_step`` indexes."""
    counts: list[Counter[str]] = []
    for chunk in chunks:
        count: Counter[str] = Counter()
        seen: list[str] = []
        for part, weight in ((chunk.context, context), (chunk.title or "", title)):
            if part and part not in seen and part != chunk.text:
                seen.append(part)
                for term in terms(part):
                    count[term] += weight
        for term in terms(chunk.text):
            count[term] += 1.0
        counts.append(count)
    return counts


def arguments() -> argparse.Namespace:
    """``--outside`` (the outside set, read by path), ``--only`` and ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")
    parser.add_argument("--only", default="", help="measure the levers whose name holds this")
    add_out_option(parser)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    started = time.perf_counter()
    settings, encoder, searcher = plan_searcher()
    base = searcher.snapshot
    old = base.lexical
    groups, texts, questions = labelled(args.outside)
    trace = load_trace(base.generation)
    shipped_title = 1.0  # the title's weight in the index's BM25 (records.index_parts)
    shipped_continued = settings.retrieval.continued_weight

    def with_bm25(context: float, title: float, continued: float) -> HybridSearcher:
        counts = field_counts(base.chunks, old.analyzer.cached_terms, context, title)
        weighted = with_continued_field(
            counts, base.chunks, trace, old.analyzer.cached_terms, continued
        )
        bm25 = Bm25Index.build(weighted, k1=old.bm25.k1, b=old.bm25.b)
        lexical = lexical_like(old, bm25=bm25)
        return HybridSearcher(with_lexical(base, lexical), encoder, settings.retrieval)

    # lever → [(value label, run)]; each run searches every question once.
    levers: dict[str, list[tuple[str, Callable[[], HybridSearcher]]]] = {
        "row context field (weight)": [
            (str(w), lambda w=w: with_bm25(w, shipped_title, shipped_continued))
            for w in FIELD_WEIGHTS
        ],
        "title field (weight)": [
            (str(w), lambda w=w: with_bm25(1.0, w, shipped_continued)) for w in TITLE_WEIGHTS
        ],
        "continued-results field (weight)": [
            (str(w), lambda w=w: with_bm25(1.0, shipped_title, w)) for w in (0.0, 0.5, 2.0)
        ],
    }

    def adaptive(slope: float) -> HybridSearcher:
        dense = AdaptiveDense(base, encoder, settings.retrieval)
        dense.base, dense.gain = dense.dense_weight, slope
        return dense

    levers["query-dependent dense weight (slope)"] = [
        (str(s), lambda s=s: adaptive(s)) for s in SLOPES
    ]

    def one_way(weight: float) -> HybridSearcher:
        synonyms = lexical_like(old, kind=OneWaySynonyms)
        assert isinstance(synonyms, OneWaySynonyms)
        synonyms.reach, synonyms.weight = reach_only(synonyms), weight
        return HybridSearcher(with_lexical(base, synonyms), encoder, settings.retrieval)

    levers["one-way reach-only synonyms (weight)"] = [
        (str(w), lambda w=w: one_way(w)) for w in SYNONYM_WEIGHTS
    ]
    sentence_dense: list[SentenceDense] = []

    def best_sentence(mix: float) -> HybridSearcher:
        if not sentence_dense:  # embedded once, for the first mix
            sentence_dense.append(sentence_searcher(base, encoder, settings.retrieval))
        sentence_dense[0].mix = mix
        return sentence_dense[0]

    levers["sentence-level dense score (best-sentence mix)"] = [
        (str(m), lambda m=m: best_sentence(m)) for m in SENTENCE_MIXES
    ]

    def uncovered(weight: float) -> HybridSearcher:
        return DenseBesideCoverage(base, encoder, settings.retrieval, weight)

    levers["dense score beside the coverage rescale (weight)"] = [
        (str(w), lambda w=w: uncovered(w)) for w in DENSE_BESIDE
    ]

    masks = set_masks(groups, questions)
    group = np.asarray(groups)
    names = list(dict.fromkeys(groups))
    shipped = recall_and_rank(searcher, questions, texts)
    lines = [
        "## Caller-word levers, each alone (recall@5 / MRR@10)",
        "",
        f"{len(groups)} answerable questions; index `{base.generation.name}`.",
    ]
    header = ["| value | " + " | ".join(masks) + " |", "|---" * (len(masks) + 1) + "|"]

    def row(label: str, hit: np.ndarray, rank: np.ndarray) -> str:
        cells = " | ".join(f"{hit[m].mean():.3f} / {rank[m].mean():.3f}" for m in masks.values())
        return f"| {label} | {cells} |"

    for name, arms in levers.items():
        if args.only not in name:
            continue
        hits, ranks = [np.asarray(shipped[0])], [np.asarray(shipped[1])]
        for _, run in arms:
            found = recall_and_rank(run(), questions, texts)
            hits.append(np.asarray(found[0]))
            ranks.append(np.asarray(found[1]))
        hit, rank = np.asarray(hits), np.asarray(ranks)
        labels = ["as indexed", *(label for label, _ in arms)]
        held_hit, held_rank = np.zeros(len(groups)), np.zeros(len(groups))
        picks = []
        for g in names:
            # The fresh test split is scored, never chosen on (eval/gold README).
            train = (group != g) & (group != "own fresh")
            score = [(hit[r, train].mean(), rank[r, train].mean(), r == 0) for r in range(len(hit))]
            best = max(range(len(hit)), key=lambda r: score[r])
            picks.append(labels[best])
            held_hit[group == g] = hit[best, group == g]
            held_rank[group == g] = rank[best, group == g]
        lines += ["", f"### {name}", "", *header]
        lines += [row(label, hit[r], rank[r]) for r, label in enumerate(labels)]
        lines.append(row("**held out** (chosen on the other sets)", held_hit, held_rank))
        lines += ["", "Chosen per set left out: " + ", ".join(
            f"{g}: {p}" for g, p in zip(names, picks, strict=True)
        ) + "."]  # fmt: skip
        print(f"  {name} measured ({time.perf_counter() - started:.0f} s)", flush=True)
    lines[3:3] = run_lines(started)
    publish(lines, RESULTS, args.out, documented=args.outside.exists() and not args.only)


if __name__ == "__main__":
    main()
