"""A follow-up asking only for the target after a result: the target stated beside it."""

from __future__ import annotations

from answer import Turn
from answer.stated_target import stated_target_statements, target_figures
from ingest.model import Chunk
from question import analyse

RESULT_ASKED = Turn(role="user", content="口座振替の利用者は令和5年度に何万人になった？")
RESULT_ANSWERED = Turn(role="assistant", content="利用者は612万人に達した【資料1-3 P77】")

REPORT = (
    "案内を強化した結果、口座振替の利用者は612万人となり、年度当初の目標（年度末に600万人）"
    "を上回った。\n"
    "引き続き口座振替の利用者650万人を目標に案内を行う。"
)


def _passage(text: str) -> Chunk:
    return Chunk(id="p77", text=text, source="results.txt", page=77, kind="measure")


def test_the_target_stated_beside_the_result_is_the_answer():
    analysis = analyse("目標は何万人だった？", [RESULT_ASKED, RESULT_ANSWERED])
    found = stated_target_statements(analysis, [_passage(REPORT)])
    assert [p.quote for p in found] == [REPORT.split("\n")[0]]


def test_a_target_the_last_answer_already_gave_adds_nothing():
    answered = Turn(role="assistant", content="612万人で、目標の600万人を上回りました。")
    analysis = analyse("目標は？", [RESULT_ASKED, answered])
    assert stated_target_statements(analysis, [_passage(REPORT)]) == []


def test_a_question_with_its_own_topic_does_not_ask_for_the_result_s_target():
    analysis = analyse("窓口で待つ時間について目標はある？", [RESULT_ASKED, RESULT_ANSWERED])
    assert stated_target_statements(analysis, [_passage(REPORT)]) == []


def test_a_target_figure_is_read_after_its_date():
    assert target_figures("掲げた目標（令和４年度末の比率12.5％）を上回った。") == {"12.5"}
