"""The labels an answer cites: its citations and its 【…】 groups, told apart in NFKC."""

from __future__ import annotations

from eval.labels import answer_labels, cited_labels, is_plan_page


def response(answer: str, labels: list[str]) -> dict:
    citations = [{"label": label, "chunk_id": "c", "quote": ""} for label in labels]
    return {"answer": answer, "answered": True, "citations": citations, "contexts": []}


def test_labels_in_the_answer_are_read_from_its_label_groups() -> None:
    answer = "A【中期P40,41・年度P47】B【資料１－３ P6、overview p.3】C【中期P40】"
    assert answer_labels(answer) == [
        "中期P40",
        "中期P41",
        "年度P47",
        "資料１－３ P6",
        "overview p.3",
    ]


def test_cited_labels_join_citations_and_answer_labels_in_matchable_form() -> None:
    cited = response("77.6%【資料１－３ P6・資料1-4 P4】", ["資料1-3 P6"])
    assert cited_labels(cited) == ["資料1-3 P6", "資料1-4 P4"]


def test_plan_pages_are_told_from_document_pages() -> None:
    assert is_plan_page("中期P46") and is_plan_page("資料１－３ P６") and is_plan_page("年度P47")
    assert not is_plan_page("overview p.3") and not is_plan_page("results p.14")
