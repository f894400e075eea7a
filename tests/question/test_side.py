"""Which side a question asks about, read from its grammar (question/side.py).

The examples are written here from the grammar and the documents' topics (ねんきん定期便,
窓口の予約, 事業所調査, 電子申請); the polite and copula pasts among them carry none of
``question.intent.asks``'s cue strings, which read them neutral.
"""

from __future__ import annotations

import pytest

from question.intent import asks
from question.side import asked_side, read_side

# Past tense of a verb, at any politeness, asks what happened.
PAST_EVENTS = [
    "ねんきん定期便の電子版はどれほど広まりましたか",
    "窓口の予約制はうまくいきましたか",
    "障害年金の認定医の会議は開かれましたか",
    "電子申請の利用はどのように伸びていましたか",
    "事業所調査のやり方は変わったのですか",
]
# The copula's past recalls what something was: a result, unless a plan noun was.
COPULA_PAST = ["お客様の満足度はどうでしたか", "電話のつながり具合は良好でしたか"]
# Intention and the future: 〜ていく, a volitional form, a non-past する as the predicate.
INTENT = [
    "窓口の体制はどう整えていくの",
    "外国人の加入者への案内をどう工夫しようとしているのか",
    "届出の電子化はどう推進する？",
]
# A target set against what was achieved.
BOTH = [
    "口座振替の利用率は目標に届きましたか",
    "督励の件数は、掲げた目標に対してどうでしたか",
    "職員研修は計画どおり達成されましたか",
    "第3期と第4期で事務センターの数はどう違うの",
    "当初の計画額からの削減率は",  # から marks the plan figure a result is measured from
]
# A past that asks nothing: a condition, a person described, a target set.
NO_EVENT = [
    ("年金事務所で予約をした場合、待ち時間はどうなる", None),
    ("会社を退職した人の国民年金の手続は", None),
    ("目標とした受付の数はいくつでしたか", "plan"),
    ("申請したらどのくらいで届く", "results"),  # a figure asked, as intent.asks reads it
]


@pytest.mark.parametrize("question", PAST_EVENTS)
def test_a_past_verb_asks_for_results(question):
    assert read_side(question).past_event
    assert asked_side(question) == "results"


@pytest.mark.parametrize("question", [*PAST_EVENTS, *COPULA_PAST])
def test_the_cue_strings_read_these_neutral(question):
    # Why the grammar is read: none of intent.asks's cues is in these questions.
    assert asks(question) == (False, False)


@pytest.mark.parametrize("question", COPULA_PAST)
def test_the_copula_past_asks_what_something_was(question):
    reading = read_side(question)
    assert reading.past_copula and not reading.past_event
    assert asked_side(question) == "results"


def test_a_plan_noun_that_was_is_still_the_plan():
    assert asked_side("第4期の目標は何％でしたか") == "plan"


@pytest.mark.parametrize("question", INTENT)
def test_intention_asks_for_the_plan(question):
    assert read_side(question).intent
    assert asked_side(question) == "plan"


@pytest.mark.parametrize("question", BOTH)
def test_a_target_against_what_was_achieved_asks_for_both(question):
    assert asked_side(question) == "both"


@pytest.mark.parametrize(("question", "side"), NO_EVENT)
def test_a_conditional_or_descriptive_past_is_no_event(question, side):
    assert not read_side(question).past_event
    assert asked_side(question) == side


def test_a_year_named_against_the_one_before_asks_for_results():
    assert asked_side("前年度比で見ると相談の件数はどう") == "results"
    assert asked_side("去年よりネットでの申請は多い？") == "results"


def test_with_no_cue_the_calendar_decides():
    assert asked_side("令和5年度の事業所調査について") == "results"
    assert asked_side("令和6年度の事業所調査について") == "plan"
    assert asked_side("年金委員について教えて") is None


# A quantity to be moved, in the non-past, or asked with a bound: an aim the plan sets (the
# report states a change in the past, a figure not as a bound).
AIMS = [
    "窓口の待ち時間はどのくらいに縮めるの",
    "紙で届く書類は何割減らす？",
    "督促の件数は何件以内に抑えるんですか",
    "電話相談の受付は一日何件まで？",
    "口座振替の利用者はどこまで増える？",
]
# The same quantities asked of what happened, or a clock time: no aim.
NO_AIMS = [
    ("窓口の待ち時間はどのくらい縮まった？", "results"),
    ("督促の件数は何件まで減りましたか", "results"),
    ("電話相談の受付は夕方何時まで", None),
]


@pytest.mark.parametrize("question", AIMS)
def test_a_quantity_moved_or_bounded_in_the_non_past_asks_for_the_plan(question):
    assert read_side(question).aim
    assert asked_side(question) == "plan"


@pytest.mark.parametrize(("question", "side"), NO_AIMS)
def test_a_past_change_or_a_clock_time_is_no_aim(question, side):
    assert not read_side(question).aim
    assert asked_side(question) == side
