"""Answer or decline: one small fitted model over the signals the answer already computes.

A chain of hand thresholds (coverage below 0.15, a compound the plans never write, a year
the passages do not name …) each fired on questions it was not written for: everyday words
with a close plan equivalent were taken for unknown concepts. Instead each check becomes a
signal, and a logistic regression weighs them: its weights are data
(``data/decline_model.json``), fitted with k-fold cross-validation over every labelled
question by ``bench/fit_decline.py``, which prints the cross-validated rates.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "decline_model.json"


@dataclass(frozen=True)
class DeclineSignals:
    """What the answer knows about how well it answers, each in a small numeric range."""

    # Share of the question (idf-weighted, equivalents at their weight) covered by the
    # chosen sentences and by the best of the top contexts with its headings. Measured: the
    # two together are collinear and the fit gave the sentences' share a negative weight;
    # their mean keeps both and a weight that can only rise with coverage.
    coverage: float
    type_missing: float  # 1 when the question expects a figure kind no sentence states
    years_missing: float  # 1 when it names a year the passages never mention
    unknown_compounds: float  # compounds the plans never write, nor anything near them
    unknown_names: float  # Latin-letter names the plans never use
    # Share of the question's words (its index terms, question words aside) that no
    # passage holds, nor any equivalent: a general-knowledge question asked of the plans
    # (JSQuAD) or one about a thing they never name (駐車場) has most of its words absent.
    absent_words: float
    # Share of the question's compounds (Sudachi long units, 保険料率 whole) the best
    # sentence holds, with its headings, as written or as an equivalent: the plans cover
    # 保険料 and 率 but the asked compound is the attribute a decline must name.
    best_compounds: float
    # The sentence ranker's score of the first statement (``Picked.ranked``): a
    # sentence that wins by sharing a topic word or two wins with a low score.
    first_statement_score: float
    # The largest share of the question's compounds one of the top passages holds (with
    # its headings, equivalents counted): a general-knowledge question finds its words one
    # by one across the plans, never together.
    compounds_together: float
    # Share of the question's compounds the plans never write, nor any equivalent.
    unwritten_compounds: float
    # Proper nouns (places, people, organisations) the plans never write: オランダ, 東海.
    unknown_proper_nouns: float
    # The attribute the question asks the value of, read from its grammar
    # (question/attribute.py: 最寄り駅 in 年金事務所の最寄り駅はどこ), missing as a whole and
    # in every equivalent wording: from the best sentence with its headings, from every one
    # of the top passages with their headings, from the plans' whole text. 0 when the
    # grammar names no attribute. The compound signals above weigh every noun alike; a
    # question whose topic the plans cover (年金事務所) lacks only this one.
    attribute_missing_best: float = 0.0
    attribute_missing_passages: float = 0.0
    attribute_unwritten: float = 0.0
    # The attribute missing from every top passage, weighed by how rarely the plans write
    # it: 1 / (1 + ln(1 + times written), as written or its most written equivalent). A
    # kind of value the plans write everywhere (割合, 件数, 目標) is often given by a
    # figure with no word for it; one they write rarely or never (平均年齢) is not.
    attribute_missing_rare: float = 0.0
    # 1 when the question asks a figure of its attribute (何人, いくら, 何％, どれくらい) and
    # no picked sentence states a figure in the asked unit in the attribute's clause, or
    # under a heading naming it (answer/value_binding.py): the sentence shares the topic
    # and states a figure, of something else (被保険者10,000人 for a department's staff).
    value_unbound: float = 0.0
    # 1 when the question asks a name (誰, どこ, どの機関, 何という) and no picked sentence
    # or top-3 passage states one of that kind, other than the question's own, beside an
    # asked compound (answer/name_binding.py): the plans cover 理事長 and name no one.
    name_unbound: float = 0.0
    # What the plans never state about a topic they cover, read from the question's grammar
    # (question/scope.py): a ranking asked that no quoted sentence states (いちばん高い
    # 都道府県: the sentence gives one figure), the amount or age of a benefit a person
    # receives or pays (set by pension law), a comparison with another party (他の省庁と比べ
    # て): the plans compare the organisation with its own years and targets only.
    ranking_unstated: float = 0.0
    benefit_amount: float = 0.0
    others_compared: float = 0.0
    # 1 when the question asks a figure (いくら, 何歳, 何％, どれくらい) of an attribute the
    # plans never write in any equivalent wording (平均年収, 男女比 of 職員, a subject they
    # do write): a figure is a value of a named thing, and no sentence can state the value
    # of a thing the plans never name. Not for a サ変 noun the question uses as its verb
    # (催促して…どのくらい: the outcome asked may be written under other words).
    attribute_figure_unwritten: float = 0.0

    def vector(self) -> list[float]:
        return [float(v) for v in asdict(self).values()]

    @classmethod
    def names(cls) -> list[str]:
        return list(cls.__dataclass_fields__)


# The signals read from what the question asks (question/attribute.py, a name asked): computed
# for a model that weighs one of them (bench/results/decline_model.md).
ATTRIBUTE_SIGNALS = (
    "attribute_missing_best",
    "attribute_missing_passages",
    "attribute_unwritten",
    "attribute_missing_rare",
    "value_unbound",
    "name_unbound",
    "attribute_figure_unwritten",
)


class DeclineModelError(ValueError):
    """The model file cannot be used; the message names it."""


@dataclass(frozen=True)
class DeclineModel:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    # Read every signal, weighed or not: the rows a refit reads (bench/decline_features.py).
    read_every_signal: bool = False

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> DeclineModel:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            weights = {name: float(raw["weights"][name]) for name in DeclineSignals.names()}
            return cls(weights, float(raw["bias"]), float(raw.get("threshold", 0.5)))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DeclineModelError(
                f"{path}: not a decline model ({error}); rerun bench/fit_decline.py"
            ) from error

    @property
    def attribute_signals_read(self) -> frozenset[str]:
        """The attribute signals an answered question pays for: those that weigh in the
        decision (every one when every signal is read); one at weight 0 is never computed."""
        return frozenset(
            name for name in ATTRIBUTE_SIGNALS if self.read_every_signal or self.weights[name]
        )

    @property
    def reads_attribute(self) -> bool:
        """Whether any attribute signal weighs in the decision (or every signal is read)."""
        return bool(self.attribute_signals_read)

    def probability(self, signals: DeclineSignals) -> float:
        """Estimated probability that the plans answer the question."""
        z = self.bias + sum(
            self.weights[name] * value
            for name, value in zip(DeclineSignals.names(), signals.vector(), strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def against(self, signals: DeclineSignals) -> str | None:
        """None when the question is answered; else the signal that costs the answer most
        against its best value (0 for a signal weighed down, 1 for a share weighed up: a
        best sentence lacking half the asked compounds costs half its weight), coverage
        when none costs anything."""
        if self.probability(signals) >= self.threshold:
            return None
        shortfall = {
            name: self.weights[name] * (value if self.weights[name] < 0 else min(value, 1.0) - 1)
            for name, value in zip(DeclineSignals.names(), signals.vector(), strict=True)
        }
        worst = min(shortfall, key=lambda name: shortfall[name])
        return worst if shortfall[worst] < 0 else "coverage"
