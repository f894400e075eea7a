"""Answer metrics on small handmade /ask responses: each metric at 1, at 0 and in between,
and the rules of the outside set's scorer (../shared/eval/README.md) one by one."""

from __future__ import annotations

from eval.answer_metrics import (
    answer_numbers,
    citation_precision,
    citation_recall,
    cited_labels,
    decline_rates,
    fact_coverage,
    faithfulness,
    first_statement,
    first_statement_holds,
    missing_facts,
    recall_at_k,
    score_answer,
    unsupported_numbers,
)
from eval.gold import GoldQuestion

RATE_CHUNK = "現年度納付率については前年度納付率＋１．６ポイントの７７．６％（１２年連続の向上）。"
TRAINING_CHUNK = "研修を実施しお客様への適切な案内を依頼（1,441回）。"
OTHER_CHUNK = "ねんきんネットに登録した人は１，０００万人を超えた。"


def context(chunk_id: str, text: str, refs: list[str], labels: list[str] | None = None) -> dict:
    return {
        "chunk_id": chunk_id,
        "text": text,
        "source": "jps-3rd-midterm-fy2023-results.txt",
        "page": 6,
        "section": None,
        "title": None,
        "refs": refs,
        "score": 0.5,
        "labels": refs if labels is None else labels,
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
            context("page", RATE_CHUNK, [], ["results p.6"]),
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


# --- text form -------------------------------------------------------------------------------
def test_text_is_compared_after_nfkc_without_tags_or_whitespace() -> None:
    answer = "現年度納付率は<b>７７．６％</b>（１２年\n 連続の向上）。【資料1-3 P6】"
    assert fact_coverage(answer, ("77.6%", "12年連続")) == 1.0


def test_fact_coverage_folds_only_what_nfkc_folds() -> None:
    # NFKC turns the full-width tilde into "~" but keeps the wave dash: the scorer's rule.
    assert fact_coverage("令和6年4月～令和11年3月", ("令和6年4月~令和11年3月",)) == 1.0
    assert fact_coverage("令和6年4月〜令和11年3月", ("令和6年4月～令和11年3月",)) == 0.0


# --- recall@k ----------------------------------------------------------------------------------
def test_recall_at_k_needs_one_evidence_string_in_the_first_k_contexts() -> None:
    answered = response("…", [])
    evidence = ("登録した人は1,000万人を超えた", "どこにもない文")
    assert recall_at_k(answered, evidence, 1) == 0.0
    assert recall_at_k(answered, evidence, 3) == 1.0
    assert recall_at_k(answered, (), 5) is None


# --- fact coverage -----------------------------------------------------------------------------
def test_fact_coverage_is_one_only_when_every_fact_is_stated() -> None:
    assert fact_coverage("納付率は77.6%（12年連続）。", ("77.6%", "12年連続")) == 1.0
    assert fact_coverage("納付率は77.6%。", ("77.6%", "12年連続")) == 0.0
    assert missing_facts("納付率は77.6%。", ("77.6%", "12年連続")) == ["12年連続"]


def test_fact_coverage_is_zero_for_a_decline_and_none_without_facts() -> None:
    assert fact_coverage("記載が見当たりませんでした。", ("77.6%",)) == 0.0
    assert fact_coverage("なんでも", ()) is None


# --- first statement ---------------------------------------------------------------------------
def test_first_statement_is_the_first_line_up_to_its_labels() -> None:
    answer = "\n納付率は77.6%です【資料1-3 P6】。12年連続の向上【資料1-4 P4】。\n次の行"
    assert first_statement(answer) == "納付率は77.6%です"


def test_first_statement_holds_every_fact_or_not() -> None:
    leads = "77.6%、12年連続の向上【資料1-3 P6】\n補足【中期P1】"
    trails = "納付率は77.6%【資料1-3 P6】。12年連続の向上でした【資料1-4 P4】"
    facts = ("77.6%", "12年連続")
    assert first_statement_holds(leads, facts) == 1.0
    assert first_statement_holds(trails, facts) == 0.0
    assert fact_coverage(trails, facts) == 1.0
    assert first_statement_holds(trails, ()) is None


# --- citation precision ------------------------------------------------------------------------
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


def test_citation_precision_scores_labels_written_only_in_the_answer() -> None:
    # No citation objects: the 【…】 labels are what the answer cites.
    right = response("77.6%【資料1-3 P6】", [])
    wrong = response("77.6%【資料1-3 P50】", [])
    question = gold(labels=("資料1-3 P6",))
    assert citation_precision(right, question.evidence, question.labels) == 1.0
    assert citation_precision(wrong, question.evidence, question.labels) == 0.0


def test_a_label_of_a_context_holding_the_evidence_is_correct() -> None:
    # 資料1-4 P4 is neither gold nor paired in a citation: it is a label of the rate context.
    cited = response("77.6%【資料1-4 P4】", [])
    question = gold(labels=("資料1-3 P6",))
    assert citation_precision(cited, question.evidence, question.labels) == 1.0


def test_a_label_that_is_not_a_plan_page_counts_as_correct() -> None:
    cited = response("1,441回【overview p.3】", [("overview p.3", "training")])
    question = gold()
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


def test_citation_recall_counts_labels_written_in_the_answer() -> None:
    cited = response("77.6%【資料１－３ P6・資料1-4 P4】", [])
    assert citation_recall(cited, ("資料1-3 P6", "資料1-4 P4")) == 1.0


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
        "recall@1": 1.0,
        "recall@5": 1.0,
        "recall@10": 1.0,
        "fact_coverage": 1.0,
        "citation_precision": 1.0,
        "citation_recall": 1.0,
        "faithfulness": 1.0,
        "first_statement": 1.0,
    }
    assert scores.missing_facts == () and scores.unsupported_numbers == ()
    assert scores.answer_chars == len("77.6%（12年連続の向上）。【資料1-3 P6・資料1-4 P4】")


def test_score_answer_of_a_false_decline() -> None:
    declined = response("記載が見当たりませんでした。", [], answered=False)
    scores = score_answer(declined, gold())
    assert scores.metrics() == {
        "recall@1": 1.0,
        "recall@5": 1.0,
        "recall@10": 1.0,
        "fact_coverage": 0.0,
        "citation_precision": None,
        "citation_recall": 0.0,
        "faithfulness": None,
        "first_statement": 0.0,
    }


def test_score_answer_judges_an_unanswerable_question_by_faithfulness_only() -> None:
    answered = response("1,441回。【資料1-3 P1】", [("資料1-3 P1", "training")])
    scores = score_answer(answered, gold(facts=(), labels=(), type_="unanswerable"))
    assert scores.metrics() == {
        "recall@1": None,
        "recall@5": None,
        "recall@10": None,
        "fact_coverage": None,
        "citation_precision": None,
        "citation_recall": None,
        "faithfulness": 1.0,
        "first_statement": None,
    }
