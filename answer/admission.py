"""Admission: whether a further statement joins the one the ranker chose to lead.

The ranker (answer/ranker.py) is a conditional logit: the difference of two candidates'
scores is the log of the ratio of their probabilities of being the answering sentence. A
further sentence the hand-set score admits (answer/extractive.py) stays only when the
ranker scores it within a margin of the lead: the hand-set score finds sentences that add
to the answer, the ranker drops those it is sure do not answer. The margins are fitted,
never set by hand: ``bench/fit_admission.py`` answers every labelled question at each pair
of a grid and chooses by grouped k-fold cross-validation over own dev and the outside set;
they are data (``data/answer/admission.json``) with how they were fitted.

Why not the ranker alone: it is trained to find the one sentence that states every fact,
so a sentence stating the second fact of a two-fact answer scores low, like a sentence
stating none. Admitting by the margin alone (an earlier trial read the same ratio against
the hand-set shares, 0.5 of the best, a margin of log 2) shortened answers but lost facts
on the fresh and outside sets at every margin that did (bench/results/admission.md).

With no file there is no fitted admission: the hand-set score alone admits, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ADMISSION = Path(__file__).resolve().parents[1] / "data" / "answer" / "admission.json"


@dataclass(frozen=True)
class Admission:
    """A further statement joins when the ranker scores it within ``margin`` of the lead;
    within ``new_pages_margin`` when it would cite pages the answer does not cite yet (one
    more page for the caller to check, so it may have to come closer)."""

    margin: float
    new_pages_margin: float
    provenance: str = ""

    @classmethod
    def load(cls, path: Path | None = DEFAULT_ADMISSION) -> Admission | None:
        """The fitted admission saved at ``path``; None when there is none (hand-set)."""
        if path is None or not Path(path).is_file():
            return None
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            float(saved["margin"]), float(saved["new_pages_margin"]), saved.get("provenance", "")
        )

    def admits(self, lead: float, score: float, *, new_pages: bool) -> bool:
        """Whether a candidate scored ``score`` joins a first statement scored ``lead``."""
        return lead - score <= (self.new_pages_margin if new_pages else self.margin)
