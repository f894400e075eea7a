"""Reading a further statement: what it adds to the answer at the point it comes up.

A further statement (one after the lead the ranker chose) is read into ``FEATURES``: words
of the question the answer does not hold yet, a figure of the asked kind the answer does
not state, another part of a two-part question, another passage and more pages to check,
how sure the ranker is of the lead. ``further`` reads these as the code knows them when the
statement comes up; the fitted decision on them (answer/admission.py) and the fitters
(bench/fit_admission.py and its kin) read the same ``Further``. Why apart from the
decision: the reading is what the code knows of a statement, the same whatever is fitted on
it, while the decision is data that each fit replaces.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from answer.asked_terms import asked_compounds, compounds_missing
from answer.counted_figure import asks_other_than_figure, counted_figure
from answer.ranker import Candidate
from question.answer_type import asked_counter, expected_answer, provides
from question.counters import arabic_figures

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
    "new_counted",  # counts what a いくつ / 何個 question counts by its noun (12の州), the answer not
    "asks_other",  # the question asks where, who or what (どこ, 誰, 何 not before a counter)
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


def ranker_shares(raw: Sequence[float]) -> list[float]:
    """Each candidate's share of the ranker's probability (a softmax over its scores)."""
    top = max(raw)
    exps = [math.exp(s - top) for s in raw]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class Asked:
    """What one part of the question asks, read once per selection: the kind of answer
    expected and its counter, its compounds, whether it asks for a figure or period."""

    kind: str | None
    counter: str | None
    compounds: tuple[str, ...]
    figure_asked: bool
    counted: re.Pattern[str] | None = None  # answer/counted_figure.py
    asks_other: bool = False

    @classmethod
    def of(cls, question: str, *, figure_asked: bool) -> Asked:
        return cls(
            expected_answer(question),
            asked_counter(question),
            tuple(asked_compounds(question)),
            figure_asked,
            counted_figure(question),
            asks_other_than_figure(question),
        )

    def counts(self, text: str) -> set[str]:
        """The numbers of the counts ``text`` states of what the question counts."""
        if self.counted is None:
            return set()
        written = arabic_figures(unicodedata.normalize("NFKC", text))
        return {n for m in self.counted.finditer(written) for n in numbers_in(m.group(0))}

    def provides(self, texts: Sequence[str]) -> bool:
        """Whether ``texts`` hold the kind of answer expected (False when none is)."""
        return self.kind is not None and provides(self.kind, texts, self.counter)

    def written(self, texts: Sequence[str]) -> set[str]:
        """The question's compounds some of ``texts`` write as the question does."""
        return {
            c for c in self.compounds if any(not compounds_missing([c], t, _none) for t in texts)
        }


_NUMBER = re.compile(r"\d[\d,.]*")


def numbers_in(text: str) -> set[str]:
    """The numbers written in ``text`` (NFKC, digits with their separators): what a
    statement states that another may not."""
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
    stated = {n for text in said for n in numbers_in(text)}
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
        "new_figure": float(candidate.asked_figure and bool(numbers_in(candidate.shown) - stated)),
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
        "new_counted": float(bool(asked.counts(candidate.shown) - stated)),
        "asks_other": float(asked.asks_other),
    }
    return Further(candidate.shown, tuple(said), values)
