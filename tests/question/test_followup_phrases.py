"""question/carried_topic.py: the topic a follow-up carries when the turn before named it by a
clause, or when the answer named it in the plans' words (real Sudachi)."""

from __future__ import annotations

from answer.schemas import Turn
from question import analyse
from question.carried_topic import carried_topic
from question.topic_phrases import topic_phrases
from question.topic_words import topic_words

WAIT_ASKED = "予約しないで窓口に来た人が待つ時間の目標は？"
# The plan's measure as the service quotes it: two figures, the asked one second.
WAIT_ANSWERED = (
    "来所相談予約率90%以上、予約外のお客様に対する待ち時間30分未満を維持するための"
    "サービス向上に努める。【中期P46・年度P47・年度P48】"
)


def test_a_topic_named_by_a_clause_is_carried_whole():
    """With only the user turns sent, the clause is the topic: one noun of it (窓口) is
    another thing, and the head it describes (時間) is no topic word alone."""
    topic = carried_topic("その結果は？", [Turn(role="user", content=WAIT_ASKED)])
    assert "窓口に来た人が待つ時間" in topic.split()


def test_a_clause_with_no_topic_word_names_nothing():
    assert topic_phrases("来てくれない人は？") == []


def test_a_clause_describing_the_plan_or_result_asked_names_no_topic():
    """目標 and 結果 are what is asked of a topic (the side), not a topic: the clause before
    them says how the topic was planned or done."""
    assert topic_phrases("どのくらいの人数で研修をやる目標？") == []
    assert topic_phrases("職員向けの研修を実施した結果は？") == []


def test_a_date_before_a_clause_is_not_part_of_the_topic():
    """A year says when, not which thing: carried, it would name a second year beside the
    one a follow-up asks for."""
    phrases = topic_phrases("令和5年度に国民年金の保険料を期限内に納めた人の割合は？")
    assert phrases == ["国民年金の保険料を期限内に納めた人の割合"]


def test_the_answers_own_name_stands_for_the_callers_description():
    history = [
        Turn(role="user", content="保険料が最終的に納められた割合の目標は？"),
        Turn(
            role="assistant",
            content="国民年金保険料の現年度納付率80%台前半、最終納付率80%台後半を目指す。【overview p.2】",
        ),
    ]
    assert carried_topic("その結果は？", history) == "最終納付率"


def test_of_several_figures_the_one_the_question_ended_on_is_carried():
    """Japanese puts the head of a noun phrase last: …待つ時間 asks the waiting time, not
    the booking rate the answer states first."""
    history = [Turn(role="user", content=WAIT_ASKED), Turn(role="assistant", content=WAIT_ANSWERED)]
    topic = carried_topic("その結果は？", history).split()
    assert "待ち時間" in topic and "来所相談予約率" not in topic


def test_an_answer_to_a_topic_named_by_nouns_adds_nothing_of_its_own():
    """The caller's own noun is searched as said; the figure the answer gives may be of an
    attribute of it (a count, a share), not another name for it."""
    history = [
        Turn(role="user", content="督促の手紙は何通出した？"),
        Turn(role="assistant", content="送付件数は約10万件でした。【資料1-3 P6】"),
    ]
    assert "送付件数" not in carried_topic("もっと詳しく", history)


def test_the_side_a_follow_up_asks_in_its_own_words_is_kept_apart():
    """A past verb asks what happened (the results); a follow-up naming no side takes the
    last turn's, but asks none of its own."""
    history = [Turn(role="user", content="最終納付率の目標は？")]
    turned = analyse("実際にはどこまで届いたの？", history)
    assert turned.own_side == "results"
    plain = analyse("じゃあ国民年金のほうは？", history)
    assert plain.own_side is None and plain.asked_side == "plan"


def test_a_verb_stem_and_the_noun_after_it_are_carried_as_one_topic():
    """Sudachi's short units split 待ち|時間; the noun alone is a counter (no topic), the
    stem a verb: together they name the thing the turn before asked about."""
    assert "待ち時間" in topic_words("予約なしの相談の待ち時間の目標は？", stems=True)
    assert topic_words("待ち時間は？", stems=True) == ["待ち時間"]
    topic = carried_topic(
        "その結果は？", [Turn(role="user", content="予約なしの相談の待ち時間の目標は？")]
    )
    assert "待ち時間" in topic.split()


# The 年度P129 limits as a chat client sends the answer back, reworded with its label kept.
OVERTIME_LIMITS = "管理職は月19時間以内、一般職は月11時間以内が目安です。【年度P129】"


def test_a_clause_of_purpose_names_no_thing():
    """…を減らすために says why: ため works as an adverb (Sudachi's 副詞可能), so the clause
    is no caller's name for a thing, and the turn's topic is its noun, not the subject of a
    figure the answer gave (管理職's hours)."""
    asked = "職員の時間外勤務を減らすためにどうしているの？"
    assert topic_phrases(asked) == []
    history = [Turn(role="user", content=asked), Turn(role="assistant", content=OVERTIME_LIMITS)]
    topic = carried_topic("どれくらい減った？", history).split()
    assert "時間外勤務" in topic and "管理職" not in topic


def test_a_measure_described_by_a_clause_is_not_renamed_by_the_answers_figure():
    """A clause describing a measure taken (…を減らす取組) names the thing itself; the
    figure its answer states is of one part of it (管理職), no other name for it. A clause
    describing a quantity (…割合) is renamed (test above)."""
    asked = "管理職の時間外勤務を減らす取組は？"
    history = [Turn(role="user", content=asked), Turn(role="assistant", content=OVERTIME_LIMITS)]
    topic = carried_topic("どれくらい減った？", history)
    assert "時間外勤務" in topic
    assert topic != "管理職"
