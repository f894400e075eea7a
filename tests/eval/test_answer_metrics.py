"""Answer metrics on small handmade /ask responses: each metric at 1, at 0 and in between."""

from __future__ import annotations

from eval.answer_metrics import (
    answer_numbers,
    citation_precision,
    citation_recall,
    cited_labels,
    decline_rates,
    fact_coverage,
    faithfulness,
    missing_facts,
    score_answer,
    unsupported_numbers,
)
from eval.gold import GoldQuestion

RATE_CHUNK = "現年度納付率については前年度納付率＋１．６ポイントの７７．６％（１２年連続の向上）。"
TRAINING_CHUNK = "研修を実施しお客様への適切な案内を依頼（1,441回）。"
OTHER_CHUNK = "ねんきんネットの利用者数は１，０００万人を超えた。"


def context(chunk_id: str, text: str, refs: list[str]) -> dict:
    return {
        "chunk_id": chunk_id,
        "text": text,
        "source": "jps-3rd-midterm-fy2023-results.txt",
        "page": 6,
        "section": None,
        "title": None,
        "refs": refs,
        "score": 0.5,
    }


def response(answer: str, citations: list[tuple[str, str]], answered: bool = True) -> dict:
    """An /ask response over three contexts, citing (label, chunk_id) pairs."""
    return {
        "answer": answer,
        "answered": answered,
        "citations": [{"label": lab, "chunk_id": cid, "quote": ""} for lab, cid in citations],
        "contexts": [
            context("rate", RATE_CHUNK, ["資料1-3 P6", "資料1-4 P4"]),
            context("training", TRAINING_CHUNK, ["資料1-3 P1"]),
            context("other", OTHER_CHUNK, ["資料1-3 P50"]),
        ],
        "mode": "extractive",
    }


def gold(
    facts: tuple[str, ...] = ("77.6%", "12年連続"),
    labels: tuple[str, ...] = ("資料1-3 P6", "資料1-4 P4"),
    type_: str = "factual",
) -> GoldQuestion:
    return GoldQuestion(
        id="rs-004",
        question="令和5年度の国民年金の現年度納付率は？",
        type=type_,  # type: ignore[arg-type]
        answer="77.6%",
        evidence=("現年度納付率については前年度納付率＋1.6ポイントの77.6％",) if facts else (),
        facts=facts,
        labels=labels,
        source="jps-3rd-midterm-fy2023-results.txt",
        split="dev",
    )


# --- fact coverage --------------------------------------------------------------------------
def test_fact_coverage_matches_full_and_half_width_forms() -> None:
    answer = "現年度納付率は７７．６％（１２年 連続の向上）。【資料1-3 P6】"
    assert fact_coverage(answer, ("77.6%", "12年連続")) == 1.0


def test_fact_coverage_counts_the_share_of_facts_stated() -> None:
    assert fact_coverage("納付率は77.6%。", ("77.6%", "12年連続")) == 0.5
    assert missing_facts("納付率は77.6%。", ("77.6%", "12年連続")) == ["12年連続"]


def test_fact_coverage_is_zero_for_a_decline_and_none_without_facts() -> None:
    assert fact_coverage("記載が見当たりませんでした。", ("77.6%",)) == 0.0
    assert fact_coverage("なんでも", ()) is None


def test_fact_coverage_treats_wave_dash_and_full_width_tilde_alike() -> None:
    assert fact_coverage("令和6年4月〜令和11年3月", ("令和6年4月～令和11年3月",)) == 1.0


# --- citation precision ---------------------------------------------------------------------
def test_citation_precision_is_one_when_every_label_is_gold_or_evidence() -> None:
    cited = response(
        "77.6%【資料1-3 P6・資料1-4 P4】", [("資料1-3 P6", "rate"), ("資料1-4 P4", "rate")]
    )
    question = gold(labels=("資料1-3 P6",))  # P4 is right through the evidence in its chunk
    assert citation_precision(cited, question.evidence, question.labels) == 1.0


def test_citation_precision_is_zero_when_labels_point_elsewhere() -> None:
    cited = response("1,441回【資料1-3 P1】", [("資料1-3 P1", "training")])
    question = gold()
    assert citation_precision(cited, question.evidence, question.labels) == 0.0


def test_citation_precision_counts_distinct_labels() -> None:
    cited = response(
        "…",
        [("資料1-3 P6", "rate"), ("資料1-3 P6", "rate"), ("資料1-3 P50", "other")],
    )
    question = gold()
    assert cited_labels(cited) == ["資料1-3 P6", "資料1-3 P50"]
    assert citation_precision(cited, question.evidence, question.labels) == 0.5


def test_citation_precision_accepts_a_page_label_of_an_evidence_chunk() -> None:
    cited = response("77.6%【results p.6】", [("results p.6", "rate")])
    question = gold(labels=())
    assert citation_precision(cited, question.evidence, question.labels) == 1.0


def test_citation_precision_is_none_without_citations() -> None:
    assert citation_precision(response("…", [], answered=False), ("x",), ()) is None


# --- citation recall ------------------------------------------------------------------------
def test_citation_recall_is_the_share_of_gold_labels_cited() -> None:
    both = response("…", [("資料1-3 P6", "rate"), ("資料1-4 P4", "rate")])
    one = response("…", [("資料1-3 P6", "rate")])
    none = response("…", [("資料1-3 P50", "other")])
    labels = ("資料1-3 P6", "資料1-4 P4")
    assert citation_recall(both, labels) == 1.0
    assert citation_recall(one, labels) == 0.5
    assert citation_recall(none, labels) == 0.0


def test_citation_recall_skips_questions_without_gold_labels() -> None:
    assert citation_recall(response("…", [("results p.6", "rate")]), ()) is None


# --- faithfulness ---------------------------------------------------------------------------
def test_answer_numbers_ignore_label_tags_and_thousands_separators() -> None:
    answer = "研修は１，４４１回、納付率は77.6%。【資料1-3 P1・中期P62】"
    assert answer_numbers(answer) == ["1441", "77.6"]


def test_faithfulness_is_one_when_every_number_is_in_a_cited_chunk() -> None:
    cited = response(
        "前年度＋1.6ポイントの77.6%、12年連続。【資料1-3 P6】", [("資料1-3 P6", "rate")]
    )
    assert unsupported_numbers(cited) == []
    assert faithfulness(cited) == 1.0


def test_faithfulness_is_zero_for_a_number_of_no_cited_chunk() -> None:
    # 1,441 is in a retrieved context, but not in the one cited: still unsupported.
    cited = response("納付率は77.6%、研修は1,441回。【資料1-3 P6】", [("資料1-3 P6", "rate")])
    assert unsupported_numbers(cited) == ["1441"]
    assert faithfulness(cited) == 0.0


def test_faithfulness_does_not_find_a_number_inside_a_longer_one() -> None:
    cited = response("利用者は1,000人。【資料1-3 P50】", [("資料1-3 P50", "other")])
    assert faithfulness(cited) == 1.0
    cited = response("利用者は100万人。【資料1-3 P50】", [("資料1-3 P50", "other")])
    assert unsupported_numbers(cited) == ["100"]


def test_faithfulness_is_none_for_a_declined_answer() -> None:
    assert faithfulness(response("記載が見当たりませんでした。", [], answered=False)) is None


# --- declines -------------------------------------------------------------------------------
def test_decline_rates_split_answerable_from_unanswerable() -> None:
    outcomes = [(False, False), (False, True), (True, True), (True, True), (True, False)]
    declined, false_declines = decline_rates(outcomes)
    assert declined == 0.5
    assert false_declines == 1 / 3


def test_decline_rates_at_their_extremes() -> None:
    assert decline_rates([(False, False), (True, True)]) == (1.0, 0.0)
    assert decline_rates([(False, True), (True, False)]) == (0.0, 1.0)
    assert decline_rates([]) == (None, None)


# --- one question ---------------------------------------------------------------------------
def test_score_answer_of_a_perfect_answer() -> None:
    cited = response(
        "77.6%（12年連続の向上）。【資料1-3 P6・資料1-4 P4】",
        [("資料1-3 P6", "rate"), ("資料1-4 P4", "rate")],
    )
    scores = score_answer(cited, gold())
    assert scores.metrics() == {
        "fact_coverage": 1.0,
        "citation_precision": 1.0,
        "citation_recall": 1.0,
        "faithfulness": 1.0,
    }
    assert scores.missing_facts == () and scores.unsupported_numbers == ()


def test_score_answer_of_a_false_decline() -> None:
    declined = response("記載が見当たりませんでした。", [], answered=False)
    scores = score_answer(declined, gold())
    assert scores.metrics() == {
        "fact_coverage": 0.0,
        "citation_precision": None,
        "citation_recall": 0.0,
        "faithfulness": None,
    }


def test_score_answer_judges_an_unanswerable_question_by_faithfulness_only() -> None:
    answered = response("1,441回。【資料1-3 P1】", [("資料1-3 P1", "training")])
    scores = score_answer(answered, gold(facts=(), labels=(), type_="unanswerable"))
    assert scores.metrics() == {
        "fact_coverage": None,
        "citation_precision": None,
        "citation_recall": None,
        "faithfulness": 1.0,
    }
