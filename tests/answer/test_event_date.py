"""いつ + an event verb asks the date of that event (answer/event_date.py): the answer leads
with a date bound to it, or says the plans state none (その時期), not with a sentence whose
date belongs to another event or measures a figure. Real index of the two plans, real
Sudachi."""

from __future__ import annotations

import pytest
from support.asking import ask

from answer.event_date import EVENTS, asked_event, dates_event, dates_something
from question.normal import nfkc


def _event(name: str):
    return next(e for e in EVENTS if e.name == name)


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("年金の通知書は毎年いつ届きますか？", "delivery"),
        ("通知書はいつ送られてくるの？", "delivery"),
        ("相談窓口はいつ始まる？", "start"),
        ("保険料の納め方はいつ変わるの？", "change"),
        ("ヘルプデスクはいつ設置された？", "establishment"),
        ("電子申請はいつから使える？", "start"),
    ],
)
def test_when_and_an_event_verb_ask_that_event_s_date(question, event):
    found = asked_event(nfkc(question))
    assert found is not None and found.name == event


@pytest.mark.parametrize(
    "question",
    [
        "保存期間は何年に見直した？",  # 何年 may ask a span (150年): no いつ
        "目標はいつまでに達成する？",  # by when: an end, read by answer/start_date
        "80％に届かせるための取組は？",  # 届かせる: reach a level, no date asked
        "窓口の混雑状況は？",
    ],
)
def test_no_event_date_is_asked_without_when_and_its_verb(question):
    assert asked_event(nfkc(question)) is None


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("令和５年４月に通知書を送付した。", "delivery"),
        ("令和３年４月に専門の部署を設置。", "establishment"),
        ("加入の勧奨を各地で実施（令和２年11月）。", "start"),
        ("システム開発を推進（令和７年１月開始予定）。", "start"),
        ("令和２年10月から全国で予約制を導入。", "start"),
    ],
)
def test_a_date_in_the_event_s_clause_dates_it(sentence, event):
    assert dates_event(nfkc(sentence), _event(event))


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        # the date is the 実施's; a notice that does not arrive arrives at no date
        ("通知の届かない方が画面で閲覧できるよう改修を実施（令和２年11月）。", "delivery"),
        # the date is a figure's time point
        ("電子版に移行した人数は令和２年３月末で120万人まで増加。", "start"),
        # the date is in another clause than the event
        ("令和５年度は相談件数が増加し、窓口の体制を変更した。", "change"),
    ],
)
def test_a_date_of_something_else_dates_no_event(sentence, event):
    assert not dates_event(nfkc(sentence), _event(event))


def test_a_figure_s_time_point_or_a_baseline_is_no_event_s_date():
    assert not dates_something(
        nfkc("移行した人数は令和２年３月末で120万人（平成30年度末時点と比較し40万人増）。")
    )
    assert dates_something(nfkc("平成29年７月に入力システムを導入した。"))


@pytest.mark.parametrize("question", ["年金額はいつ変わるの？", "保険料の額はいつ変わる？"])
def test_an_event_the_plans_date_nowhere_is_declined_naming_its_time(service, question):
    body = ask(service, question)
    assert not body.answered
    assert body.answer.splitlines()[0].startswith("計画文書にはその時期の記載はありません。")


@pytest.mark.parametrize(
    ("question", "date"),
    [
        ("法人調査グループはいつ設置された？", "令和３年４月"),
        ("事務センター間の分散処理はいつから？", "令和３年７月"),
    ],
)
def test_a_dated_event_leads_with_its_date(service, question, date):
    body = ask(service, question)
    assert body.answered
    assert date in body.answer.splitlines()[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "この地域には9世紀頃から人々が移り住んだ。",
        "約3,000年前には農耕が始まっていた。",
        "新制度導入以降、利用は増え続けている。",
    ],
)
def test_a_century_a_time_counted_back_or_an_event_since_dates_something(sentence):
    assert dates_something(nfkc(sentence))
