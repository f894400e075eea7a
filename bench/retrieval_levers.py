"""Measure retrieval levers that were tried and not kept, each alone, over the live index.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/retrieval_levers.py \\
        [--outside ../shared/eval/outside-questions.jsonl] [--folds 5] [--repeats 3]

Each lever is a small subclass of the searcher (nothing here is used by the service), with a
few settings swept; setting 0 is the code as it is. Per lever, the setting with the best
training recall@5 is picked per fold over own dev + outside (bench/retrieval_fields.py's
cross-validation) and scored on the held-out questions. The levers (issue 23):

- adaptive dense: the dense weight grows when the question's terms cover little of the
  top five lexical hits, ``base + gain × (1 − coverage)``;
- adaptive chiVe: the neighbour weight grows the same way, ``0.5 + gain × (1 − coverage)``;
- RM3: the top lexical passages' strongest terms, not typed, added to the BM25 query;
- sentence vectors: a passage's dense score mixed with its best sentence's (USE-m3 per
  sentence, embedded here: what an index would add);
- chiVe sentence vectors: a passage's dense score mixed with its best sentence's chiVe SIF
  similarity to the question (the sentence vectors the index stores,
  index/sentence_vectors.py);
- one-way synonyms: SudachiDict's reach-only (flag 1) words added for a typed word of their
  group (data/synonyms/synonyms.txt).

Tables go to stdout, and to bench/results/retrieval_levers.md for the run it records (every lever,
5 folds x 3 repeats); any other run writes only where --out says.
"""

from __future__ import annotations

import argparse
import csv
import shlex
import sys
import time
from collections.abc import Callable
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
from results_out import add_out_option, publish

from eval.gold import OUTSIDE
from index.encoders import Encoder
from index.lexical import ExpansionConfig, LexicalSearcher
from index.retriever import HybridSearcher
from index.snapshot import Snapshot
from ingest.sudachi import split_sentences
from planqa.settings import PROJECT_ROOT, RetrievalSettings

RESULTS = PROJECT_ROOT / "bench" / "results" / "retrieval_levers.md"
SYNONYMS = PROJECT_ROOT / "data" / "synonyms" / "synonyms.txt"


def top_coverage(snapshot: Snapshot, query: str, ranking: list[str], top: int = 5) -> float:
    """The best share of the question a top lexical hit covers (headings at half)."""
    rows = [snapshot.position[c] for c in ranking[:top] if c in snapshot.position]
    if not rows:
        return 0.0
    lexical = snapshot.lexical
    cover = lexical.coverages(
        query, snapshot.text_terms(), rows, nearby=lexical.bm25.weights, nearby_weight=0.5
    )
    return float(cover.max())


class AdaptiveDense(HybridSearcher):
    base = 0.1
    gain = 0.0

    def _lexical_channels(self, analysis, query, allowed, candidates):  # noqa: ANN001, ANN202
        rankings, scored = super()._lexical_channels(analysis, query, allowed, candidates)
        cover = top_coverage(self.snapshot, query, rankings["lexical"])
        self.dense_weight = self.base + self.gain * (1.0 - cover)
        return rankings, scored


class AdaptiveChive(HybridSearcher):
    gain = 0.0
    lexicals: dict[float, LexicalSearcher] = {}

    def _lexical_channels(self, analysis, query, allowed, candidates):  # noqa: ANN001, ANN202
        first = self.snapshot.lexical
        found = super()._lexical_channels(analysis, query, allowed, candidates)
        if self.gain <= 0:
            return found
        cover = top_coverage(self.snapshot, query, found[0]["lexical"])
        weight = round(min(1.0, 0.5 + self.gain * (1.0 - cover)) * 20) / 20
        if weight not in self.lexicals:
            expansion = first.expansion
            config = ExpansionConfig(
                weight, expansion.min_similarity, expansion.glossary_weight,
                kanji_similarity=expansion.kanji_similarity,
            )  # fmt: skip
            self.lexicals[weight] = LexicalSearcher(
                first.analyzer, first.bm25, neighbours=first.neighbours,
                glossary=first.glossary, expansion=config,
            )  # fmt: skip
        self.snapshot.lexical = self.lexicals[weight]
        try:
            return super()._lexical_channels(analysis, query, allowed, candidates)
        finally:
            self.snapshot.lexical = first


class Rm3Lexical(LexicalSearcher):
    docs, terms, beta = 3, 10, 0.0

    def scores(self, question: str) -> np.ndarray:
        first = super().scores(question)
        if self.beta <= 0:
            return first
        top = [int(i) for i in np.argsort(-first)[: self.docs] if first[i] > 0]
        if not top:
            return first
        rows = self.bm25.weights.tocsr()[top]
        mass = np.asarray(rows.multiply(first[top][:, None] / first[top[0]]).sum(axis=0))[0]
        typed = self.query_weights(question)
        names = list(self.bm25.vocabulary)
        order = [int(c) for c in np.argsort(-mass) if mass[c] > 0 and names[c] not in typed]
        picked = order[: self.terms]
        if not picked:
            return first
        extra = {names[c]: self.beta * float(mass[c] / mass[picked[0]]) for c in picked}
        return first + self.bm25.scores(extra)


class SentenceDense(HybridSearcher):
    mix = 0.0
    sentences: np.ndarray | None = None
    owners: np.ndarray | None = None

    def _dense(self, vector, candidates, filters, allowed):  # noqa: ANN001, ANN202
        query = np.asarray(vector, dtype=np.float32)
        scores = self.snapshot.vectors @ query
        if self.mix > 0 and self.sentences is not None:
            best = np.full(len(scores), -np.inf, dtype=np.float32)
            np.maximum.at(best, self.owners, self.sentences @ query)
            best = np.where(np.isfinite(best), best, scores)
            scores = (1 - self.mix) * scores + self.mix * best
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:candidates]
        return [(self.snapshot.chunks[i].id, float(scores[i])) for i in order]


def sentence_searcher(
    snapshot: Snapshot, encoder: Encoder, settings: RetrievalSettings
) -> SentenceDense:
    """A ``SentenceDense`` over every passage sentence of 8 characters or more, embedded
    here by ``encoder`` (what an index with sentence vectors would store)."""
    searcher = SentenceDense(snapshot, encoder, settings)
    owners, texts = [], []
    for row, chunk in enumerate(snapshot.chunks):
        for sentence in split_sentences(chunk.text):
            if len(sentence) >= 8:
                owners.append(row)
                texts.append(sentence)
    vectors = np.asarray(encoder.embed_documents(texts), dtype=np.float32)
    searcher.sentences = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    searcher.owners = np.asarray(owners)
    return searcher


class ChiveSentenceDense(HybridSearcher):
    """The dense score mixed with the passage's best sentence's chiVe similarity."""

    mix = 0.0
    question = ""
    sentences: np.ndarray | None = None  # the generation's stored sentence vectors
    owners: np.ndarray | None = None
    encoder_of_text = None  # index.sentence_vectors.SentenceEncoder

    def search(self, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        self.question = text
        return super().search(text, *args, **kwargs)

    def _dense(self, vector, candidates, filters, allowed):  # noqa: ANN001, ANN202
        scores = self.snapshot.vectors @ np.asarray(vector, dtype=np.float32)
        if self.mix > 0 and self.sentences is not None:
            asked = self.encoder_of_text.embed(self.question)
            best = np.full(len(scores), -np.inf, dtype=np.float32)
            np.maximum.at(best, self.owners, self.sentences @ asked)
            best = np.where(np.isfinite(best), best, 0.0)
            scores = (1 - self.mix) * scores + self.mix * best
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:candidates]
        return [(self.snapshot.chunks[i].id, float(scores[i])) for i in order]


class OneWaySynonyms(LexicalSearcher):
    weight = 0.0
    reach: dict[str, set[str]] = {}

    def _term_groups(self, question: str) -> dict[str, dict[str, float]]:
        groups = super()._term_groups(question)
        for term, group in groups.items():
            for other in self.reach.get(term, ()) if self.weight > 0 else ():
                group[other] = max(group.get(other, 0.0), self.weight)
        return groups


def reach_only(lexical: LexicalSearcher) -> dict[str, set[str]]:
    """Single-term trigger word → the single-term reach-only words of its groups."""
    members: dict[str, list[tuple[str, str]]] = {}
    with SYNONYMS.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.reader(lines):
            if len(row) >= 11:
                members.setdefault(row[0], []).append((row[2], row[8]))
    reach: dict[str, set[str]] = {}
    for group in members.values():
        only = [lexical.cached_terms(w) for flag, w in group if flag == "1"]
        for flag, word in group:
            trigger = lexical.cached_terms(word)
            if flag in ("", "0") and len(trigger) == 1:
                for terms in only:
                    if len(terms) == 1 and terms[0] != trigger[0]:
                        reach.setdefault(trigger[0], set()).add(terms[0])
    return reach


def documented_run(args: argparse.Namespace) -> bool:
    """Whether this run is the one bench/results/retrieval_levers.md records (all levers, 5 x 3)."""
    return not args.only and (args.folds, args.repeats) == (5, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_cv_options(parser)
    parser.add_argument("--only", default="", help="measure the levers whose name holds this")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, encoder, plain = plan_searcher()
    snapshot = plain.snapshot
    questions, texts = answerable(args.outside)

    def lexical_of(kind: type[LexicalSearcher]) -> LexicalSearcher:
        old = snapshot.lexical
        return kind(
            old.analyzer, old.bm25, neighbours=old.neighbours, glossary=old.glossary,
            expansion=old.expansion,
        )  # fmt: skip

    levers: dict[str, tuple[HybridSearcher, Callable[[float], None], tuple]] = {}
    dense = AdaptiveDense(snapshot, encoder, settings.retrieval)
    levers["adaptive dense (gain)"] = (
        dense, lambda v: setattr(dense, "gain", v), (0.0, 0.1, 0.2, 0.5, 1.0),
    )  # fmt: skip
    chive = AdaptiveChive(snapshot, encoder, settings.retrieval)
    levers["adaptive chiVe (gain)"] = (
        chive, lambda v: setattr(chive, "gain", v), (0.0, 0.25, 0.5, 1.0),
    )  # fmt: skip
    rm3 = lexical_of(Rm3Lexical)
    levers["RM3, 3 passages × 10 terms (beta)"] = (
        HybridSearcher(with_lexical(snapshot, rm3), encoder, settings.retrieval),
        lambda v: setattr(rm3, "beta", v),
        (0.0, 0.1, 0.2, 0.3),
    )
    embed_started = time.perf_counter()
    sentences = sentence_searcher(snapshot, encoder, settings.retrieval)
    embed_seconds = time.perf_counter() - embed_started
    levers["sentence vectors (best-sentence mix)"] = (
        sentences, lambda v: setattr(sentences, "mix", v), (0.0, 0.5, 1.0),
    )  # fmt: skip
    stored = snapshot.lexical.sentence_vectors
    if stored is not None and stored.vectors is not None:
        chive = ChiveSentenceDense(snapshot, encoder, settings.retrieval)
        at = {text: i for i, text in enumerate(stored.vectors.texts)}
        rows, owned = [], []
        for row, chunk in enumerate(snapshot.chunks):
            for sentence in split_sentences(chunk.text):
                if sentence in at:
                    rows.append(at[sentence])
                    owned.append(row)
        chive.sentences = stored.vectors.vectors[rows].astype(np.float32)
        chive.owners = np.asarray(owned)
        chive.encoder_of_text = stored.vectors.encoder
        levers["chiVe sentence vectors (best-sentence mix)"] = (
            chive, lambda v: setattr(chive, "mix", v), (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0),
        )  # fmt: skip
    synonyms = lexical_of(OneWaySynonyms)
    synonyms.reach = reach_only(synonyms)
    levers["one-way reach-only synonyms (weight)"] = (
        HybridSearcher(with_lexical(snapshot, synonyms), encoder, settings.retrieval),
        lambda v: (setattr(synonyms, "weight", v), synonyms._groups.cache_clear()),
        (0.0, 0.3, 0.6),
    )

    sets = Sets.of(questions, args.folds)
    split, groups, fit, strata = sets.split, sets.groups, sets.fit, sets.strata
    lines = [
        "# Retrieval levers measured and not kept",
        "",
        f"{len(questions)} answerable questions; index `{snapshot.generation.name}`. Cells: "
        "recall@5 / MRR@10 (evidence in the top 5 / 10). CV: the setting picked per fold "
        f"over own dev + outside ({args.folds} folds × {args.repeats} repeats), held-out "
        "recall@5 all / own dev / outside.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Sentence vectors: {len(sentences.owners)} sentences embedded in {embed_seconds:.1f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
    ]
    for name, (searcher, set_value, values) in levers.items():
        if args.only not in name:
            continue
        hits, ranks = [], []
        for value in values:
            set_value(value)
            found = recall_and_rank(searcher, questions, texts)
            hits.append(found[0])
            ranks.append(found[1])
        set_value(values[0])
        hit_array, rank_array = np.asarray(hits), np.asarray(ranks)
        picks, held = cross_validate(hit_array[:, fit], rank_array[:, fit], strata, 0, args)
        lines += [
            "",
            f"## {name}",
            "",
            "| setting | "
            + " | ".join(f"{g} (n={int(m.sum())})" for g, m in groups.items())
            + " |",
            "|---" * (len(groups) + 1) + "|",
        ]
        for row, value in enumerate(values):
            cells = " | ".join(
                f"{hit_array[row, m].mean():.3f} / {rank_array[row, m].mean():.3f}"
                for m in groups.values()
            )
            lines.append(f"| {value}{' (as is)' if row == 0 else ''} | {cells} |")
        masks = (np.ones(int(fit.sum()), bool), split[fit] == "dev", split[fit] == OUTSIDE)
        picked = ", ".join(f"{values[p]} ×{picks.count(p)}" for p in sorted(set(picks)))
        lines += [
            "",
            f"CV picks {picked}; held-out recall@5 "
            + " / ".join(spread([float(h[m].mean()) for h in held]) for m in masks)
            + f" vs as is {hit_array[0, fit].mean():.3f} / "
            + " / ".join(f"{hit_array[0, fit][m].mean():.3f}" for m in masks[1:])
            + ".",
        ]
        print(f"  {name} measured", file=sys.stderr, flush=True)
    lines.append(f"\nWall time: {time.perf_counter() - started:.0f} s.")
    publish(lines, RESULTS, args.out, documented_run(args))


if __name__ == "__main__":
    main()
