"""Where caller-worded questions lose their passage, by category, and the fusion levers measured.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/caller_fusion.py \\
        [--outside ../shared/eval/outside-questions.jsonl] [--folds 5] [--repeats 3] [--out F]

Every answerable question of the own gold, the outside set (by path) and the training sets
(``eval/gold/train/``) is searched once with the shipped settings, traced: each channel's
ranking (BM25, character bigrams, USE-m3) and the fused list before and after the coverage
rescale. Part 1 counts, per set and for caller wording (type paraphrase) apart, where the
evidence passage is when it is not in the top 5: in which channel's top 5 or 10, or in none.
Categories only; no question is printed.

Part 2 measures the levers that would move a passage some channel holds (issue 23 item 1),
each chosen per fold by grouped k-fold CV (a question's candidates stay together; folds
stratified by set × caller wording) over own dev + outside + training, scored on the held-out
questions; the own test split is never chosen on. Over the fused top ``POOL`` (what the
coverage rescale reads):

- a fitted fusion: a logistic model (pointwise, and pairwise: evidence passage against each
  other candidate; and pointwise over the shipped score and the two gap terms alone) over the shipped log score, each channel's reciprocal rank, the dense
  reciprocal rank times (1 − the question's coverage by its best lexical hit), the coverage,
  the USE-m3 cosine of the passage and of its best sentence (and that times the same gap);
- one weight added to the shipped log score: w × (the passage's or its best sentence's
  cosine − the pool's best) × (1 − top coverage), the query-dependent dense weight;
- the coverage rescale's exponent made query-dependent, × (1 − relax × (1 − top coverage)),
  searched again for each value.

Nothing here is used by the service. Tables go to stdout, and to bench/results/caller_fusion.md
for the documented run (5 folds × 3 repeats); any other run writes only where --out says.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from common.folds import stratified_folds
from common.report import machine
from common.retrieval_runs import add_cv_options, plan_searcher, search_text
from results_out import add_out_option, documented_cv, publish

from eval.gold import GOLD_DIR, OUTSIDE, TRAIN_DIR, GoldQuestion, load_gold
from eval.metrics import relevance
from index.retriever import HybridSearcher
from ingest.sudachi import split_sentences
from planqa.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "caller_fusion.md"
POOL = 30  # the candidates the coverage rescale reads: every lever reorders the same pool
CHANNELS = ("lexical", "ngram", "dense")
FEATURES = (
    "log_fused", "rr_lexical", "rr_ngram", "rr_dense", "rr_dense_uncovered", "cover",
    "cos_passage", "cos_sentence", "cos_sentence_uncovered",
)  # fmt: skip
RR_K = 5  # reciprocal rank 1 / (RR_K + rank); a passage absent from a channel reads 0
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
RELAX = (0.0, 0.25, 0.5, 1.0, -0.5, -1.0)
CATEGORIES = (
    "top 5", "fused 6-10", "lost by the coverage rescale",
    *(f"{n} top 5, lost in fusion" for n in CHANNELS),
    *(f"{n} top 6-10 only" for n in CHANNELS), "in no channel's top 10",
)  # fmt: skip


@dataclass
class Trace:
    """One search's channel rankings, fused list and the pooled candidates' readings."""

    rankings: dict[str, list[str]] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # fused, before the coverage rescale
    after: list[tuple[str, float]] = field(default_factory=list)  # after it
    top_cover: float = 0.0  # the best share of the question a top-5 lexical hit covers
    cover: dict[str, float] = field(default_factory=dict)
    cosine: dict[str, float] = field(default_factory=dict)  # USE-m3, question · passage
    sentence: dict[str, float] = field(default_factory=dict)  # question · its best sentence


class TracingSearcher(HybridSearcher):
    """The shipped searcher keeping what each stage ranked; ``relax`` makes the coverage
    exponent query-dependent (0: as shipped)."""

    trace: Trace
    relax = 0.0
    sentences: np.ndarray  # unit USE-m3 vectors of the passages' sentences
    owners: np.ndarray  # the row of the chunk each sentence is of

    def _lexical_channels(self, analysis, query, allowed, candidates):  # noqa: ANN001, ANN202
        rankings, scored = super()._lexical_channels(analysis, query, allowed, candidates)
        self.trace = Trace(rankings=rankings)
        self.trace.top_cover = float(self._covers(query, rankings["lexical"][:5]).max(initial=0))
        return rankings, scored

    def _dense(self, vector, candidates, filters, allowed):  # noqa: ANN001, ANN202
        hits = super()._dense(vector, candidates, filters, allowed)
        self.trace.rankings["dense"] = [chunk_id for chunk_id, _ in hits]
        return hits

    def _rescale_by_coverage(self, query, fused):  # noqa: ANN001, ANN202
        self.trace.before = [chunk_id for chunk_id, _ in fused]
        shipped = self.settings
        power = shipped.coverage_weight * max(0.0, 1.0 - self.relax * (1.0 - self.trace.top_cover))
        self.settings = shipped.model_copy(update={"coverage_weight": power})
        try:
            after = super()._rescale_by_coverage(query, fused)
        finally:
            self.settings = shipped
        self.trace.after = after
        if self.relax == 0:
            self._read_pool(query, [chunk_id for chunk_id, _ in after[:POOL]])
        return after

    def _read_pool(self, query: str, pool: list[str]) -> None:
        self.trace.cover = dict(zip(pool, self._covers(query, pool).tolist(), strict=True))
        vector = self.query_vector(query)
        rows = [self.snapshot.position[c] for c in pool]
        cosines = self.snapshot.vectors[rows] @ vector
        per_sentence = self.sentences @ vector
        for chunk_id, row, passage in zip(pool, rows, cosines.tolist(), strict=True):
            mine = per_sentence[self.owners == row]
            self.trace.cosine[chunk_id] = passage
            self.trace.sentence[chunk_id] = float(mine.max()) if len(mine) else passage

    def _covers(self, query: str, chunk_ids: list[str]) -> np.ndarray:
        snapshot, lexical = self.snapshot, self.snapshot.lexical
        rows = [snapshot.position[c] for c in chunk_ids if c in snapshot.position]
        if not rows:
            return np.zeros(0, dtype=np.float32)
        return lexical.coverages(
            query, snapshot.text_terms(), rows, nearby=lexical.bm25.weights,
            nearby_weight=self.settings.coverage_heading_weight,
        )  # fmt: skip


def labelled(outside: Path) -> tuple[list[GoldQuestion], list[str], list[str]]:
    """Answerable questions, their search text, and their set (dev, test, outside, train/…)."""
    sets = [("dev", load_gold(GOLD_DIR, "dev")), ("test", load_gold(GOLD_DIR, "test"))]
    if outside.exists():
        sets.append((OUTSIDE, load_gold(outside)))
    sets += [(f"train/{p.stem}", load_gold(p)) for p in sorted(TRAIN_DIR.glob("*.jsonl"))]
    questions, texts, names = [], [], []
    for name, found in sets:
        for q in (q for q in found if q.answerable):
            questions.append(q)
            texts.append(search_text(q))
            names.append(name)
    return questions, texts, names


def first_rank(evidence: list[str], ranking: list[str], text_of: dict[str, str]) -> int | None:
    """1-based rank of the first passage holding some evidence string, None if absent."""
    rel = relevance(evidence, [text_of[c] for c in ranking])
    return next((i for i, found in enumerate(rel, 1) if found), None)


def category(ranks: dict[str, int | None]) -> str:
    """Where a passage is, the first of ``CATEGORIES`` that holds it; ``ranks`` has the final
    rank (``after``), the fused one before the coverage rescale (``before``) and each
    channel's."""

    def within(name: str, depth: int) -> bool:
        rank = ranks.get(name)
        return rank is not None and rank <= depth

    if within("after", 5):
        return "top 5"
    if within("after", 10):
        return "fused 6-10"
    if within("before", 5):
        return "lost by the coverage rescale"
    for depth, form in ((5, "{} top 5, lost in fusion"), (10, "{} top 6-10 only")):
        for name in CHANNELS:
            if within(name, depth):
                return form.format(name)
    return "in no channel's top 10"


def features(trace: Trace, pool: list[str]) -> np.ndarray:
    """One row of ``FEATURES`` per pooled candidate (``pool`` non-empty)."""
    ranks = {n: {c: r for r, c in enumerate(trace.rankings.get(n, []), 1)} for n in CHANNELS}
    fused = dict(trace.after)
    top = max(fused[pool[0]], 1e-9)
    gap = 1.0 - trace.top_cover
    rows = []
    for chunk_id in pool:
        rr = {n: 1.0 / (RR_K + ranks[n][chunk_id]) if chunk_id in ranks[n] else 0.0
              for n in CHANNELS}  # fmt: skip
        sentence = trace.sentence[chunk_id]
        rows.append([
            np.log(max(fused[chunk_id], 1e-6) / top), rr["lexical"], rr["ngram"], rr["dense"],
            rr["dense"] * gap, trace.cover.get(chunk_id, 0.0), trace.cosine[chunk_id],
            sentence, sentence * gap,
        ])  # fmt: skip
    return np.asarray(rows, dtype=np.float64)


def scored_ranks(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """recall@5 (some evidence passage in the top 5) and MRR@10 of a pool ordered by score."""
    found = np.flatnonzero(labels[np.argsort(-scores, kind="stable")])
    if not len(found):
        return 0.0, 0.0
    rank = int(found[0]) + 1
    return float(rank <= 5), (1.0 / rank if rank <= 10 else 0.0)


@dataclass
class Pools:
    """Per question: the pooled candidates' features, which hold evidence, and the shipped
    recall@5 / MRR@10 (a question whose evidence is beyond the pool keeps it)."""

    x: list[np.ndarray]
    y: list[np.ndarray]
    shipped: np.ndarray
    fused: np.ndarray  # the search returned the fused order (no page-label hits put first)

    def only(self, columns: list[int]) -> Pools:
        """The same pools with only ``columns`` of the features."""
        return Pools([x[:, columns] for x in self.x], self.y, self.shipped, self.fused)

    def movable(self, i: int) -> bool:
        """Whether a lever reorders question ``i``: its evidence is pooled and its top is
        the fused order (a page named in the question keeps its passages first)."""
        return bool(self.fused[i] and len(self.x[i]) and self.y[i].any())

    def reordered(self, score: Callable[[np.ndarray], np.ndarray], rows) -> np.ndarray:  # noqa: ANN001
        return np.asarray([
            scored_ranks(score(self.x[i]), self.y[i]) if self.movable(i) else self.shipped[i]
            for i in rows
        ])  # fmt: skip


def fit_logistic(pools: Pools, rows: np.ndarray, pairwise: bool, c: float = 1.0):  # noqa: ANN201
    """A logistic model on the pooled rows of ``rows`` (pairwise: differences)."""
    from sklearn.linear_model import LogisticRegression

    if pairwise:
        diffs = [
            (pools.x[i][pools.y[i]][:, None] - pools.x[i][~pools.y[i]][None]).reshape(
                -1, pools.x[i].shape[1]
            )
            for i in rows
            if pools.movable(i) and not pools.y[i].all()
        ]
        x = np.vstack(diffs)
        x, y = np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))]
        return LogisticRegression(C=c, max_iter=2000, fit_intercept=False).fit(x, y)
    x = np.vstack([pools.x[i] for i in rows if pools.movable(i)])
    y = np.concatenate([pools.y[i] for i in rows if pools.movable(i)])
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    return model.fit(x, y)


def folds(strata: np.ndarray, rows: np.ndarray, args: argparse.Namespace):  # noqa: ANN201
    """(repeat, training rows, held-out rows) of the grouped, stratified k-fold CV."""
    for repeat, train, test in stratified_folds(strata[rows], args.folds, args.repeats):
        yield repeat, rows[train], rows[test]


def choose(
    found: np.ndarray, strata: np.ndarray, rows: np.ndarray, args
) -> tuple[list, np.ndarray]:  # noqa: ANN001
    """Per fold the setting with the best training recall@5 (then MRR@10, then setting 0);
    returns the picks and the held-out (recall@5, MRR@10) averaged over repeats."""
    picks, held = [], np.zeros((args.repeats, found.shape[1], 2))
    for repeat, train, test in folds(strata, rows, args):
        mean = found[:, train].mean(axis=1)
        pick = int(np.lexsort((np.arange(len(found)) != 0, -mean[:, 1], -mean[:, 0]))[0])
        picks.append(pick)
        held[repeat, test] = found[pick, test]
    return picks, held.mean(axis=0)


def one_weight(pools: Pools, column: int, weight: float, gap: np.ndarray) -> np.ndarray:
    """Each question's pool reordered by log score + weight × (the feature − the pool's best)
    × the question's gap (1 − top coverage)."""
    found = []
    for i, x in enumerate(pools.x):
        if not pools.movable(i):
            found.append(pools.shipped[i])
            continue
        score = x[:, 0] + weight * (x[:, column] - x[:, column].max()) * gap[i]
        found.append(scored_ranks(score, pools.y[i]))
    return np.asarray(found)


def cell(found: np.ndarray, mask: np.ndarray, caller: np.ndarray) -> str:
    """recall@5 / MRR@10 (caller wording's recall@5) of the rows in ``mask``."""
    mine = mask & caller
    inner = f" ({found[mine, 0].mean():.3f})" if mine.any() else ""
    return f"{found[mask, 0].mean():.3f} / {found[mask, 1].mean():.3f}{inner}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_cv_options(parser)
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, encoder, plain = plan_searcher()
    snapshot = plain.snapshot
    searcher = TracingSearcher(snapshot, encoder, settings.retrieval)
    text_of = {c.id: c.text for c in snapshot.chunks}
    owners, sentences = [], []
    for row, chunk in enumerate(snapshot.chunks):
        for sentence in split_sentences(chunk.text):
            if len(sentence) >= 8:  # as the sentence-vector levers of retrieval_levers.py
                owners.append(row)
                sentences.append(sentence)
    vectors = np.asarray(encoder.embed_documents(sentences), dtype=np.float32)
    searcher.sentences = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    searcher.owners = np.asarray(owners)
    questions, texts, names = labelled(args.outside)
    set_of, caller = np.asarray(names), np.asarray([q.type == "paraphrase" for q in questions])

    fused_order: list[bool] = []

    def search_all() -> tuple[np.ndarray, list[Trace], list[dict[str, int | None]]]:
        found, traces, ranks = [], [], []
        for q, text in zip(questions, texts, strict=True):
            returned = [h.chunk.id for h in searcher.search(text, 10)]
            final = first_rank(q.evidence, returned, text_of)
            trace = searcher.trace
            fused_order.append(returned == [c for c, _ in trace.after[: len(returned)]])
            at = {n: first_rank(q.evidence, trace.rankings.get(n, []), text_of) for n in CHANNELS}
            at |= {"before": first_rank(q.evidence, trace.before, text_of), "after": final}
            found.append((float(final is not None and final <= 5),
                          1.0 / final if final is not None and final <= 10 else 0.0))  # fmt: skip
            traces.append(trace)
            ranks.append(at)
        return np.asarray(found), traces, ranks

    shipped, traces, ranks = search_all()
    cats = np.asarray([category(r) for r in ranks])
    empty = np.zeros((0, len(FEATURES)))
    pool_ids = [[c for c, _ in t.after[:POOL]] for t in traces]
    pools = Pools(
        [features(t, ids) if ids else empty for t, ids in zip(traces, pool_ids, strict=True)],
        [np.asarray([bool(r) for r in relevance(q.evidence, [text_of[c] for c in ids])])
         for q, ids in zip(questions, pool_ids, strict=True)],
        shipped,
        np.asarray(fused_order[: len(questions)]),
    )  # fmt: skip
    train = np.char.startswith(set_of, "train/")
    groups = {
        "own dev": set_of == "dev",
        "own test": set_of == "test",
        "outside": set_of == OUTSIDE,
        "train caller": set_of == "train/caller",
        "train uncovered": set_of == "train/uncovered",
        "train other": train & (set_of != "train/caller") & (set_of != "train/uncovered"),
    }
    lines = [
        "# Caller wording: where the passage is lost, and the fusion levers",
        "",
        f"{len(questions)} answerable questions (own dev, own test, outside by path, "
        f"`eval/gold/train/`); index `{snapshot.generation.name}`, encoder "
        f"`{settings.embedding.backend}`, shipped settings.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "## 1. Where the evidence passage is (questions; caller wording in parentheses)",
        "",
        "A question counts once, in the first row that holds it. The training sets are the",
        "ones diagnosed; the outside set's column is counts only.",
        "",
        "| category | " + " | ".join(groups) + " |",
        "|---" * (len(groups) + 1) + "|",
    ]
    for name in CATEGORIES:
        lines.append(f"| {name} | " + " | ".join(
            f"{int(((cats == name) & m).sum())} ({int(((cats == name) & m & caller).sum())})"
            for m in groups.values()) + " |")  # fmt: skip
    lines.append("| questions | " + " | ".join(
        f"{int(m.sum())} ({int((m & caller).sum())})" for m in groups.values()) + " |")  # fmt: skip
    none = cats == "in no channel's top 10"
    best = np.asarray([min((r[n] for n in CHANNELS if r[n]), default=0) for r in ranks])
    lines += ["", "Of those in no channel's top 10, the best channel rank is 11-20 / 21-50 / "
              "beyond 50 in every channel:"]  # fmt: skip
    for name, m in groups.items():
        counts = [(none & m & (best > 10) & (best <= 20)).sum(),
                  (none & m & (best > 20)).sum(), (none & m & (best == 0)).sum()]  # fmt: skip
        lines.append(f"- {name}: " + " / ".join(str(int(n)) for n in counts))

    fit = set_of != "test"
    strata = np.char.add(set_of, np.where(caller, "/caller", ""))
    common = Counter(strata[fit].tolist())
    strata = np.asarray([s if common[s] >= args.folds else s.split("/")[0] for s in strata])
    fit_rows, test_rows = np.flatnonzero(fit), np.flatnonzero(~fit)
    everyone = np.arange(len(questions))
    lines += [
        "",
        f"## 2. Levers, each alone; grouped {args.folds}-fold CV × {args.repeats} over own "
        "dev + outside + training",
        "",
        "Cells: recall@5 / MRR@10 (caller wording recall@5). *Held out*: each question scored",
        "by a setting or model chosen without it (mean over repeats); the own test column by",
        "the one chosen on every other row.",
    ]

    def report(title: str, rows: list[tuple[str, np.ndarray]], held: np.ndarray, note: str) -> None:
        lines.extend(["", f"### {title}", "", note, "",
                      "| setting | " + " | ".join(groups) + " | all CV rows |",
                      "|---" * (len(groups) + 2) + "|"])  # fmt: skip
        for label, found in [("shipped", shipped), *rows, ("held out (CV)", held)]:
            lines.append(f"| {label} | " + " | ".join(
                cell(found, m, caller) for m in [*groups.values(), fit]) + " |")  # fmt: skip

    minimal = ["log_fused", "rr_dense_uncovered", "cos_sentence_uncovered"]
    for title, names_used, pairwise in (
        ("Fitted fusion, pointwise logistic", FEATURES, False),
        ("Fitted fusion, pairwise logistic", FEATURES, True),
        ("Fitted query-dependent weights only, pointwise logistic", minimal, False),
    ):
        view = pools.only([FEATURES.index(n) for n in names_used])
        held = np.zeros((args.repeats, len(questions), 2))
        for repeat, train_rows, test in folds(strata, fit_rows, args):
            model = fit_logistic(view, train_rows, pairwise)
            held[repeat, test] = view.reordered(model.decision_function, test)
        held = held.mean(axis=0)
        model = fit_logistic(view, fit_rows, pairwise)
        held[test_rows] = view.reordered(model.decision_function, test_rows)
        in_sample = view.reordered(model.decision_function, everyone)
        weights = ", ".join(
            f"{n} {w:+.2f}" for n, w in zip(names_used, model.coef_[0], strict=True)
        )
        report(title, [("fitted on all, in sample", in_sample)], held,
               f"Weights fitted on every non-test row: {weights}.")  # fmt: skip

    gap = np.asarray([1.0 - t.top_cover for t in traces])
    for name in ("cos_passage", "cos_sentence"):
        column = FEATURES.index(name)
        found = np.stack([one_weight(pools, column, w, gap) for w in WEIGHTS])
        picks, held = choose(found, strata, fit_rows, args)
        held[test_rows] = found[Counter(picks).most_common(1)[0][0], test_rows]
        report(f"Query-dependent {name} weight", [(f"w {w}", found[k]) for k, w in
               enumerate(WEIGHTS) if k], held,
               "log score + w × (cosine − the pool's best) × (1 − top coverage); CV picks "
               + ", ".join(f"{WEIGHTS[p]} ×{picks.count(p)}" for p in sorted(set(picks))) + ".")  # fmt: skip

    found = [shipped]
    for value in RELAX[1:]:
        searcher.relax = value
        found.append(search_all()[0])
    searcher.relax = 0.0
    found = np.stack(found)
    picks, held = choose(found, strata, fit_rows, args)
    held[test_rows] = found[Counter(picks).most_common(1)[0][0], test_rows]
    report("Query-dependent coverage exponent", [(f"relax {v}", found[k]) for k, v in
           enumerate(RELAX) if k], held,
           "power × (1 − relax × (1 − top coverage)), searched again per value; CV picks "
           + ", ".join(f"{RELAX[p]} ×{picks.count(p)}" for p in sorted(set(picks))) + ".")  # fmt: skip

    lines.append(f"\nWall time: {time.perf_counter() - started:.0f} s.")
    publish(lines, RESULTS, args.out, documented_cv(args))


if __name__ == "__main__":
    main()
