"""Follow-ups with answers of their own kind, over the real index: the plan of the year just
discussed, whether a figure rose or fell, a year the plans give only as a change, by what
means, why, and on which page.

The last answer comes back as plain text (a chat client's history): its 【labels】 and its
figures say which passages it quoted.
"""

from __future__ import annotations

import asyncio

import pytest

from answer import AnswerService, AskRequest, Turn
from answer.followup_kinds import states_means, states_reason
from answer.other_year import states_change, written_year
from answer.sentences import is_heading
from answer.start_date import asks_end, states_end
from question.topic_words import topic_words

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
    # the pages, then their one document's title (the title /documents shows)
    assert line.startswith("資料1-3 P123")
    assert "（第3期中期計画の取組及び令和5年度の取組のポイント）に記載があります" in line
    assert "324件" in first.split("\n")[1]


PLAN_TITLE = "日本年金機構の第4期中期計画（案）及び令和6年度計画（案）"  # the overview's one title, as /documents shows it
STAFF_ASKED = Turn(role="user", content="中期計画の26ページには何が書いてある？")
STAFF_ANSWERED = Turn(
    role="assistant",
    content="保険料徴収対策の現場において、公正かつ公平な対応ができる制度と実務に通じた高い"
    "専門性を有する徴収職員を育成するとともに、職務と経験に合わせた研修の充実、実施に取り組む。"
    "【中期P26】",
)


@pytest.mark.parametrize("question", ["何ページ？", "それは何ページ？"])
def test_which_page_after_a_question_naming_a_page_names_the_pages(service, question):
    """The page the question named is the topic carried, yet 何ページ？ asks where the last
    answer is written: its pages with their documents' titles, not the page's digest again."""
    first = _answer(service, question, [STAFF_ASKED, STAFF_ANSWERED]).split("\n")[0]
    assert first.startswith(f"中期P26（{PLAN_TITLE}）に記載があります"), first


# --- what else a page says ---------------------------------------------------------------
def test_what_else_a_page_says_after_its_every_statement_was_quoted_says_so(service):
    """他に asks for the page's statements the last answer did not quote; when it quoted
    them all, the answer says so with the page and its document, not the same lines again."""
    answer = _answer(
        service, "中期計画の26ページには他に何が書いてある？", [STAFF_ASKED, STAFF_ANSWERED]
    )
    assert answer.startswith(f"中期P26（{PLAN_TITLE}）の記載は、先の回答で示した内容ですべて")
    assert "徴収職員を育成する" not in answer


def test_what_else_a_page_says_leaves_out_what_the_last_answer_quoted(service):
    asked = Turn(role="user", content="業務実績報告書の資料1-3の123ページの内容は？")
    inspected = "全拠点（312年金事務所、15事務センター、２年金センター）及び本部全部署（41部署）に対し業務検査を実施"
    checked = "拠点長からの日次の業務報告の点検や事務処理誤り報告の定期的な点検を行い、把握したリスクに適切に対応"
    answered = Turn(
        role="assistant",
        content=f"{inspected}。【資料1-3 P123・資料1-4 P104】\n{checked}。【資料1-3 P123・資料1-4 P104】",
    )
    answer = _answer(service, "資料1-3の123ページには他に何が書いてある？", [asked, answered])
    assert inspected not in answer and checked not in answer and "資料1-3 P123" in answer


# --- when --------------------------------------------------------------------------------
RENEWAL_ASKED = Turn(role="user", content="機構のホームページはどう見直された？")
RENEWAL_ANSWERED = Turn(
    role="assistant",
    content="令和２年９月にホームページの全面リニューアルを行い、シンプルなデザインの採用、"
    "配色・デザインの統一、対象者別・シーン別メニューの設置等の各種改善を実施。"
    "【資料1-3 P68・資料1-4 P45】",
)


@pytest.mark.parametrize("question", ["それはいつまでに？", "いつから始まった？"])
def test_when_of_a_measure_stating_no_date_says_so(service, question):
    """The measure's passage states no date: the answer is that measure and a plain line
    saying the plans give no date, not another measure's date found by the search."""
    lines = _answer(service, question, [STAFF_ASKED, STAFF_ANSWERED]).split("\n")
    assert lines[0].startswith("保険料徴収対策の現場において") and "中期P26" in lines[0]
    assert lines[1] == "計画文書にはその時期の記載がありません。"


def test_when_of_a_measure_is_the_date_its_passage_states(service):
    lines = _answer(service, "いつから？", [RENEWAL_ASKED, RENEWAL_ANSWERED]).split("\n")
    assert lines[0].startswith("令和２年９月にホームページの全面リニューアル")
    assert not any("記載がありません" in line for line in lines)


def test_a_start_and_an_end_are_read_by_their_grammar():
    assert asks_end("それはいつまでに？") and asks_end("何年度までに終える？")
    assert not asks_end("いつから始まった？")
    assert states_end("令和8年度までに完了する。") and states_end("令和7年度末に達成を目指す。")
    assert not states_end("令和2年9月に実施。")


# --- why ---------------------------------------------------------------------------------
WOMEN_ASKED = Turn(role="user", content="第4期の計画に、女性職員の活躍を進める施策はある？")
WOMEN_ANSWERED = Turn(
    role="assistant", content="はい、女性活躍の促進及び働き方改革の施策があります（中期P129）。"
)


def test_why_a_measure_is_taken_is_the_reason_its_passage_states(service):
    """なぜそれが必要なの？ after a measure asks its reason: the plan states it beside the
    measure (…が不可欠であること等を踏まえ、以下の施策を実施する), not another sentence
    that only shares a word (必要な全国異動)."""
    first = _answer(service, "なぜそれが必要なの？", [WOMEN_ASKED, WOMEN_ANSWERED])
    assert "不可欠" in first.split("\n")[0]


def test_a_reason_is_a_cause_or_a_purpose_said_as_a_clause():
    assert states_reason("感染症の拡大に伴い、業務を一時停止した。")
    assert states_reason("期限の延長により、件数は通常の約2倍となった。")
    assert states_reason("定着が不可欠であること等を踏まえ、以下の施策を実施する。")
    assert not states_reason("地域の実情を踏まえた対策を実施する。")  # names a measure
    assert not states_reason("引き続き研修を実施する。")
