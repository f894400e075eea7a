"""Admission: whether a further statement joins the one the ranker chose to lead.

Two fitted parts, both data (``data/answer/admission.json``, written by
``bench/fit_admission.py``): a gate, the ranker's margin (a statement the ranker scores
further below the lead never joins), and a small logistic model of the probability that
the statement adds a fact the answer does not state yet, which must reach a threshold.
The hand-set score (answer/extractive.py) proposes first: admission only drops.

Why a model beside the margin: most further statements add nothing (of the second
statements the answers gave, fewer than one in six held a gold fact the lead lacked), and
the margin alone cannot tell the few that do: the ranker is trained to find the one
sentence stating every fact, so a sentence stating the second fact of a two-fact answer
scores as low as one stating none. What could tell them apart is what the statement adds
at that point: words of the question the answer does not hold yet, a figure of the asked
kind the answer does not state, another part of a two-part question, another passage and
more pages to check, how sure the ranker is of the lead. answer/further.py reads these, as
the code knows them when the statement comes up; labels come from the labelled questions'
facts, and the gate, the model and its threshold are chosen end to end under grouped
k-fold cross-validation over own dev and the outside set.

What was measured (bench/results/admission.md): with 29 fact-adding statements among 337,
the model ranks them better than the margin (CV AUC 0.79 against 0.73) but not well enough
for the tail: every threshold that shortened answers lost facts on every set, so the
shipped file holds the margin alone (4, the earlier fit; a file with no ``weights`` reads as
the gate alone) and the model stays fitted-and-off until better signals or more labelled
questions let a threshold keep every fact. With no file the hand-set score alone admits.
Beside the gate the file sets rules read from the same features (``Admission``): what a
statement citing new pages must add, and what one after a lead stating the asked figure
must add (``figure_stated``, on with ``keeps_slot``: bench/results/probability_floor.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from answer.further import FEATURES, Further

DEFAULT_ADMISSION = Path(__file__).resolve().parents[1] / "data" / "answer" / "admission.json"


def probability(weights: Mapping[str, float], bias: float, values: Mapping[str, float]) -> float:
    """The logistic model's probability for ``values``."""
    z = bias + sum(w * values.get(name, 0.0) for name, w in weights.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# What a further statement adds to the answer at the point it comes up, beside the share of
# the question it covers (``coverage_gain``): a compound of the question, a figure of the
# asked kind with a number, or the kind of answer expected, that the answer does not hold
# yet, or another part of a two-part question.
_ADDS = ("new_compounds", "new_figure", "new_kind", "multi_part")


@dataclass(frozen=True)
class Admission:
    """A further statement joins when the ranker scores it within ``margin`` of the lead
    (None: any) and ``probability`` reaches ``threshold``; with ``new_pages_gain`` set, one
    citing pages the answer does not cite yet must also add to it (``adds``).

    Why the last rule: every wrong page an answer cites beside its first statement's comes
    from a further statement of another passage stating no gold fact, while a further
    statement from pages already cited costs characters but no citation
    (bench/results/compose_breakdown.md). A statement that adds nothing the code can see
    (no share of the question beyond ``new_pages_gain``, no new compound, figure or kind of
    answer, no other part) is a page to check for nothing. ``new_pages_gain`` is fitted
    (bench/fit_new_pages.py, grouped k-fold CV); None keeps the rule off.

    ``sure_lead``: when the question asks one thing (not two parts, not both sides), the
    lead holds the figure or the kind of answer asked, and the ranker gives it at least this
    share of its probability over the candidates, the lead is shown alone. Why: every fact
    lost by showing the lead alone was in an answer whose lead held none of the facts
    (bench/results/sure_lead.md), and a lead stating what was asked that the ranker is sure
    of is rarely such a lead. The statements admitted stay what the decline reads
    (answer/decide.py): showing less does not make the plans say less. Fitted
    (bench/fit_sure_lead.py, grouped k-fold CV); None keeps the rule off.

    ``probability_floor``: a further statement the ranker gives less than this share of its
    probability over the candidates never joins. Why beside the margin: the margin measures a
    statement against the lead alone, so when the ranker spreads its probability over many
    candidates (no clear answer among them) a statement within the margin may still be one of
    a crowd the ranker reads as answering nothing; its share says so directly. Every
    further statement holding a gold fact the others lacked had a share of at least 0.025 on
    own dev and the training files. Fitted (bench/fit_probability_floor.py, grouped k-fold
    CV); None keeps the rule off, as shipped: 0.02 loses no fact on any set, but the folds'
    choices do (bench/results/probability_floor.md).

    ``figure_stated``: when the question asks for a figure and the lead already states one
    of the asked kind, a further statement joins only when it adds a figure of the asked
    kind the answer does not state, a compound of the question the answer does not write,
    the kind of answer expected, or another part of the question (``_ADDS``; more of the
    question's other words is not enough), whatever its pages. Why: such a question is
    answered by the figure; a statement adding none of these says around the figure what
    the lead has said (of the 36 such statements on own dev and the training files none
    held a gold fact the others lacked). The asked figure is read by its noun too
    (``new_counted``: 12の州 answers いくつの州, answer/counted_figure.py), and a question
    asking where, who or what (``asks_other``) is no figure question to the rule: read by
    its counter alone, JSQuAD lost those spans. A rule, no fitted number; False keeps it
    off. Shipped on with ``keeps_slot`` (without it a dropped statement's place goes to one
    of another measure and citation precision drops): no loss on any labelled set or on
    JSQuAD, shorter answers (bench/results/probability_floor.md).

    ``keeps_slot``: a statement the admission drops keeps its place among the ``limit``
    statements the answer shows (answer/extractive.select) against a candidate of another
    passage than the lead's, which then does not join once the places are taken. Why: the
    hand-set score proposed the dropped one before it, so what comes next ranks below a
    statement already found to add nothing; a candidate of the lead's own passage cites no
    page the lead does not, and may still fill the place. False: every dropped statement's
    place goes to the next candidate."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    margin: float | None = None
    provenance: str = ""
    new_pages_gain: float | None = None
    sure_lead: float | None = None
    probability_floor: float | None = None
    figure_stated: bool = False
    keeps_slot: bool = False

    def __post_init__(self) -> None:
        for name in ("sure_lead", "probability_floor"):
            share = getattr(self, name)
            if share is not None and not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} is a share of probability, not {share}")
        unknown = set(self.weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"admission weights for unknown features: {sorted(unknown)}")

    @classmethod
    def within(
        cls,
        margin: float | None,
        provenance: str = "",
        new_pages_gain: float | None = None,
        sure_lead: float | None = None,
        probability_floor: float | None = None,
        figure_stated: bool = False,
    ) -> Admission:
        """The margin alone (the earlier rule): no model, every statement within it joins
        (and adds to the answer, when it cites new pages and ``new_pages_gain`` is set; and
        holds ``probability_floor`` of the ranker's probability, when that is set)."""
        return cls(
            {},
            0.0,
            0.0,
            margin,
            provenance,
            new_pages_gain,
            sure_lead,
            probability_floor,
            figure_stated,
        )

    @property
    def reads_features(self) -> bool:
        """Whether a further statement must be read whole (a model, or what it adds), not
        by its ranker margin alone."""
        return (
            bool(self.weights)
            or self.new_pages_gain is not None
            or self.probability_floor is not None
            or self.figure_stated
        )

    @classmethod
    def load(cls, path: Path | None = DEFAULT_ADMISSION) -> Admission | None:
        """The fitted admission saved at ``path``; None when there is none (hand-set)."""
        if path is None or not Path(path).is_file():
            return None
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        provenance = saved.get("provenance", "")
        margin = saved.get("margin")
        gain = saved.get("new_pages_gain")
        gain = None if gain is None else float(gain)
        sure = saved.get("sure_lead")
        sure = None if sure is None else float(sure)
        floor = saved.get("probability_floor")
        floor = None if floor is None else float(floor)
        stated = bool(saved.get("figure_stated", False))
        slot = bool(saved.get("keeps_slot", False))
        if "weights" not in saved:  # the earlier format: a margin alone (the two were equal)
            return replace(
                cls.within(float(margin), provenance, gain, sure, floor, stated), keeps_slot=slot
            )
        return cls(
            {k: float(v) for k, v in saved["weights"].items()},
            float(saved["bias"]),
            float(saved["threshold"]),
            None if margin is None else float(margin),
            provenance,
            gain,
            sure,
            floor,
            stated,
            slot,
        )

    def shows_alone(
        self, *, lead_probability: float, lead_holds_asked: bool, multi_part: bool
    ) -> bool:
        """Whether the lead is shown alone (``sure_lead``)."""
        return (
            self.sure_lead is not None
            and not multi_part
            and lead_holds_asked
            and lead_probability >= self.sure_lead
        )

    def probability(self, further: Further) -> float:
        return probability(self.weights, self.bias, further.features)

    def admits(self, further: Further) -> bool:
        """Whether ``further`` joins the statements before it."""
        if self.margin is not None and further.features["ranker_margin"] > self.margin:
            return False
        floor = self.probability_floor
        if floor is not None and further.features["ranker_probability"] < floor:
            return False
        if self.figure_stated and _figure_stated(further.features):
            if not any(further.features.get(f) for f in (*_ADDS, "new_counted")):
                return False
        if further.features.get("new_pages"):
            if self.new_pages_gain is not None and not adds(further.features, self.new_pages_gain):
                return False
        return self.probability(further) >= self.threshold


def _figure_stated(features: Mapping[str, float]) -> bool:
    """Whether the question asks for a figure, not where, who or what, and the lead states
    one of the asked kind."""
    asked = features.get("figure_asked") and not features.get("asks_other")
    return bool(asked and features.get("lead_has_figure"))


def adds(features: Mapping[str, float], gain: float) -> bool:
    """Whether a further statement adds to the answer: more than ``gain`` of the question,
    or a compound, figure or kind of answer it lacks, or another part of the question."""
    return features.get("coverage_gain", 0.0) > gain or any(features.get(f) for f in _ADDS)
