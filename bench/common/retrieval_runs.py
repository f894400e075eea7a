"""Search every answerable labelled question and score where its evidence comes.

The retrieval fitters (bench/cv_defaults.py, retrieval_fields.py, retrieval_levers.py,
e5_levers.py, caller_fusion.py, kanji_neighbours.py, phrase_cv.py, cv_kind_prior.py) each
search the labelled questions under several settings and choose one under stratified
k-fold cross-validation (common/folds.py); this is what they share: the encoder with each
query embedded once, the text a question is searched with, recall@5 and MRR@10 per
question, the sets and strata, a snapshot with another lexical index, the choice of a
setting by recall, and the command-line options.
"""

from __future__ import annotations

import argparse
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from answer.schemas import Turn
from common.folds import stratified_folds
from eval.gold import GOLD_DIR, OUTSIDE, OUTSIDE_SET, GoldQuestion, load_gold
from eval.metrics import hit_at, reciprocal_rank, relevance
from index.bm25 import Bm25Index
from index.encoders import Encoder, build_encoder
from index.glossary import Glossary
from index.lexical import ExpansionConfig, LexicalSearcher
from index.loader import load_searcher
from index.retriever import HybridSearcher
from index.snapshot import Snapshot
from planqa.settings import Settings
from question.followup import standalone

if TYPE_CHECKING:
    from jsquad_bench import Question


class CachedEncoder:
    """The configured encoder; each query's vector is computed once for the whole grid."""

    def __init__(self, encoder: Encoder) -> None:
        self.name, self.dim = encoder.name, encoder.dim
        self.embed_documents = encoder.embed_documents
        self.embed_query = functools.lru_cache(maxsize=None)(encoder.embed_query)


def cached_encoder(settings: Settings) -> CachedEncoder:
    """The configured encoder, each query embedded once however many configurations ask."""
    model = settings.embedding
    prefixes = {"query_prefix": model.query_prefix, "document_prefix": model.document_prefix}
    return CachedEncoder(build_encoder(model.backend, **prefixes))


def plan_searcher() -> tuple[Settings, CachedEncoder, HybridSearcher]:
    """Every retrieval bench's opening: the settings, the encoder (each query embedded once)
    and the searcher of the plan index they name."""
    settings = Settings()
    encoder = cached_encoder(settings)
    return settings, encoder, load_searcher(settings, encoder)


def add_cv_options(parser: argparse.ArgumentParser) -> None:
    """``--folds`` (5), ``--repeats`` (3) and ``--outside`` (the outside set, read by path)."""
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")


def search_text(question: GoldQuestion) -> str:
    """What retrieval searches for ``question``: a follow-up made to stand alone."""
    if not question.history:
        return question.question
    return standalone(question.question, [Turn(**t) for t in question.history_messages()])


def answerable(outside: Path) -> tuple[list[GoldQuestion], list[str]]:
    """The answerable questions of the own gold and the outside set (when its file is
    there), each with the text retrieval searches (a follow-up standing alone)."""
    questions = [q for q in load_gold(GOLD_DIR) if q.answerable]
    if outside.exists():
        questions += [q for q in load_gold(outside) if q.answerable]
    return questions, [search_text(q) for q in questions]


def recall_and_rank(
    searcher: HybridSearcher, questions: list[GoldQuestion], texts: list[str]
) -> tuple[list[float], list[float]]:
    """Per question: some evidence string in the top 5 (0/1), and its MRR@10."""
    rels = [
        relevance(q.evidence, [h.chunk.text for h in searcher.search(t, 10)])
        for q, t in zip(questions, texts, strict=True)
    ]
    return [hit_at(rel, 5) for rel in rels], [reciprocal_rank(rel, 10) for rel in rels]


def recalls_per_lexical(
    searcher: HybridSearcher,
    lexicals: list[LexicalSearcher],
    questions: list[GoldQuestion],
    texts: list[str],
) -> tuple[np.ndarray, np.ndarray]:
    """``recall_and_rank`` with each lexical index in turn in the searcher's snapshot (one
    lever's arms): arms × questions top-5 hits and MRR@10. The snapshot is left on the last."""
    base = searcher.snapshot
    hits, ranks = [], []
    for lexical in lexicals:
        searcher.snapshot = with_lexical(base, lexical)
        found = recall_and_rank(searcher, questions, texts)
        hits.append(found[0])
        ranks.append(found[1])
    return np.asarray(hits), np.asarray(ranks)


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


def lexical_like(
    old: LexicalSearcher,
    *,
    kind: type[LexicalSearcher] = LexicalSearcher,
    bm25: Bm25Index | None = None,
    glossary: Glossary | None = None,
    expansion: ExpansionConfig | None = None,
) -> LexicalSearcher:
    """A lexical index like ``old`` (its analyzer, neighbours and sentence vectors) with the
    lever's one part changed: another BM25, glossary, expansion, or a subclass."""
    lexical = kind(
        old.analyzer, bm25 or old.bm25, neighbours=old.neighbours,
        glossary=glossary or old.glossary, expansion=expansion or old.expansion,
    )  # fmt: skip
    lexical.sentence_vectors = old.sentence_vectors
    return lexical


def with_lexical(snapshot: Snapshot, lexical: LexicalSearcher) -> Snapshot:
    """``snapshot`` with another lexical index (a lever's)."""
    return Snapshot(
        snapshot.generation, snapshot.manifest, snapshot.chunks, lexical, snapshot.store,
        snapshot.ngram, snapshot.vectors, own_terms=snapshot.own_terms,
    )  # fmt: skip


def cross_validate(
    hits: np.ndarray,
    ranks: np.ndarray,
    strata: np.ndarray,
    default: int,
    args: argparse.Namespace,
) -> tuple[list[int], list[np.ndarray]]:
    """(setting picked per fold, held-out hits per repeat): per fold the setting (a row of
    ``hits`` and ``ranks``) with the most training top-5 hits, then the best MRR@10, then
    ``default``."""
    other = np.arange(len(hits)) != default
    picks: list[int] = []
    held: list[np.ndarray] = []
    found = np.zeros(len(strata))
    for repeat, train, test in stratified_folds(strata, args.folds, args.repeats):
        if repeat == len(held):
            found = np.zeros(len(strata))
            held.append(found)
        order = np.lexsort((other, -ranks[:, train].mean(1), -hits[:, train].sum(1)))
        picks.append(int(order[0]))
        found[test] = hits[picks[-1], test]
    return picks, held


def jsquad_index(
    dataset: Path, root: Path, encoder: CachedEncoder, limit: int | None
) -> tuple[list[Question], Snapshot]:
    """The answerable questions of a JSQuAD file (the first ``limit``) and the snapshot of
    its paragraphs indexed under ``root`` as bench/jsquad_bench.py indexes them (kept there:
    a second run reuses the index)."""
    from jsquad_bench import load_jsquad, write_paragraphs

    from index.build.builder import build_index
    from index.snapshot import open_snapshot
    from planqa.settings import PathSettings

    corpus = load_jsquad(dataset)
    questions = corpus.questions[:limit] if limit else corpus.questions
    settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
    write_paragraphs(corpus, settings.paths.data_dir)
    build_index([settings.paths.data_dir], settings, encoder)
    return questions, open_snapshot(settings, encoder.name)
