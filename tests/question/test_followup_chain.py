"""question/followup.py: what a follow-up takes from a conversation of several turns — the
year the last answer gave, stepped back turn by turn; the topic of a turn that was itself
a follow-up; a page the question names; a declined turn (real Sudachi)."""

from __future__ import annotations

from answer.responses import decline_text
from answer.schemas import Turn
from question import analyse

DECIDED_ASKED = Turn(role="user", content="障害年金の決定は去年度どれだけあった？")
# An answer stating the reported year's figure beside the year before's.
DECIDED_ANSWERED = Turn(
    role="assistant",
    content="令和５年度の決定は約171万件（令和４年度：約137万件）でした。【資料1-3 P39】",
)


def test_the_year_before_steps_from_the_year_the_last_answer_gave():
    """The question said 去年度 (the caller's today); the answer dated its figure 令和５年度:
    前の年 is the year before that one."""
    analysis = analyse("前の年は？", [DECIDED_ASKED, DECIDED_ANSWERED])
    assert analysis.fiscal_years == {"令和4年度"}


def test_the_year_before_that_steps_back_once_more():
    history = [
        DECIDED_ASKED,
        DECIDED_ANSWERED,
        Turn(role="user", content="前の年は？"),
        Turn(role="assistant", content="令和４年度は約137万件でした。【資料1-3 P39】"),
    ]
    analysis = analyse("その前の年は？", history)
    assert analysis.fiscal_years == {"令和3年度"}
    assert "年度の年" not in analysis.search_text  # その前の年 replaced whole


def test_last_year_stays_the_callers_own_when_only_an_answer_dated_a_figure():
    """去年度 is relative to the caller's today, not to a year an answer happened to state."""
    history = [Turn(role="user", content="障害年金の決定について知りたい"), DECIDED_ANSWERED]
    assert analyse("去年度はどれだけ？", history).fiscal_years == frozenset()


def test_a_topic_carried_into_a_follow_up_is_carried_on_to_the_next():
    """The second turn took its topic (ねんきんネット) from the first; a third that names
    none goes on with both, not with the second turn's own noun alone."""
    history = [
        Turn(role="user", content="ねんきんネットのことを聞きたい"),
        Turn(role="user", content="それの利用者数は？"),
    ]
    topic = analyse("前の年は？", history).carried_topic.split()
    assert topic[0] == "ねんきんネット" and "利用者数" in topic


def test_a_page_the_last_answer_cited_named_again_stands_alone():
    """A page label is a subject of its own: the caller asks for that page, not about the
    page of the last question."""
    history = [
        Turn(role="user", content="中期P46の中身を教えて"),
        Turn(role="assistant", content="応答率は70%以上を確保する。【中期P46・年度P47・年度P48】"),
    ]
    analysis = analyse("年度P47を開いて", history)
    assert analysis.carried_topic == "" and analysis.search_text == "年度P47を開いて"
    assert analysis.previous_statements == ()


def test_a_declined_turn_gives_no_topic_and_no_passages():
    """An English question the service declined, with the nearest passages it listed: the
    next question takes neither its words nor those passages."""
    nearest = decline_text(None, [])
    listed = f"{nearest}\n・○コールセンターについては、運営体制の見直し等を…【資料1-3 P61】"
    history = [
        Turn(role="user", content="How many people staff the pension helpline?"),
        Turn(role="assistant", content=listed),
    ]
    analysis = analyse("目標は？", history)
    assert analysis.carried_topic == "" and analysis.previous_statements == ()
    assert "helpline" not in analysis.search_text


def test_with_the_user_turns_only_last_year_is_the_year_the_results_report_reports():
    """No answer sent back to date the figure: the caller's 去年度 is their last fiscal
    year, the one the results report reports, and 前年度 the year before it; a second 去年度
    is the same year again, not one more back."""
    history = [DECIDED_ASKED]
    assert analyse("前年度は？", history).fiscal_years == {"令和4年度"}
    assert analyse("去年度の件数だけ教えて", history).fiscal_years == frozenset()


def test_with_the_user_turns_only_an_english_turn_gives_no_topic():
    """The plans are Japanese: an English question's words name nothing a passage holds,
    so a follow-up after it takes the topic of the Japanese turn before, or none."""
    english = Turn(role="user", content="How many people staff the pension helpline?")
    assert analyse("目標は？", [english]).carried_topic == ""
    earlier = Turn(role="user", content="ねんきんネットのことを聞きたい")
    assert analyse("目標は？", [earlier, english]).carried_topic == "ねんきんネット"
