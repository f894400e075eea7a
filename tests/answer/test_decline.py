"""answer/decline.py: the shipped logistic decline model and how a broken file is refused."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from answer.decline import MODEL_PATH, DeclineModel, DeclineModelError, DeclineSignals


@pytest.fixture(scope="module")
def model() -> DeclineModel:
    return DeclineModel.load()


def _signals(**changes: float) -> DeclineSignals:
    """The signals of a well-covered question: every word found, nothing missing."""
    covered = DeclineSignals(
        coverage=1.0,
        type_missing=0.0,
        years_missing=0.0,
        unknown_compounds=0.0,
        unknown_names=0.0,
        absent_words=0.0,
        best_compounds=1.0,
        first_statement_score=10.0,
        compounds_together=1.0,
        unwritten_compounds=0.0,
        unknown_proper_nouns=0.0,
    )
    return dataclasses.replace(covered, **changes)


def test_the_shipped_model_has_a_weight_for_every_signal(model: DeclineModel):
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(model.weights) == set(DeclineSignals.names())
    assert model.weights == {name: float(raw["weights"][name]) for name in DeclineSignals.names()}
    assert model.bias == float(raw["bias"])
    assert model.threshold == 0.5


def test_the_probability_is_the_logistic_of_the_weighted_signals(model: DeclineModel):
    signals = _signals(coverage=0.4, type_missing=1.0)
    z = model.bias + sum(
        model.weights[name] * value
        for name, value in zip(DeclineSignals.names(), signals.vector(), strict=True)
    )
    assert model.probability(signals) == pytest.approx(1 / (1 + math.exp(-z)))


def test_the_probability_rises_with_coverage(model: DeclineModel):
    levels = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    probabilities = [model.probability(_signals(coverage=level)) for level in levels]
    assert probabilities == sorted(probabilities)
    assert len(set(probabilities)) == len(levels)  # strictly rising


def test_a_missing_answer_type_lowers_the_probability(model: DeclineModel):
    covered = model.probability(_signals())
    missing = model.probability(_signals(type_missing=1.0))
    assert missing < covered
    assert missing < model.threshold <= covered


def test_a_well_covered_question_is_answered(model: DeclineModel):
    assert model.probability(_signals()) > 0.5
    assert model.against(_signals()) is None


def test_a_missing_answer_type_is_named_as_the_reason_to_decline(model: DeclineModel):
    assert model.against(_signals(type_missing=1.0)) == "type_missing"


def test_a_missing_year_is_named_as_the_reason_to_decline(model: DeclineModel):
    assert model.against(_signals(years_missing=1.0)) == "years_missing"


def test_without_a_signal_against_a_barely_covered_question_names_coverage():
    # A model (not the shipped one) whose bias declines what coverage does not lift; it
    # weighs the signals against an answer down and reads none of the others.
    rising = {"best_compounds", "first_statement_score", "compounds_together"}
    strict = DeclineModel(
        {
            name: (4.0 if name == "coverage" else 0.0 if name in rising else -1.0)
            for name in DeclineSignals.names()
        },
        -2.0,
    )
    assert strict.probability(_signals(coverage=0.1)) < strict.threshold
    assert strict.against(_signals(coverage=0.1)) == "coverage"
    assert strict.against(_signals(coverage=0.9)) is None


def test_the_vector_follows_the_signal_names():
    signals = _signals(coverage=0.3, type_missing=1.0)
    assert DeclineSignals.names()[:2] == ["coverage", "type_missing"]
    assert signals.vector() == [0.3, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 10.0, 1.0, 0.0, 0.0, *[0.0] * 10]


def _shipped() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        json.dumps({"bias": 0.0}),
        json.dumps({**_shipped(), "weights": {"coverage": 1.0}}),
        json.dumps({**_shipped(), "bias": "high"}),
        json.dumps({**_shipped(), "weights": None}),
        json.dumps([1, 2, 3]),
    ],
    ids=[
        "not-json",
        "no-weights",
        "a-weight-missing",
        "bias-not-a-number",
        "weights-null",
        "a-list",
    ],
)
def test_a_malformed_model_file_is_refused_naming_the_file(tmp_path: Path, content: str):
    path = tmp_path / "decline_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DeclineModelError) as raised:
        DeclineModel.load(path)
    assert str(path) in str(raised.value)
    assert "bench/fit_decline.py" in str(raised.value)


def test_a_missing_model_file_is_refused_naming_the_file(tmp_path: Path):
    path = tmp_path / "absent.json"
    with pytest.raises(DeclineModelError, match="absent.json"):
        DeclineModel.load(path)


def test_a_model_file_without_a_threshold_uses_one_half(tmp_path: Path):
    raw = _shipped()
    del raw["threshold"]
    path = tmp_path / "decline_model.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert DeclineModel.load(path).threshold == 0.5


def test_a_question_whose_words_no_passage_holds_is_declined(model: DeclineModel):
    # Every word found nowhere in the plans: a general-knowledge question asked of them.
    # Then nothing is covered and no compound is found, anywhere: the signals of such a
    # question together, not every word absent beside full coverage (a pairing that cannot
    # occur; bench/results/decline_model.md says what requiring it of the fit cost).
    nowhere = _signals(
        coverage=0.0,
        absent_words=1.0,
        best_compounds=0.0,
        compounds_together=0.0,
        unwritten_compounds=1.0,
    )
    assert model.against(nowhere) is not None
    assert model.probability(nowhere) < model.threshold
    assert model.probability(_signals(absent_words=1.0)) < model.probability(_signals())


@pytest.mark.parametrize("absent", [{"unwritten_compounds": 1.0}, {"unknown_proper_nouns": 1.0}])
def test_what_the_plans_never_write_lowers_the_probability(model: DeclineModel, absent):
    # A compound or a proper noun (a country, a person) no passage writes, nor anything near.
    assert model.probability(_signals(**absent)) < model.probability(_signals())


def test_a_model_reading_every_signal_reads_the_attribute_at_weight_0(model: DeclineModel):
    # The rows a refit reads (bench/decline_features.py) need the signals the shipped model
    # does not weigh; its decisions stay the shipped model's.
    reading = DeclineModel(dict.fromkeys(model.weights, 0.0), model.bias, read_every_signal=True)
    assert reading.reads_attribute
    assert not DeclineModel(dict.fromkeys(model.weights, 0.0), model.bias).reads_attribute
