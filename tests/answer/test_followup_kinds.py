"""Follow-ups with answers of their own kind, over the real index: the plan of the year just
discussed, whether a figure rose or fell, a year the plans give only as a change, by what
means, and on which page.

The last answer comes back as plain text (a chat client's history): its 【labels】 and its
figures say which passages it quoted.
"""

from __future__ import annotations

import asyncio

import pytest

from answer import AnswerService, AskRequest, Turn
from answer.extractive import is_heading
from answer.followup_kinds import states_means
from answer.other_year import states_change, written_year
from api.app import build_service
from planqa.settings import Settings
from question.followup import topic_words

LEAVE_ASKED = Turn(role="user", content="男性職員の育児休業取得率は令和5年度にどこまで上がった？")
LEAVE_ANSWERED = Turn(role="assistant", content="男性は75.23％となった。【資料1-3 P159】")
OVERTIME_ASKED = Turn(
    role="user", content="令和5年度、機構全体で職員の月平均の時間外勤務は何時間だった？"
)
OVERTIME_ANSWERED = Turn(role="assistant", content="10時間44分でした。【資料1-3 P159】")
DEBIT_ASKED = Turn(role="user", content="令和5年度の口座振替の実施率は？")
DEBIT_ANSWERED = Turn(role="assistant", content="33.7％でした。【資料1-3 P6】")
ERRORS_ASKED = Turn(role="user", content="令和5年度に起きた事務処理のミスは何件？")
ERRORS_ANSWERED = Turn(role="assistant", content="ミスは324件でした。【資料1-3 P123】")


@pytest.fixture(scope="module")
def service(indexed_settings: Settings, use_encoder) -> AnswerService:
    return build_service(indexed_settings, use_encoder)


def _answer(service: AnswerService, question: str, history: list[Turn]) -> str:
    body = asyncio.run(service.answer(AskRequest(question=question, top_k=10, history=history)))
    assert body.answered, body.answer
    return body.answer


# --- the plan of the year just discussed -----------------------------------------------
def test_the_plan_of_the_year_just_discussed_is_that_year_s_annual_plan(service):
    """After a 令和5年度 result, the plan asked for is 令和5年度's (the results report's
    （令和５年度計画） beside that result), not the 4th plan's target the search finds."""
    first = _answer(service, "その年度の計画ではどんな目標だった？", [LEAVE_ASKED, LEAVE_ANSWERED])
    line = first.split("\n")[0]
    assert "育児休業取得促進" in line and "資料1-3 P159" in line
    assert "中期P" not in first and "年度P" not in first


def test_a_plan_year_named_in_the_follow_up_is_the_overview_s_annual_plan(service):
    """令和6年度 is the year of the overview's annual plan: its passages labelled 年度P…."""
    first = _answer(service, "令和6年度の計画の目標は？", [LEAVE_ASKED, LEAVE_ANSWERED])
    line = first.split("\n")[0]
    assert "前年度を上回る" in line and "【年度P130】" in line


# --- rose or fell ------------------------------------------------------------------------
def test_rose_or_fell_leads_with_the_sentence_stating_the_change(service):
    """A table gives the years' figures; the sentence stating the change against the year
    before (前年度より…削減) answers 増えた？減った？ and leads, not the header and row."""
    first = _answer(service, "増えた？減った？", [OVERTIME_ASKED, OVERTIME_ANSWERED])
    line = first.split("\n")[0]
    assert "前年度より" in line and "令和元年度" not in line


def test_a_note_marked_line_stating_figures_is_a_statement():
    """（※） marks a note; the line goes on to state figures: it is no bracketed title."""
    assert not is_heading("（※）令和５年度の窓口の受付件数：12,345件（令和４年度：11,987件）")
    assert is_heading("（令和５年度計画）")
    assert is_heading("【入札件数及び割合】（単位：件）")


# --- a year given only as a change ---------------------------------------------------------
def test_a_year_given_only_as_a_change_says_so_after_the_change(service):
    """The plans give 令和4年度's debit rate only as 対前年度比 beside 令和5年度's 33.7％:
    the change leads, and the answer says in Japanese that the year's own figure is not
    written, rather than offering 33.7％ as if it answered."""
    answer = _answer(service, "令和4年度は？", [DEBIT_ASKED, DEBIT_ANSWERED])
    lines = answer.split("\n")
    assert "対前年度比▲0.5pt" in lines[0]
    assert lines[1].startswith("令和4年度の数値そのものは計画文書に記載がなく")
    assert "【" not in lines[1]  # the service's note cites no page


def test_a_change_is_told_from_the_year_before_s_own_figure():
    assert states_change("口座振替実施率は33.7％（対前年度比▲0.5pt）")
    assert states_change("時間外勤務について前年度より機構全体５時間20分削減した。")
    assert not states_change("各地の説明会に1,204名（前年987名）が参加した。")
    assert not states_change("保険81.5％（前年度実績81.5％）となり、")
    assert written_year(2022) == "令和4年度" and written_year(2019) == "令和元年度"


# --- how ---------------------------------------------------------------------------------
def test_how_it_was_done_is_the_means_stated_before_the_result(service):
    """どうやって減らしたの？ asks for the means, stated right before the result in the
    passage the last answer quoted (…取組を進めた結果、…件数が減少), not the figure again."""
    first = _answer(service, "どうやって減らしたの？", [ERRORS_ASKED, ERRORS_ANSWERED])
    line = first.split("\n")[0]
    assert "モニタリング" in line and "324件" not in line


def test_how_after_a_table_figure_reads_the_means_of_the_same_measure(service):
    first = _answer(service, "どうやって減らしたの？", [OVERTIME_ASKED, OVERTIME_ANSWERED])
    assert "ノー残業デー" in first.split("\n")[0]


def test_a_means_is_read_by_its_grammar():
    assert states_means("研修を実施した結果、件数が減少。")
    assert states_means("電話による勧奨により未納を解消。")
    assert not states_means("以下の取組の結果、時間外勤務が大幅に削減。")  # points at lines below
    assert not states_means("引き続き研修を実施する。")


def test_a_counter_noun_heading_a_compound_stays_in_the_topic():
    """時間 of 時間外勤務 heads the compound: the topic carried is 時間外勤務, not 外勤務."""
    assert "時間外勤務" in topic_words("管理職の時間外勤務は？")


# --- which page ----------------------------------------------------------------------------
def test_which_page_names_the_pages_of_the_last_answer(service):
    """何ページ？ is answered with the labels of the passage the last answer quoted, with the
    title of each label's document, before the statement; not declined."""
    first = _answer(service, "それは何ページに載ってる？", [ERRORS_ASKED, ERRORS_ANSWERED])
    line = first.split("\n")[0].split("【")[0]
    assert "資料1-3 P123（令和5年度業務実績報告書（案））" in line
    assert "324件" in first.split("\n")[1]


PAGE_ASKED = Turn(role="user", content="中期計画の46ページには何が書いてある？")
PAGE_ANSWERED = Turn(
    role="assistant",
    content="コールセンター全体及びねんきんダイヤルの応答率は70%以上を確保する。"
    "【中期P46・年度P47・年度P48】",
)


@pytest.mark.parametrize("question", ["何ページ？", "それは何ページ？"])
def test_which_page_after_a_question_naming_a_page_names_the_pages(service, question):
    """The page the question named is the topic carried, yet 何ページ？ asks where the last
    answer is written: its pages with their documents' titles, not the page's digest again."""
    first = _answer(service, question, [PAGE_ASKED, PAGE_ANSWERED]).split("\n")[0]
    assert first.startswith("中期P46（第4期中期計画（案））"), first
    assert "に記載があります" in first


# --- what else a page says ---------------------------------------------------------------
def test_what_else_a_page_says_after_its_every_statement_was_quoted_says_so(service):
    """他に asks for the page's statements the last answer did not quote; when it quoted
    them all, the answer says so with the page and its document, not the same lines again."""
    asked = Turn(role="user", content="中期計画の46ページには何が書いてある？")
    answered = Turn(
        role="assistant",
        content="コールセンター全体及びねんきんダイヤルの応答率は70%以上を確保する。"
        "【中期P46・年度P47・年度P48】\n来所相談予約率90%以上、予約外のお客様に対する待ち時間"
        "30分未満を維持するためのサービス向上に努める。【中期P46・年度P47・年度P48】\n"
        "老齢年金の相談・請求件数の増加等を踏まえ、お客様の視点に立った分かりやすい情報提供を"
        "行う。【中期P28・中期P36・中期P45・中期P46・中期P69】",
    )
    answer = _answer(service, "中期計画の46ページには他に何が書いてある？", [asked, answered])
    assert answer.startswith("中期P46（第4期中期計画（案））の記載は、先の回答で示した内容ですべて")
    assert "応答率は70%以上" not in answer


def test_what_else_a_page_says_leaves_out_what_the_last_answer_quoted(service):
    asked = Turn(role="user", content="業務実績報告書の資料1-3の61ページの内容は？")
    said = "全ダイヤル合計の応答率は、76.8％（対前年度比：＋3.8％）となり"
    answered = Turn(role="assistant", content=f"{said}。【資料1-3 P61・資料1-4 P39】")
    answer = _answer(service, "資料1-3の61ページには他に何が書いてある？", [asked, answered])
    assert "全ダイヤル合計の応答率は" not in answer and "資料1-3 P61" in answer


# --- when --------------------------------------------------------------------------------
NET_ASKED = Turn(role="user", content="ねんきんネットの利用を促進する施策は？")
NET_ANSWERED = Turn(
    role="assistant",
    content="ねんきんネット、マイナポータルとの認証連携をベースとしたサービスの拡充と利用促進。"
    "【中期P87】",
)
SURVEY_ASKED = Turn(role="user", content="短時間労働者の適用拡大の対象となった事業所への調査は？")
SURVEY_ANSWERED = Turn(
    role="assistant",
    content="令和6年10月の適用拡大の施行(51人以上)以後、新たに短時間労働者の適用拡大の対象と"
    "なった事業所への調査を実施する。【中期P18・中期P61・年度P18・年度P61】",
)


@pytest.mark.parametrize("question", ["それはいつまでに？", "いつから始まった？"])
def test_when_of_a_measure_stating_no_date_says_so(service, question):
    """The measure's passage states no date: the answer is that measure and a plain line
    saying the plans give no date, not another measure's date found by the search."""
    lines = _answer(service, question, [NET_ASKED, NET_ANSWERED]).split("\n")
    assert (
        lines[0].startswith("ねんきんネット、マイナポータルとの認証連携") and "中期P87" in lines[0]
    )
    assert lines[1] == "計画文書にはその時期の記載はありません。"
    assert len(lines) == 2


def test_when_of_a_measure_is_the_date_its_passage_states(service):
    lines = _answer(service, "いつから？", [SURVEY_ASKED, SURVEY_ANSWERED]).split("\n")
    assert lines[0].startswith("令和6年10月の適用拡大の施行")
    assert not any("記載はありません" in line for line in lines)


def test_by_when_of_a_measure_stating_only_a_start_says_the_end_is_not_stated(service):
    lines = _answer(service, "それはいつまでに？", [SURVEY_ASKED, SURVEY_ANSWERED]).split("\n")
    assert lines[0].startswith("令和6年10月の適用拡大の施行")
    assert lines[1] == "計画文書にはその期限の記載はありません。"
