"""A follow-up's prior: the passages the last answer quoted are where its answer most likely is.

A follow-up that names no subject of its own (特にどの職員の？ / そのうち…は？ / 実際には何日で
…？) asks about what was just said, and the plans say the next thing about a measure beside
what they said before: the sentence after the one quoted, another row of the same table,
another paragraph of the same page. The search reads the follow-up with the topic carried
from the turn before, but the sentence ranker reads only the words: a sentence of another
passage that repeats a word of the question (職員) outranked the quoted passage's next
sentence that answers.

So, for a follow-up, a sentence gains a fitted amount on the ranker's scale when its passage
is one the last answer quoted (found again by its labels and first words, or its figures:
``answer.retrieve.quoted_passages``), and another when it is under the last answer's page
labels (``answer.retrieve.labelled_passages``). The weights are fitted by
bench/fit_followup_prior.py under grouped cross-validation over the training follow-ups
and stored with how they were fitted (data/answer/followup_prior.json); weights of 0 (or
no file) leave every answer as it was.

The first statement's score the decline model reads stays the ranker's own: the prior
orders the sentences, it is no evidence that the best one answers.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from answer.extractive import Picked, Ranker
from answer.ranker import Candidate
from ingest.model import Chunk

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "answer" / "followup_prior.json"


@dataclass(frozen=True)
class FollowupPrior:
    """What a follow-up's sentence gains on the ranker's scale for where its passage is."""

    quoted: float = 0.0  # a passage the last answer quoted
    page: float = 0.0  # a passage under the last answer's labels
    # Whether the sentences of every passage under the last answer's labels are read too,
    # after the top contexts (a table row the search ranks low: another row of the table
    # the answer quoted).
    read_page: bool = False
    provenance: str = ""

    @classmethod
    def load(cls, path: Path | None = DEFAULT_MODEL) -> FollowupPrior:
        """The fitted prior saved at ``path``; weights of 0 when there is none."""
        if path is None or not Path(path).is_file():
            return cls()
        stored = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            float(stored.get("quoted", 0.0)),
            float(stored.get("page", 0.0)),
            bool(stored.get("read_page", False)),
            str(stored.get("provenance", "")),
        )

    @property
    def active(self) -> bool:
        return bool(self.quoted or self.page)

    def ranker(
        self, ranker: Ranker, quoted: Collection[Chunk], page: Collection[Chunk]
    ) -> PriorRanker:
        """``ranker`` with this prior over the passages ``quoted`` and those of the ``page``."""
        return PriorRanker(
            ranker,
            self,
            frozenset(c.id for c in quoted),
            frozenset(c.id for c in page),
            list(page) if self.read_page else [],
        )


class PriorRanker:
    """A sentence ranker whose scores add the follow-up prior of each sentence's passage."""

    def __init__(
        self,
        ranker: Ranker,
        prior: FollowupPrior,
        quoted: frozenset[str],
        page: frozenset[str],
        read: list[Chunk],
    ) -> None:
        self.base = ranker
        self.prior = prior
        self.quoted = quoted
        self.page = page
        self.read = read  # passages read after the top contexts
        self.uses_similarity = getattr(ranker, "uses_similarity", False)
        self.uses_dense = getattr(ranker, "uses_dense", False)

    def contexts(self, top: list[Chunk]) -> list[Chunk]:
        """The top contexts, then the passages this prior reads beside them."""
        seen = {c.id for c in top}
        return [*top, *(c for c in self.read if c.id not in seen)]

    def bonus(self, chunk: Chunk) -> float:
        return self.prior.quoted * (chunk.id in self.quoted) + self.prior.page * (
            chunk.id in self.page
        )

    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        base = self.base.scores(candidates, question)
        return [score + self.bonus(c.chunk) for score, c in zip(base, candidates, strict=True)]

    def unprimed(self, picked: list[Picked]) -> list[Picked]:
        """``picked`` with the first statement's score as the ranker alone gave it."""
        return [
            p if p.ranked is None else replace(p, ranked=p.ranked - self.bonus(p.chunk))
            for p in picked
        ]
