"""The asked attribute read from the question's grammar (question/attribute.py).

The questions are written here from the grammar and the documents' topics; none comes from
an evaluation set. The old reading (the question's last compound) took the predicate, a
time or the asked figure for the attribute: each case names what it would have taken.
"""

from __future__ import annotations

import pytest

from question.attribute import acted_on, asked_attribute
from question.owner import asked_owners


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        # A copula predicate: the topic's value is asked.
        ("ねんきん定期便の送付数は何通でしたか？", "送付数"),
        # A figure asked of a verb: the topic's, not the サ変 noun used as the verb (削減).
        ("事務費の総額は前年度からいくら削減されましたか？", "総額"),
        ("電子申請の利用率は何%に上昇しましたか？", "利用率"),
        # A verb stem (目指) and a degree noun after どの (水準) ask a figure of the topic.
        ("窓口の予約率はどの水準を目指しますか？", "予約率"),
        # A time point (…月末時点) is when, not what.
        ("年金相談の来訪者数は令和5年9月末時点で何人ですか？", "来訪者数"),
        # A plan noun after の names the side; the measure before の is asked (not 目標).
        ("研修の受講率の目標は？", "受講率"),
        # A time between the measure and the side noun says which year's side (not 実績).
        ("研修の受講率の2023年度の実績は？", "受講率"),
        # A figure written after the noun leaves the noun.
        ("納付率80%はいつ達成しましたか？", "納付率"),
        # A determiner's noun is the kind of thing asked of a verb.
        ("本部にはどんな委員会が置かれましたか？", "委員会"),
        # A figure before の counts the noun after it.
        ("年金事務所に何人の相談員を増やしましたか？", "相談員"),
        # No interrogative: the marked phrase before the request.
        ("令和5年度の相談件数を教えてください", "相談件数"),
        # A span that is a thing (保存期間), not a date.
        ("書類の保存期間はどう変わりましたか？", "保存期間"),
        # A one-character head (方) is named by the noun before の.
        ("再雇用の方って何人いるの？", "再雇用"),
        # Casual speech drops は before a comma.
        ("督促状の発送、去年はどれくらい減った？", "発送"),
        # A yes/no question asks about the phrase right before its verb.
        ("保険料はコンビニで払えますか？", "コンビニ"),
        ("相談窓口のアンケートについて何をしましたか？", "アンケート"),
        # An adverb made by the copula's に (最終的に, 個別に) says how, not what: the old
        # reading took 最終的 for the thing whose figure is asked.
        ("令和3年度分の免除率だと最終的に何％になった？", "免除率"),
        # A theme opening the message (って, とは, というのは) in the clause that asks is
        # what is asked; a theme before a clause end is not (the next two cases).
        ("業務経費って、二つの年度でそれぞれいくら？", "業務経費"),
        ("事務センターというのは、職員が何人いる？", "職員"),
        # A bound noun (個別に, 最終の, 抜本的な) only qualifies: the one-character head is
        # named by the clause's other noun, or by none.
        ("個別に対応した人は何人？", "対応"),
        ("窓口の予約の抜本的な作り直しはどこまで進んだ？", "予約"),
    ],
)
def test_the_attribute_is_the_phrase_the_question_asks_the_value_of(question, attribute):
    assert asked_attribute(question) == attribute


@pytest.mark.parametrize(
    "question",
    [
        "令和4年度はどうでしたか？",  # only a year: a follow-up names no attribute
        "それって前年より増えたの？",
        "何人以上ですか？",  # the asked figure alone
        # The theme before a clause end says what the message is about; the clause that
        # asks names no attribute of its own (the old reading took 離島, and ネット).
        "離島って遠いと聞いたけど、最近はどのくらい来てもらえる？",
        "ねんきんネットって便利だけど、どのくらい使われてる？",
        # A bound noun before a one-character head names no one (the old reading took 最終).
        "最終の分は何件？",
        "個別の方は何人？",
    ],
)
def test_a_question_naming_only_a_time_or_a_figure_has_no_attribute(question):
    assert asked_attribute(question) is None


def test_the_owner_is_read_for_the_grammatical_attribute():
    """…AのBは何％に到達？: B is asked of A, though the last compound is the verb's (到達)."""
    question = "国民年金の免除率は何%に到達しましたか？"
    attribute = asked_attribute(question)
    assert (asked_owners(question, attribute), attribute) == (("国民年金",), "免除率")


def test_a_verbal_noun_used_as_the_verb_is_acted_on_and_a_noun_asked_is_not() -> None:
    # The outcome of an action asked (催促して、どのくらい…) may be written under other
    # words; a figure asked of a named thing (平均年収) is the value of that thing.
    acting = "会社に電話で催促して、どのくらい減った？"
    assert asked_attribute(acting) == "催促"
    assert acted_on(acting, "催促")
    asking = "職員の平均年収はいくら？"
    assert asked_attribute(asking) == "平均年収"
    assert not acted_on(asking, "平均年収")
