"""Questions read by their grammar, answered over the real index of both plans: a share
asked in 割 is answered with the percentage the plans state (not declined for a count none
gives); a figure asked as it stands now leads with the latest year's result and says the
year; 実際に asks what happened and names nothing a sentence must hold; 内訳 asks the parts
of the total just given, which the plans list without the word."""

from __future__ import annotations

import pytest
from support.asking import ask

from answer import Turn
from answer.asked_terms import asked_compounds


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # A share asked in 割 is answered with the percentage the plans state.
        ("厚生年金保険料の口座振替実施率は何割くらい？", "81.5％"),
        ("正規職員のうち全国異動をしたのは何割？", "約８割"),
        # …and a share asked in percent by the tenths the plans write (約８割).
        ("全国異動を経験した正規職員は何％くらい？", "約８割"),
        # A figure asked now leads with the latest year's result, the year said.
        ("地域型年金委員は今何人？", "令和５年度末の地域型年金委員数は8,697人"),
        ("現在の職域型年金委員数は何人？", "令和５年度末の職域型年金委員数は130,447人"),
        ("年次有給休暇の平均取得日数は今何日くらい？", "令和５年度における平均取得日数は15.2日"),
    ],
)
def test_a_figure_read_by_its_grammar_leads_the_answer(service, question, lead):
    body = ask(service, question)
    assert body.answered
    assert lead in body.answer.split("\n")[0]


def test_jissai_ni_is_an_adverb_not_a_thing_asked():
    assert asked_compounds("実際にはどうなったの？") == []
    assert asked_compounds("実際の業務の流れは？") == ["実際", "業務", "流れ"]
    # A noun heading a clause before に (…を防ぐために: a purpose) stays a noun asked.
    assert "ため" in asked_compounds("事務処理誤りを防ぐためにどんな点検をしている？")


def test_what_actually_happened_after_a_years_plan_is_not_declined_for_jissai(service):
    # The best sentence cannot hold 実際 (in reality): read as a thing asked, it declined
    # the follow-up naming it as missing.
    history = [
        Turn(role="user", content="令和5年度計画で、情報管理対策本部はどう運営するとしていた？")
    ]
    body = ask(service, "実際には何回開いたの？", history)
    assert body.answered, body.answer
    assert "実際" not in " ".join(body.notes)


def test_a_breakdown_of_a_total_is_answered_with_its_parts(service):
    history = [
        Turn(role="user", content="年金給付専門職とシステム専門職は令和6年4月時点で合計何人？"),
        Turn(role="assistant", content="令和6年4月時点で合計496人。【資料1-3 P159】"),
    ]
    body = ask(service, "その内訳を教えて", history)
    assert body.answered
    assert "年金給付専門職" in body.answer and "450人" in body.answer
