"""The sentence ranker's candidate groups, recorded by answering every labelled question.

The ranker benches (bench/fit_ranker.py, ranker_feature_cv.py, side_features.py,
fit_held_feature.py) answer the labelled sets in process with a recording ranker (which
scores as the hand-set selection does, so answers are unchanged while recording); each
selection call gives a group of candidate sentences with their features. A candidate is
positive when it states every gold fact of its question (the eval's matching: NFKC, no
spaces; JSQuAD: any one answer text); groups with no positive or no negative teach nothing
and are left out. A bench that records more columns passes its own ``Recorder``.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from answer.extractive import hand_set_score
from answer.ranker import Candidate, QuestionText, features
from answer.schemas import AskRequest
from eval.answer_metrics import matchable
from eval.gold import TRAIN_DIR, GoldQuestion, load_gold
from planqa.settings import Settings

# The labelled plan sets the saved weights learn from: own dev and the questions written
# to train (eval/gold/train/); the fresh test split and the outside set are only scored.
TRAINING = ("own dev", "own train")


@dataclass
class Group:
    question_id: str
    source: str  # which labelled set
    x: np.ndarray  # candidates × features
    positive: np.ndarray  # bool per candidate
    hand: np.ndarray  # hand-set score per candidate
    weight: float = 1.0  # in the loss


@dataclass
class Labelled:
    """A question with what a sentence must state to answer it."""

    id: str
    question: str
    history: list[dict[str, str]]
    facts: tuple[str, ...]
    every_fact: bool  # gold facts: all of them; JSQuAD answer texts: any one


@dataclass
class Recorder:
    """Records each selection's candidates; scores them as the hand-set selection does."""

    groups: list[Group] = field(default_factory=list)
    question: Labelled | None = None
    source: str = ""
    uses_similarity: bool = True  # candidates carry the chiVe similarities to record
    uses_dense: bool = True  # and the dense ones (index/dense_sentences.py)

    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        hand = [hand_set_score(c) for c in candidates]
        gold = self.question
        if gold is not None and gold.facts:
            asked = QuestionText.of(question)
            facts = [matchable(f) for f in gold.facts]
            needed = all if gold.every_fact else any
            positive = [needed(f in matchable(c.shown) for f in facts) for c in candidates]
            self.groups.append(
                Group(
                    gold.id,
                    self.source,
                    np.asarray([features(c, asked) for c in candidates], dtype=np.float64),
                    np.asarray(positive),
                    np.asarray(hand),
                )
            )
        # The hand-set order, so recording leaves the answers as they are without a ranker.
        return [float(np.log(max(h, 1e-9))) for h in hand]


def unranked() -> Settings:
    """The settings the benches record under: no fitted ranker, so the hand-set order leads."""
    settings = Settings()
    settings.answer.ranker_model = None
    return settings


def labelled(questions: Sequence[GoldQuestion]) -> list[Labelled]:
    return [
        Labelled(q.id, q.question, q.history_messages(), tuple(q.facts), True) for q in questions
    ]


def labelled_sets(outside: Path, *, train: bool = True) -> dict[str, list[Labelled]]:
    """The labelled plan sets the ranker benches record: own dev, the fresh test split, the
    questions written to train (with ``train``, when eval/gold/train/ is there) and the
    outside set (when its file is there)."""
    own = load_gold()
    sets = {
        "own dev": labelled([q for q in own if q.split == "dev"]),
        "fresh test": labelled([q for q in own if q.split == "test"]),
    }
    if train and TRAIN_DIR.is_dir():
        sets["own train"] = labelled(load_gold(TRAIN_DIR))
    if outside.is_file():
        sets["outside"] = labelled(load_gold(outside))
    return sets


def record(
    sets: dict[str, list[Labelled]], service, recorder: type[Recorder] = Recorder
) -> list[Group]:
    """Every question of ``sets`` answered by ``service`` with a ``recorder`` as its ranker:
    the groups that have both a positive and a negative candidate."""
    recording = recorder()
    service.ranker = recording
    for source, questions in sets.items():
        recording.source = source
        for question in questions:
            recording.question = question
            request = AskRequest(question=question.question, history=question.history, top_k=10)
            asyncio.run(service.answer(request))
    return [g for g in recording.groups if g.positive.any() and not g.positive.all()]


def record_jsquad(
    path: Path | None, source: str, limit: int | None, recorder: type[Recorder] = Recorder
) -> list[Group]:
    """Groups from JSQuAD: its paragraphs indexed as plan files in a temporary folder (as
    bench/jsquad_bench.py does), each question answered over them; a sentence holding a
    gold answer text is positive. No ``path``: none."""
    if path is None:
        return []
    from jsquad_bench import _answer_service, load_jsquad, write_paragraphs

    from index.build.builder import build_index
    from index.encoders import build_encoder
    from planqa.settings import PathSettings

    corpus = load_jsquad(path)
    questions = corpus.questions
    random.Random(7).shuffle(questions)
    questions = questions[:limit] if limit else questions
    with tempfile.TemporaryDirectory(suffix="-jsquad") as folder:
        root = Path(folder)
        settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
        settings.answer.ranker_model = None
        settings.retrieval.sentence_vectors = True  # the chiVe features read them
        settings.retrieval.dense_sentences = True  # the dense ones read these
        write_paragraphs(corpus, settings.paths.data_dir)
        encoder = build_encoder(settings.embedding.backend)
        build_index([settings.paths.data_dir], settings, encoder)
        service, _ = _answer_service(settings, encoder)
        items = [Labelled(q.id, q.text, [], q.answers, False) for q in questions]
        return record({source: items}, service, recorder)
