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
more pages to check, how sure the ranker is of the lead. ``further`` reads these, as the
code knows them when the statement comes up; labels come from the labelled questions'
facts, and the gate, the model and its threshold are chosen end to end under grouped
k-fold cross-validation over own dev and the outside set.

What was measured (bench/results/admission.md): with 29 fact-adding statements among 337,
the model ranks them better than the margin (CV AUC 0.79 against 0.73) but not well enough
for the tail: every threshold that shortened answers lost facts on every set, so the
shipped file holds the margin alone (4, the earlier fit; a file with no ``weights`` reads as
the gate alone) and the model stays fitted-and-off until better signals or more labelled
questions let a threshold keep every fact. With no file the hand-set score alone admits.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from answer.asked_terms import asked_compounds, compounds_missing
from answer.ranker import Candidate
from question.answer_type import asked_counter, expected_answer, provides

DEFAULT_ADMISSION = Path(__file__).resolve().parents[1] / "data" / "answer" / "admission.json"

FEATURES = (
    "ranker_margin",  # the lead's ranker score minus this one's (conditional-logit units)
    "ranker_probability",  # this one's share of the ranker's probability over the candidates
    "lead_probability",  # the lead's share: how sure the ranker is of the lead
    "ranker_place",  # log(1 + how many candidates the ranker scores above it, the lead aside)
    "hand_share",  # the hand-set score as a share of the best
    "hand_place",  # log(1 + how many candidates the hand-set score puts above it, the lead aside)
    "coverage_gain",  # share of the question this adds to what the answer covers
    "new_compounds",  # share of the question's compounds this writes and the answer does not
    "new_figure",  # holds the asked figure (or period) with a number the answer does not state
    "figure_asked",  # the question asks for a figure or a period
    "lead_has_figure",  # the lead already holds the asked figure
    "new_kind",  # holds the kind of answer expected (question/answer_type.py), the answer not
    "lead_has_kind",  # the lead already holds the kind of answer expected
    "new_pages",  # would cite pages the answer does not cite yet
    "same_passage",  # from the lead's passage
    "position",  # 1 for the first further statement the model reads, 2 for the next, ...
    # (counted whether or not those before joined: a count of the statements admitted
    # would read differently when fitting on what a perfect admission admits)
    "multi_part",  # the question asks two things, or both sides of a comparison
    "follow_up",  # the question leans on the conversation before it
    "log_chars",  # log of the statement's length
)


@dataclass(frozen=True)
class Asking:
    """What the code reads of the question as a whole (answer/rank.py), beyond one part."""

    multi_part: bool = False
    follow_up: bool = False


@dataclass(frozen=True)
class Further:
    """A further statement at the point it may join: its features, and for a fitter the
    statement and those before it."""

    shown: str
    before: tuple[str, ...]
    features: Mapping[str, float] = field(default_factory=dict)


def probability(weights: Mapping[str, float], bias: float, values: Mapping[str, float]) -> float:
    """The logistic model's probability for ``values``."""
    z = bias + sum(w * values.get(name, 0.0) for name, w in weights.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def ranker_shares(raw: Sequence[float]) -> list[float]:
    """Each candidate's share of the ranker's probability (a softmax over its scores)."""
    top = max(raw)
    exps = [math.exp(s - top) for s in raw]
    total = sum(exps)
    return [e / total for e in exps]


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
    (bench/fit_sure_lead.py, grouped k-fold CV); None keeps the rule off."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    margin: float | None = None
    provenance: str = ""
    new_pages_gain: float | None = None
    sure_lead: float | None = None

    def __post_init__(self) -> None:
        if self.sure_lead is not None and not 0.0 <= self.sure_lead <= 1.0:
            raise ValueError(f"sure_lead is a share of probability, not {self.sure_lead}")
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
    ) -> Admission:
        """The margin alone (the earlier rule): no model, every statement within it joins
        (and adds to the answer, when it cites new pages and ``new_pages_gain`` is set)."""
        return cls({}, 0.0, 0.0, margin, provenance, new_pages_gain, sure_lead)

    @property
    def reads_features(self) -> bool:
        """Whether a further statement must be read whole (a model, or what it adds), not
        by its ranker margin alone."""
        return bool(self.weights) or self.new_pages_gain is not None

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
        if "weights" not in saved:  # the earlier format: a margin alone (the two were equal)
            return cls.within(float(margin), provenance, gain, sure)
        return cls(
            {k: float(v) for k, v in saved["weights"].items()},
            float(saved["bias"]),
            float(saved["threshold"]),
            None if margin is None else float(margin),
            provenance,
            gain,
            sure,
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
        if further.features.get("new_pages"):
            if self.new_pages_gain is not None and not adds(further.features, self.new_pages_gain):
                return False
        return self.probability(further) >= self.threshold


def adds(features: Mapping[str, float], gain: float) -> bool:
    """Whether a further statement adds to the answer: more than ``gain`` of the question,
    or a compound, figure or kind of answer it lacks, or another part of the question."""
    return features.get("coverage_gain", 0.0) > gain or any(features.get(f) for f in _ADDS)


@dataclass(frozen=True)
class Asked:
    """What one part of the question asks, read once per selection: the kind of answer
    expected and its counter, its compounds, whether it asks for a figure or period."""

    kind: str | None
    counter: str | None
    compounds: tuple[str, ...]
    figure_asked: bool

    @classmethod
    def of(cls, question: str, *, figure_asked: bool) -> Asked:
        return cls(
            expected_answer(question),
            asked_counter(question),
            tuple(asked_compounds(question)),
            figure_asked,
        )

    def provides(self, texts: Sequence[str]) -> bool:
        """Whether ``texts`` hold the kind of answer expected (False when none is)."""
        return self.kind is not None and provides(self.kind, texts, self.counter)

    def written(self, texts: Sequence[str]) -> set[str]:
        """The question's compounds some of ``texts`` write as the question does."""
        return {
            c for c in self.compounds if any(not compounds_missing([c], t, _none) for t in texts)
        }


_NUMBER = re.compile(r"\d[\d,.]*")


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(unicodedata.normalize("NFKC", text)))


def _none(_: str) -> tuple[str, ...]:
    return ()


def further(
    candidate: Candidate,
    before: Sequence[Candidate],
    *,
    asked: Asked,
    asking: Asking,
    ranker_margin: float,
    ranker_probability: float,
    lead_probability: float,
    ranker_place: int,
    hand_share: float,
    hand_place: int,
    position: int,
    coverage_gain: float,
    new_pages: bool,
) -> Further:
    """``candidate`` as the admission reads it, after the statements ``before`` (the lead
    first); the ranker's and the hand-set score's figures are the caller's."""
    lead = before[0]
    said = [c.shown for c in before]
    held = asked.written(said)
    stated = {n for text in said for n in _numbers(text)}
    compounds = len(asked.compounds)
    new_compounds = len(asked.written([candidate.shown]) - held) / compounds if compounds else 0.0
    values = {
        "ranker_margin": min(ranker_margin, 20.0),  # beyond, all alike
        "ranker_probability": ranker_probability,
        "lead_probability": lead_probability,
        "ranker_place": math.log1p(ranker_place),
        "hand_share": hand_share,
        "hand_place": math.log1p(hand_place),
        "coverage_gain": coverage_gain,
        "new_compounds": new_compounds,
        "new_figure": float(candidate.asked_figure and bool(_numbers(candidate.shown) - stated)),
        "figure_asked": float(asked.figure_asked),
        "lead_has_figure": float(lead.asked_figure),
        "new_kind": float(asked.provides([candidate.shown]) and not asked.provides(said)),
        "lead_has_kind": float(asked.provides([lead.shown])),
        "new_pages": float(new_pages),
        "same_passage": float(candidate.chunk.id == lead.chunk.id),
        "position": float(position),
        "multi_part": float(asking.multi_part),
        "follow_up": float(asking.follow_up),
        "log_chars": math.log(max(len(candidate.shown), 1)),
    }
    return Further(candidate.shown, tuple(said), values)
