"""Choose the retrieval defaults by k-fold cross-validation over every labelled question.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/cv_defaults.py [GOLD …] [--folds 5] [--repeats 3]

GOLD: files or folders of labelled questions (default: eval/gold/ and, when present,
../shared/eval/outside-questions.jsonl, read where it is); unanswerable ones and the own
gold's test split are skipped.
Every configuration of a small grid searches every question once over the index in var/
(one snapshot; only the lexical and hybrid searchers are rebuilt, each query embedded once).
Per fold, the configuration with the best training recall@5 (ties: MRR@10, then the current
defaults) is scored on the held-out questions; folds are stratified by source (own gold,
outside) × question type and reshuffled per repeat. recall@5 is the outside set's: some
evidence string in the top 5. Tables go to stdout and bench/results/cv_defaults.md.
"""

from __future__ import annotations

import argparse
import itertools
import shlex
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from common.folds import stratified_folds
from common.report import machine, spread
from common.retrieval_runs import cached_encoder
from results_out import add_out_option, documented_cv, publish

from answer.schemas import Turn
from eval.gold import GOLD_DIR, OUTSIDE, OUTSIDE_SET, GoldQuestion, load_gold
from eval.metrics import hit_at, reciprocal_rank, relevance
from index.glossary import Glossary
from index.lexical import ExpansionConfig, LexicalSearcher
from index.retriever import HybridSearcher, default_dense_weight
from index.snapshot import Snapshot, open_snapshot
from planqa.settings import PROJECT_ROOT, PathSettings, Settings
from question import analyse

RESULTS = PROJECT_ROOT / "bench" / "results" / "cv_defaults.md"
# Lexical factors first: one LexicalSearcher per combination of them.
GRID: dict[str, tuple] = {
    "glossary_weight": (0.0, 0.3, 0.6),
    "synonyms": (False, True),
    "min_similarity": (0.6, 0.7, 0.8),
    "dense_weight": (0.0, 0.1, 0.5, 1.0),
    "ngram_weight": (0.0, 0.2),
}
Config = tuple  # values in GRID's order


@dataclass
class Scored:
    """Every configuration's result on every question (rows: configurations)."""

    configs: list[Config]
    hits: np.ndarray  # 1 when some evidence string is in the top 5
    ranks: np.ndarray  # reciprocal rank of the first evidence in the top 10
    generation: str

    def best(self, rows: np.ndarray, default: int) -> int:
        """Most top-5 hits on ``rows``; ties: higher MRR, then the current defaults."""
        other = np.arange(len(self.configs)) != default
        mrr, hits = self.ranks[:, rows].mean(axis=1), self.hits[:, rows].sum(axis=1)
        return int(np.lexsort((other, -mrr, -hits))[0])

    def cells(self, c: int, masks: dict[str, np.ndarray]) -> str:
        means = [self.hits[c, m].mean() for m in masks.values()]
        means += [self.ranks[c, m].mean() for m in masks.values()]
        return " | ".join(f"{v:.3f}" for v in means)


def describe(config: Config) -> str:
    glossary, synonyms, similarity, dense, ngram = config
    return (
        f"glossary {glossary}, synonyms {'on' if synonyms else 'off'}, chiVe ≥ {similarity}, "
        f"dense {dense}, bigrams {ngram}"
    )


def score_grid(settings: Settings, questions: list[GoldQuestion], grid: dict[str, tuple]) -> Scored:
    """Search every question with every configuration, over one loaded index snapshot."""
    encoder = cached_encoder(settings)
    base = open_snapshot(settings, encoder.name)
    synonyms = settings.paths.synonyms or PathSettings().synonyms
    glossaries = [Glossary.load(settings.paths.glossary, synonyms if on else None) for on in (0, 1)]
    analyses = [analyse(q.question, [Turn(**m) for m in q.history_messages()]) for q in questions]
    configs, hits, ranks = [], [], []
    for glossary, on, similarity in itertools.product(*list(grid.values())[:3]):
        expansion = ExpansionConfig(
            settings.retrieval.neighbour_weight, similarity, glossary,
            kanji_similarity=settings.retrieval.kanji_similarity,
        )  # fmt: skip
        lexical = LexicalSearcher(
            base.lexical.analyzer,
            base.lexical.bm25,
            neighbours=base.lexical.neighbours,
            glossary=glossaries[on],
            expansion=expansion,
        )
        snapshot = Snapshot(
            base.generation, base.manifest, base.chunks, lexical, base.store, base.ngram,
            base.vectors, own_terms=base.own_terms,
        )  # fmt: skip
        for dense, ngram in itertools.product(grid["dense_weight"], grid["ngram_weight"]):
            update = {"dense_weight": dense, "ngram_weight": ngram}
            retrieval = settings.retrieval.model_copy(update=update)
            searcher = HybridSearcher(snapshot, encoder if dense > 0 else None, retrieval)
            configs.append((glossary, on, similarity, dense, ngram))
            rels = [
                relevance(q.evidence, [hit.chunk.text for hit in searcher.search(a, 10)])
                for q, a in zip(questions, analyses, strict=True)
            ]
            hits.append([hit_at(rel, 5) for rel in rels])
            ranks.append([reciprocal_rank(rel, 10) for rel in rels])
        print(f"  {len(configs)} configurations scored", file=sys.stderr, flush=True)
    return Scored(configs, np.asarray(hits), np.asarray(ranks), base.generation.name)


def cross_validate(
    scored: Scored, strata: np.ndarray, default: int, args: argparse.Namespace
) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    """(configuration picked per fold, held-out hits per repeat, held-out ranks per repeat)."""
    picks: list[int] = []
    held_hits: list[np.ndarray] = []
    held_ranks: list[np.ndarray] = []
    folds = stratified_folds(strata, args.folds, args.repeats, args.seed)
    for repeat, train, test in folds:
        if repeat == len(held_hits):
            held_hits.append(np.zeros(len(strata)))
            held_ranks.append(np.zeros(len(strata)))
        picks.append(scored.best(train, default))
        held_hits[repeat][test] = scored.hits[picks[-1], test]
        held_ranks[repeat][test] = scored.ranks[picks[-1], test]
    return picks, held_hits, held_ranks


def current_defaults(settings: Settings) -> Config:
    r = settings.retrieval
    dense = r.dense_weight
    if dense is None:
        dense = default_dense_weight(settings.embedding.backend)
    synonyms = settings.paths.synonyms is not None
    return (r.glossary_weight, synonyms, r.min_similarity, dense, r.ngram_weight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path)
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.gold and not args.outside.exists():
        # Said, not skipped silently: from a worktree ../shared is elsewhere.
        print(f"outside set not found at {args.outside}: own gold only (--outside PATH)")
    paths = args.gold or [path for path in (GOLD_DIR, args.outside) if path.exists()]
    # The own gold's test split stays out of every fit and choice.
    loaded = [q for path in paths for q in load_gold(path) if q.split != "test"]
    questions = [q for q in loaded if q.answerable]
    source = np.asarray(["outside" if q.split == OUTSIDE else "own" for q in questions])
    kinds = np.asarray([q.type for q in questions])
    masks = {"all": np.ones(len(questions), bool), "own": source == "own"}
    masks |= {"outside": source == "outside", "paraphrase": kinds == "paraphrase"}
    masks = {group: mask for group, mask in masks.items() if mask.any()}
    settings = Settings()
    current = current_defaults(settings)
    # The current defaults are always scored, inside the grid or beside it.
    grid = {
        name: tuple(sorted({*v, c})) for (name, v), c in zip(GRID.items(), current, strict=True)
    }
    scored = score_grid(settings, questions, grid)
    configs = scored.configs
    default = configs.index(current)
    strata = np.char.add(np.char.add(source, "/"), kinds)
    picks, held_hits, held_ranks = cross_validate(scored, strata, default, args)
    chosen, times = Counter(picks).most_common(1)[0]
    in_sample = scored.best(np.arange(len(questions)), default)
    se = statistics.fmean(float(h.std(ddof=1)) for h in held_hits) / np.sqrt(len(questions))
    optimism = scored.hits[in_sample].mean() - statistics.fmean(float(h.mean()) for h in held_hits)
    change = scored.hits[chosen] - scored.hits[default]
    gained = ", ".join(q.id for q, d in zip(questions, change, strict=True) if d > 0) or "none"
    lost = ", ".join(q.id for q, d in zip(questions, change, strict=True) if d < 0) or "none"
    n = Counter({g: int(m.sum()) for g, m in masks.items()})
    head = " | ".join(f"{m} {g}" for m in ("r@5", "MRR") for g in masks)
    rule = "|---" * (len(masks) * 2 + 1) + "|"

    def cv_row(name: str, held: list[np.ndarray]) -> str:
        return (
            f"| {name} | "
            + " | ".join(spread([float(h[m].mean()) for h in held]) for m in masks.values())
            + " |"
        )

    lines = [
        "# Retrieval defaults by cross-validation",
        "",
        f"{n['all']} answerable questions ({n['own']} own gold, {n['outside']} outside; "
        f"{n['paraphrase']} paraphrase; {len(loaded) - len(questions)} unanswerable skipped) "
        f"from {', '.join(p.name for p in paths)}; {len(configs)} configurations; "
        f"{args.folds}-fold CV stratified by source × type, {args.repeats} repeats (seeds "
        f"{args.seed}–{args.seed + args.repeats - 1}). Index `{scored.generation}`, encoder "
        f"`{settings.embedding.backend}`. recall@5: some evidence string in the top 5.",
        "",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "## Cross-validated estimate (chosen on the training folds, scored on held-out ones)",
        "",
        "| mean ± sd over repeats | " + " | ".join(masks) + " |",
        "|---" * (len(masks) + 1) + "|",
        cv_row("recall@5", held_hits),
        cv_row("MRR@10", held_ranks),
        "",
        f"Question sampling alone gives recall@5 a standard error of about {se:.3f}.",
        "",
        "## Configurations (scored on every question)",
        "",
        f"| configuration | {head} |",
        rule,
        f"| chosen most often ({times}/{len(picks)} folds): {describe(configs[chosen])} "
        f"| {scored.cells(chosen, masks)} |",
        f"| in-sample best: {describe(configs[in_sample])} | {scored.cells(in_sample, masks)} |",
        f"| current defaults: {describe(current)} | {scored.cells(default, masks)} |",
        "",
        f"Optimism gap (in-sample best recall@5 − CV estimate): {optimism:+.3f}. "
        f"Chosen vs current defaults, evidence in the top 5: gained {gained}; lost {lost}.",
        "",
        "Picked per fold: "
        + "; ".join(f"{describe(configs[c])} ×{k}" for c, k in Counter(picks).most_common())
        + ".",
        "",
        "## Each factor with the others at the chosen setting (every question)",
        "",
        f"| factor = value | {head} |",
        rule,
    ]
    for position, (factor, values) in enumerate(grid.items()):
        for value in values:
            variant = configs[chosen][:position] + (value,) + configs[chosen][position + 1 :]
            mark = " (chosen)" if value == configs[chosen][position] else ""
            mark += " (default)" if value == current[position] else ""
            row = scored.cells(configs.index(variant), masks)
            lines.append(f"| {factor} = {value}{mark} | {row} |")
    publish(lines, RESULTS, args.out, documented_cv(args))


if __name__ == "__main__":
    main()
