"""question/followup.py and its parts (continuation, carried_topic, relative_year,
previous_statements): what a chat question takes from the turns before it (real Sudachi)."""

from __future__ import annotations

import pytest

from answer.schemas import Turn
from question.carried_topic import carried_topic
from question.continuation import leans_on_history, leaves_out_predicate, pointed_exchange
from question.conversation import previous_context
from question.followup import standalone
from question.previous_statements import previous_statements
from question.relative_year import resolve_relative_year
from question.topic_words import topic_words


def _history(*questions: str) -> list[Turn]:
    turns: list[Turn] = []
    for question in questions:
        turns.append(Turn(role="user", content=question))
        turns.append(
            Turn(
                role="assistant",
                content=f"計画では取組を進めるとしています。【中期P{20 + len(turns) // 2}】",
            )
        )
    return turns


@pytest.mark.parametrize(
    ("question", "words"),
    [
        # Neighbouring nouns stay one compound.
        ("コールセンターでの応答率を上げるには？", ["コールセンター", "応答率"]),
        ("国民年金保険料の納付率", ["国民年金保険料", "納付率"]),
        # A prefix joins the noun after it, a suffix the noun before it.
        ("未統合記録の解明は進んだ？", ["未統合記録", "解明"]),
        ("各事業所への調査の状況は？", ["各事業所", "調査"]),
        # Aspect words, years and question words name no topic.
        ("令和5年度の目標は？", []),
        ("全部で何件？", []),
    ],
)
def test_topic_words_are_the_nouns_as_written_with_compounds_whole(question: str, words: list[str]):
    assert topic_words(question) == words


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("それの目標は？", True),  # a demonstrative
        ("じゃあ年金事務所の体制は？", True),  # a connective taking the topic as given
        ("目標は？", True),  # aspect words only
        ("前の年は？", True),
        ("全部で何件？", True),
        ("令和2年度末の時点だと？", True),  # a point in time says when, not what
        ("期末ではどうなってた？", True),
        ("ねんきんネットとは？", False),  # short, but with its own topic
        ("コールセンターでの応答率の目標は？", False),
    ],
)
def test_a_question_leans_on_history_by_its_opening_or_its_lack_of_topic(
    question: str, leans: bool
):
    assert leans_on_history(question) is leans


@pytest.mark.parametrize(
    ("previous", "question", "searched"),
    [
        ("コールセンターでの応答率を上げるには？", "目標は？", "コールセンター 応答率 目標は？"),
        (
            "コールセンターでの応答率を上げるには？",
            "それの実績は？",
            "コールセンター 応答率 実績は？",
        ),
        ("未統合記録の解明は進んだ？", "全部で何件？", "未統合記録 解明 全部で何件？"),
        ("各事業所への調査はどうする？", "目標は？", "各事業所 調査 目標は？"),
    ],
)
def test_a_followup_takes_the_topic_nouns_of_the_last_user_turn(
    previous: str, question: str, searched: str
):
    assert standalone(question, _history(previous)) == searched


@pytest.mark.parametrize(
    ("previous", "question", "searched"),
    [
        ("中期P46の内容を教えて", "それの実績は？", "中期P46 実績は？"),
        ("中期計画の46ページを見せて", "実績は？", "中期P46 実績は？"),
        ("資料1-3の61ページを見せて", "その目標は？", "資料1-3 P61 目標は？"),
    ],
)
def test_a_followup_after_a_page_question_takes_the_page_label_as_its_subject(
    previous: str, question: str, searched: str
):
    # Regression: the label's nouns were read as topic words, and 中期P46 became 「P」.
    assert standalone(question, _history(previous)) == searched


def test_the_page_of_a_question_comes_before_its_other_topic_words():
    topic = carried_topic("実績は？", _history("中期P46の窓口体制を教えて"))
    assert topic.split()[0] == "中期P46" and "P" not in topic.split()
    assert "窓口体制" in topic


def test_a_chain_of_followups_keeps_the_page_it_started_from():
    history = _history("中期計画の46ページを見せて", "目標は？")
    assert carried_topic("それの実績は？", history) == "中期P46"


def test_a_chain_of_followups_keeps_the_first_subject():
    history = _history("コールセンターでの応答率を上げるには？", "目標は？")
    assert carried_topic("実績は？", history) == "コールセンター 応答率"


def test_the_topic_comes_from_the_last_turn_that_named_one():
    history = _history(
        "コールセンターでの応答率を上げるには？", "未統合記録の解明は進んだ？", "目標は？"
    )
    assert carried_topic("前の年は？", history) == "未統合記録 解明"


def test_a_short_question_with_its_own_topic_stands_alone_even_with_history():
    history = _history("コールセンターでの応答率を上げるには？")
    assert carried_topic("ねんきんネットとは？", history) == ""
    assert standalone("ねんきんネットとは？", history) == "ねんきんネットとは？"


def test_assistant_turns_give_no_topic():
    history = [Turn(role="assistant", content="コールセンターでの応答率は上昇しました。")]
    assert carried_topic("目標は？", history) == ""
    assert previous_context(history) == ""


def test_without_history_a_question_is_unchanged():
    assert carried_topic("目標は？", []) == ""
    assert standalone("前の年は？", []) == "前の年は？"
    assert resolve_relative_year("前の期は？", []) == "前の期は？"
    assert previous_context([]) == ""


@pytest.mark.parametrize(
    ("previous", "question", "resolved"),
    [
        ("令和5年度の口座振替の実績は？", "前の年は？", "令和4年度は？"),
        ("令和５年度の口座振替の実績は？", "去年は？", "令和4年度は？"),
        ("令和5年度の口座振替の実績は？", "翌年は？", "令和6年度は？"),
        ("令和元年度の口座振替の実績は？", "翌年度は？", "令和2年度は？"),
        ("第4期の電子申請の目標は？", "前の期は？", "第3期は？"),
        ("第3期の電子申請の実績は？", "次の期は？", "第4期は？"),
        (
            "令和5年度の口座振替の実績は？",
            "前年度からどう変わった？",
            "令和4年度からどう変わった？",
        ),
        ("令和5年度の口座振替の実績は？", "前年度比は？", "前年度比は？"),
    ],
)
def test_a_relative_year_or_period_is_made_absolute_from_the_conversation(
    previous: str, question: str, resolved: str
):
    assert resolve_relative_year(question, _history(previous)) == resolved


def test_a_relative_year_stays_when_the_question_names_its_own_year_or_none_was_named():
    assert resolve_relative_year("令和3年度の前の年は？", _history("令和5年度の実績は？")) == (
        "令和3年度の前の年は？"
    )
    assert resolve_relative_year("前の年は？", _history("口座振替の実績は？")) == "前の年は？"
    assert resolve_relative_year("第3期の前の期は？", _history("第4期の電子申請の目標は？")) == (
        "第3期の前の期は？"
    )


def test_the_latest_year_named_is_the_one_shifted():
    history = _history("令和4年度の口座振替の実績は？", "令和5年度の電子申請の実績は？")
    assert resolve_relative_year("前の年は？", history) == "令和4年度は？"


def test_the_next_period_written_as_jiki_carries_the_topic_like_tsugi_no_ki():
    # 次期 is one of the rules' next_period words, so 次期は？ asks the same as 次の期は？:
    # the period after the one named, about the same topic.
    history = _history("第3期の電子申請の実績は？")
    assert standalone("次の期は？", history) == "電子申請 第4期は？"
    assert standalone("次期は？", history) == "電子申請 第4期は？"


def test_a_follow_up_on_what_was_just_said_reads_the_statements_and_labels_of_the_answer():

    history = [
        Turn(role="user", content="令和5年度の口座振替の実績は？"),
        Turn(
            role="assistant",
            content="口座振替の利用は増えた。【資料1-3 P9・資料1-4 P7】\n件数は1万件。【中期P3】",
        ),
    ]
    assert previous_statements("前の年は？", history) == (
        ("口座振替の利用は増えた。", ("資料1-3 P9", "資料1-4 P7")),
        ("件数は1万件。", ("中期P3",)),
    )
    # A question naming its own topic stands alone: nothing is carried.
    assert previous_statements("ねんきんネットの登録者数は？", history) == ()


def test_labels_a_client_wrote_in_parentheses_are_read_as_labels():
    """A client that rewrites the answer puts its labels in parentheses; a parenthesis
    holding anything but page labels (a date) stays part of the statement."""

    history = [
        Turn(role="user", content="窓口の相談ブースは令和5年度にいくつ？"),
        Turn(
            role="assistant",
            content="ブースは1,688か所（令和6年4月時点）になりました（資料1-3 P61、資料1-4 P39）。",
        ),
    ]
    assert previous_statements("前の年は？", history) == (
        ("ブースは1,688か所（令和6年4月時点）になりました", ("資料1-3 P61", "資料1-4 P39")),
    )


def test_a_question_that_repeats_a_noun_of_the_last_exchange_goes_on_from_it():
    """A question whose only topic is a noun the last answer (or the question before it)
    just used continues that subject: it carries the subject and reads the answer's labels."""

    history = [
        Turn(role="user", content="口座振替の勧奨で、令和5年度は何件の世帯に電話した？"),
        Turn(role="assistant", content="約3万世帯に電話で勧奨しました（資料1-3 P9）。"),
    ]
    assert "口座振替" in carried_topic("電話はいつ始めたの？", history)
    assert previous_statements("勧奨は何月から？", history) == (
        ("約3万世帯に電話で勧奨しました", ("資料1-3 P9",)),
    )
    # A compound counts as said when its nouns were; a last one-character noun names the
    # measure asked (世帯数), not the subject.
    assert carried_topic("世帯数の目標は？", history) != ""
    # A noun the exchange did not use is a new subject: nothing is carried.
    assert carried_topic("ねんきんネットの登録者は？", history) == ""
    assert previous_statements("ねんきんネットの登録者は？", history) == ()


def test_an_answer_without_any_label_gives_its_sentences_with_no_label():

    history = [
        Turn(role="user", content="窓口の相談ブースは令和5年度にいくつ？"),
        Turn(role="assistant", content="ブースは1,688か所です。前の年より増えました！"),
    ]
    assert previous_statements("前の年は？", history) == (
        ("ブースは1,688か所です。", ()),
        ("前の年より増えました！", ()),
    )


@pytest.mark.parametrize(
    "question",
    [
        "では、別の質問ですが、その研修は誰が受けるの？",
        "別件ですが、実績は？",
        "じゃあ話が変わるけど、目標は？",
    ],
)
def test_a_question_that_announces_a_new_topic_stands_alone(question: str):
    """A marker of a new topic says the question does not lean on the turns before, even
    after a connective or a demonstrative that would otherwise carry the topic over."""
    history = _history("口座振替の利用者は増えた？")
    assert carried_topic(question, history) == ""
    assert standalone(question, history) == question


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        # A demonstrative standing for a thing points back wherever it stands.
        ("なぜそれに予算をかけるの？", True),
        ("令和5年度のその相談窓口の件数は？", True),
        # その後 is an adverbial (after that), no demonstrative standing for a thing.
        ("令和5年度のその後の窓口体制は？", False),
    ],
)
def test_a_demonstrative_inside_the_question_leans_on_history(question: str, leans: bool):
    assert leans_on_history(question) is leans


def test_an_adverb_like_noun_does_not_start_a_compound_but_a_counter_like_one_does():
    # そもそも (in the first place) before 口座振替 names no 「そもそも口座振替」.
    words = topic_words("そもそも口座振替はなぜ必要？")
    assert "口座振替" in words and not any("そもそも" in word for word in words)
    assert topic_words("時間外勤務の月平均は？") == ["時間外勤務", "月平均"]


def test_an_ordinal_points_at_an_earlier_exchange_rather_than_the_last():
    history = _history("年金セミナーの開催回数は？", "未統合記録の解明は進んだ？")
    assert carried_topic("最初の件の目標は？", history) == "年金セミナー 開催回数"
    assert carried_topic("2つ目のほうの目標は？", history) == "未統合記録 解明"
    assert carried_topic("目標は？", history) == "未統合記録 解明"
    # What the answer to that exchange said, under its labels, is what the follow-up reads.
    assert previous_statements("最初の件の目標は？", history)[0][1] == ("中期P20",)
    assert previous_statements("目標は？", history)[0][1] == ("中期P21",)


def test_after_one_exchange_an_ordinal_names_a_thing_of_the_topic_not_a_turn():
    # 最初の年度 is the first year of what was asked; no earlier exchange to choose.
    assert pointed_exchange("最初の年度の実績は？", _history("年金セミナーの開催回数は？")) is None


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("男性は？", True),  # asks what was just asked, of 男性
        ("窓口の人員配置については？", True),
        ("年金セミナーの参加者数は？", False),  # ends on what is measured: its own question
        ("e-Govとは？", False),  # asks what it is
        ("年金事務所の体制は？", False),  # a phrase with は names a subject of its own
    ],
)
def test_a_question_ending_on_its_topic_leaves_its_predicate_out(question: str, left_out: bool):
    assert leaves_out_predicate(question) is left_out


def test_a_question_leaving_its_predicate_out_carries_the_question_before_it():
    history = _history("第3期の振り返りで、年金セミナーについて何が課題？")
    assert standalone("窓口の人員配置については？", history).startswith(
        "振り返り 年金セミナー 課題"
    )


def test_a_comparison_naming_one_term_compares_it_with_what_was_just_said():
    history = _history("職域型年金委員は何人いる？")
    assert carried_topic("第3期の平均と比べるとどう？", history) == "職域型年金委員"
    # Both terms named: a question of its own.
    assert carried_topic("年金委員と年金セミナーの参加者を比べると？", history) == ""
