"""Follow-ups on the last answer over the real index: another year of the figure just
given, the passages it quoted, and not the same statement again.

The last answer comes back as plain text (a chat client's history): its 【labels】 and its
figures say which passages it quoted, whatever words surround them.
"""

from __future__ import annotations

import asyncio

from answer import AnswerService, AskRequest, Turn
from answer.clause import ClauseCut

ERRORS_ASKED = Turn(role="user", content="令和5年度に起きた事務処理のミスは何件？")
ERRORS_ANSWERED = Turn(role="assistant", content="ミスは324件でした。【資料1-3 P123】")


def _first_line(service: AnswerService, question: str, history: list[Turn]) -> str:
    request = AskRequest(question=question, top_k=10, history=history)
    body = asyncio.run(service.answer(request))
    assert body.answered
    return body.answer.split("\n")[0]


def test_a_follow_up_naming_a_heisei_year_is_answered_for_that_year(service):
    """平成30年度 is 2018, read on the calendar the rest of the code reads years on: the
    sentence that gives the figure just stated with its 平成30年度 starting point leads."""
    history = [
        Turn(role="user", content="二十歳で加入した人たちの納付率は令和5年度どこまで上がった？"),
        Turn(role="assistant", content="71.7％まで上がりました。【資料1-3 P6】"),
    ]
    assert "53.0％" in _first_line(service, "平成30年度はどのくらい？", history)


def test_a_follow_up_naming_a_western_year_reads_the_table_column(service):
    first = _first_line(service, "2020年度だと？", [ERRORS_ASKED, ERRORS_ANSWERED])
    assert "592件" in first


def test_a_time_point_word_does_not_make_a_year_only_follow_up_a_new_topic(service):
    """時点 says when, as the year beside it does: 令和3年度末時点では？ changes only the
    year of the figure just given, and the table's 令和3年度 column answers it."""
    first = _first_line(service, "令和3年度末の時点では？", [ERRORS_ASKED, ERRORS_ANSWERED])
    assert "481件" in first


def test_a_reworded_answer_finds_its_passage_by_its_figure_in_any_width(service):
    """The last answer retyped by a person (full-width digits, other words): the 324件 it
    states, under its 【label】, finds the passage it came from, which leads the contexts."""
    asked = asyncio.run(service.answer(AskRequest(question=ERRORS_ASKED.content, top_k=10)))
    quoted = {citation.chunk_id for citation in asked.citations}
    retyped = Turn(role="assistant", content="ミスは３２４件あったそうです【資料1-3 P123】")
    request = AskRequest(question="前の年は？", top_k=10, history=[ERRORS_ASKED, retyped])
    followed = asyncio.run(service.answer(request))
    assert followed.contexts[0].chunk_id in quoted


def test_a_follow_up_is_not_answered_with_the_statement_just_given(service):
    """Asked for more after an answer (sent back as plain text), the reply says something
    the last answer did not: its statement again tells the caller nothing."""
    asked = asyncio.run(service.answer(AskRequest(question=ERRORS_ASKED.content, top_k=10)))
    said = asked.answer.split("\n")[0]
    history = [ERRORS_ASKED, Turn(role="assistant", content=asked.answer)]
    assert _first_line(service, "もう少し詳しく知りたい", history) != said


def test_an_answer_sent_back_without_labels_is_found_again_by_its_figure(service):
    """A client that rewrites the answer and leaves out every label: the 324件 it states
    only a few passages of the plans state, and their page holds the table of the other years."""
    unlabelled = Turn(role="assistant", content="ミスは324件だったとのことです。")
    first = _first_line(service, "令和2年度は？", [ERRORS_ASKED, unlabelled])
    assert "592件" in first


def test_a_relative_year_written_out_is_not_asked_again_as_a_word(service):
    """前年度 in a follow-up becomes the year before the one just given (a mean of days,
    15.2日, found again in its passage); the table column of that year answers, though no
    sentence of the table writes 前年度."""
    history = [
        Turn(role="user", content="年休は令和5年度に平均で何日取れた？"),
        Turn(role="assistant", content="平均15.2日です。【資料1-3 P159】【資料1-4 P130】"),
    ]
    assert "15.3日" in _first_line(service, "前年度と比べて伸びたの？", history)


def test_a_follow_up_asking_only_for_the_target_gets_the_one_beside_the_result(service):
    """After a result, 目標に対しては？ asks what the result was held against: the results
    report states that target beside the result, not the plan's target for a later year."""
    history = [
        Turn(role="user", content="女性の管理職は令和6年4月でどのくらいの比率まで来ている？"),
        Turn(role="assistant", content="その月には17.4％に届いています【資料1-3 P159】"),
    ]
    assert "15.5" in _first_line(service, "目標に対してはどうだった？", history)


def test_a_follow_up_naming_a_month_reads_the_column_of_month_dates(service):
    """令和3年3月 falls in 令和2年度: the column of that month in a header of month dates
    states the count just given for that time."""
    history = [
        Turn(role="user", content="記録がまだ結びついていない件数は令和6年3月でいくつ？"),
        Turn(role="assistant", content="残りは1,713万件ほど【資料1-3 P54】"),
    ]
    first = _first_line(service, "令和3年3月だと？", history)
    assert "1,794" in first and "令和3年3月" in first


def test_a_follow_up_asking_how_is_not_cut_to_the_figure_asked_before(service):
    """The turn before asked for a rate; the follow-up asks how it rose. The figure was
    given already, so the clause cut (answer/clause.py) does not shorten the statement to
    it: the clauses saying what was done are the answer."""
    history = [
        Turn(role="user", content="令和5年度、沖縄県で国民年金の現年度分の納付率はいくつ？"),
        Turn(role="assistant", content="71.1％でした。【資料1-3 P6】"),
    ]
    shipped = service.selection.clause_cut
    service.selection.clause_cut = ClauseCut(40)
    try:
        first = _first_line(service, "何をして上げたの？", history)
    finally:
        service.selection.clause_cut = shipped
    assert "戸別訪問" in first and "71.1％" in first
