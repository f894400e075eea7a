"""question/scope.py: what a question asks that the plans never state of a topic they cover."""

from __future__ import annotations

import pytest

from question.scope import asks_benefit_amount, compares_with_others, ranking_unstated


@pytest.mark.parametrize(
    "question",
    [
        "国民年金の免除件数が最も多い県はどこですか？",
        "相談件数がいちばん多い年金事務所は？",
        "未納の多い市区町村のワースト5を教えて",
        "苦情が多かった窓口の上位3つはどこ？",
    ],
)
def test_a_ranking_asked_of_a_sentence_giving_one_figure_is_unstated(question: str):
    assert ranking_unstated(question, ["現年度納付率は、71.1％（対前年比＋0.6ｐｔ）となり向上。"])


def test_a_ranking_the_quoted_sentence_states_is_not_unstated():
    question = "数がいちばん多い規模の事業所は？"
    quote = (
        "事業所の大多数を占める50人以下事業所へのアプローチを今後どのように効率的に行っていくか。"
    )
    assert not ranking_unstated(question, [quote])


@pytest.mark.parametrize(
    "question",
    [
        "一番の課題は何ですか？",
        "一番前で対応する部署はどこ？",
        "令和5年度の応答率は？",
        "機構が最も力を入れた取組は何ですか？",  # a superlative of a verb: what was done most
        "いちばん初めに導入した事務所はどこ？",  # what came first, an order in time
        "もっともな意見とされたのは誰の意見？",  # the adjective "reasonable"
    ],
)
def test_no_superlative_asked_is_no_ranking(question: str):
    assert not ranking_unstated(question, ["応答率は70%以上を確保する。"])


@pytest.mark.parametrize(
    "question",
    [
        "障害基礎年金の2級だと年にいくらもらえますか？",
        "遺族年金は何歳まで受け取れるの？",
        "付加保険料は月額いくら納めるのですか？",
        "年金の繰上げを選ぶと支給額は何％減額されますか？",
    ],
)
def test_a_quantity_of_what_a_person_receives_or_pays_is_a_benefit_amount(question: str):
    assert asks_benefit_amount(question)


@pytest.mark.parametrize(
    "question",
    [
        "年金請求書を何件送付しましたか？",  # a count of the organisation's work
        "遺族年金は受け取れますか？",  # no quantity asked
        "保険料を払う人の割合は何％になった？",  # a rate the plans report
        "保険料を期限内に納める割合は何％まで上げるの？",  # the verb describes what is counted
        "給付金を受け取れる人は何人くらい？",
    ],
)
def test_a_figure_of_the_organisations_work_is_no_benefit_amount(question: str):
    assert not asks_benefit_amount(question)


@pytest.mark.parametrize(
    "question",
    [
        "機構の応答率は他の省庁と比べて高いですか？",
        "電子申請の割合は諸外国に比べてどうですか？",
        "この待ち時間は民間の窓口より長いの？",
    ],
)
def test_a_comparison_with_another_party_is_read(question: str):
    assert compares_with_others(question)


@pytest.mark.parametrize(
    "question",
    ["応答率は前年度と比べて上がりましたか？", "女性管理職比率は目標と比べてどうでしたか？"],
)
def test_a_comparison_with_the_organisations_own_years_or_targets_is_not(question: str):
    assert not compares_with_others(question)


def test_a_comparison_with_another_thing_that_is_no_party_is_not():
    assert not compares_with_others("紙の届書は他の方法に比べ何が手間なのですか？")
