"""What the plans never state of a topic they cover (question/scope.py), end to end: the
shipped decline model weighs the three signals, and a decline names what is absent."""

from __future__ import annotations

import asyncio

from support.asking import ask

from answer import AskRequest
from answer.signals import ranking_evidence
from ingest.model import Chunk
from question.scope import ranking_unstated


def test_a_ranking_no_passage_states_is_declined_naming_the_ranking(service):
    # The plans give waiting times as targets and national figures, never an order of offices.
    body = ask(service, "相談の待ち時間がいちばん短い年金事務所はどこですか？")
    assert not body.answered
    assert body.answer.startswith("計画文書にはご質問の順位の記載はありません。")


def test_a_benefit_rule_asked_of_a_person_is_declined(service):
    # The plans write of 老齢年金 and 保険料 often; how many years one must pay is the law's.
    body = ask(service, "老齢年金を受給するには、保険料を何年以上納める必要がありますか？")
    assert not body.answered


def test_a_comparison_with_another_party_is_declined(service):
    body = ask(service, "年金事務所の待ち時間は、民間の銀行の窓口より長いんですか？")
    assert not body.answered
    assert body.answer.startswith("計画文書には他の機関や国との比較の記載はありません。")


def test_an_age_the_plans_state_of_a_benefit_is_answered(service):
    # 何歳 … 受給できる reads as a benefit rule, but the results report states this one
    # (繰下げ可能年齢が75歳に): the signal weighs, it does not decline by itself.
    body = ask(service, "老齢年金は何歳まで繰り下げて受給できる？")
    assert body.answered
    assert "75歳" in body.answer


def test_a_ranking_the_passage_states_is_answered(service):
    # The review column's page states which businesses are the most (…の大多数を占める…).
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="電子申請で、数がいちばん多い規模の事業所は？",
                top_k=10,
                filters={"label": "overview p.8"},
            )
        )
    )
    assert body.answered
    assert "大多数を占める50人以下事業所" in body.answer.split("\n")[0]


def test_a_ranking_a_top_passage_states_of_the_asked_thing_counts_as_stated():
    # The admission may leave out the statement holding the ranking; the passage still
    # states it, so the plans do not lack it. A ranking of something the question does not
    # name (another total's largest share) is no evidence.
    stating = Chunk(
        id="p1",
        text="相談件数は前年度より増加した。相談の方法では電話による相談が最も多い。",
        source="memo.txt",
        page=1,
        kind="text",
    )
    elsewhere = Chunk(
        id="p2", text="来訪者の大半を高齢者が占める。", source="memo.txt", page=2, kind="text"
    )
    question = "相談の方法でいちばん多いのは何ですか？"
    quoted = ["相談件数は前年度より増加した。"]
    assert ranking_unstated(question, quoted)
    assert not ranking_unstated(question, ranking_evidence(quoted, [stating], ["相談の方法"]))
    assert ranking_unstated(question, ranking_evidence(quoted, [elsewhere], ["相談の方法"]))
