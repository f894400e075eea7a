"""A decline names the year it found missing with the true reason: a year no plan covers is
named as such; a year the plans cover whose asked figure no quoted passage states is not
said to be uncovered (answer/decline_years.py). Real index of the two plans."""

from __future__ import annotations

from support.asking import ask

from answer.decline_subject import missing_subject
from answer.decline_years import year_subject
from question import analyse


def _details(**given: list[str]) -> dict[str, list[str]]:
    return {"years": [], "terms": [], "lacking": [], "unwritten": [], **given}


def test_a_covered_year_is_named_with_the_figure_asked_not_as_uncovered():
    analysis = analyse("令和6年度の督促状は何件？")
    details = _details(years=["令和6年度"], years_covered=["令和6年度"], asked_attribute=["督促状"])
    assert missing_subject("years_missing", details, analysis) == "令和6年度の督促状の数値"
    details["asked_attribute"] = ["件数"]
    details["owner"] = ["督促状"]
    assert year_subject(["令和6年度"], details, analysis) == "令和6年度の督促状の件数"


def test_a_year_no_plan_covers_is_named_for_a_figure_whichever_signal_declined():
    analysis = analyse("令和12年度の督促状は何件？")
    details = _details(
        years=["令和12年度"],
        asked_attribute=["督促状"],
        attribute=["督促状"],
        topic=["令和12年度"],
    )
    named = missing_subject("attribute_missing_best", details, analysis)
    assert named.startswith("令和12年度") and named.endswith("について")  # not 督促状


def test_a_figure_of_the_annual_plans_year_is_not_declined_as_an_uncovered_year(service):
    body = ask(service, "令和6年度の督促状は何件？")
    assert not body.answered
    lead = body.answer.splitlines()[0]
    assert "令和6年度についての記載はありません" not in lead
    assert lead.startswith("計画文書には令和6年度の督促状の")
    assert not any("令和6年度についての記載がありません" in note for note in body.notes)


def test_a_figure_of_a_year_no_plan_covers_names_that_year(service):
    body = ask(service, "令和12年度の督促状は何件？")
    assert not body.answered
    assert body.answer.startswith("計画文書には令和12年度")


def test_a_result_of_the_annual_plans_year_is_said_to_be_missing_as_a_result(service):
    body = ask(service, "令和6年度の督促状の送付件数の実績は？")
    assert not body.answered
    assert body.answer.startswith("計画文書には令和6年度の実績")
    assert not any("令和6年度についての記載がありません" in note for note in body.notes)


def test_a_figure_of_a_year_after_the_results_period_is_not_named_as_a_result():
    # 何件 reads as results, but a year after the report's 第3期 holds only a plan or a
    # target: the decline names the year, not its 実績; 実績 asked in words still is.
    details = _details(years=["令和12年度"])
    assert year_subject(["令和12年度"], details, analyse("令和12年度の督促状は何件？")) == (
        "令和12年度について"
    )
    asked = analyse("令和12年度の督促状の実績は？")
    assert year_subject(["令和12年度"], details, asked) == "令和12年度の実績について"


def test_the_decline_of_a_future_years_figure_says_no_result_nowhere(service):
    body = ask(service, "令和12年度の督促状は何件？")
    assert not body.answered
    assert "実績" not in body.answer.splitlines()[0]
    assert not any("実績" in note or "results of" in note for note in body.notes)
