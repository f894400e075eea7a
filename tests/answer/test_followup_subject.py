"""Follow-ups that keep their subject, over the real index: a follow-up whose only noun is
what an interrogative determiner asks for (どの事業所？) takes its topic from the turn before,
and a last answer sent back reworded without labels is found again by its first words."""

from __future__ import annotations

import asyncio

from answer import AskRequest, Turn
from answer.retrieve import quoted_passages
from question import analyse
from question.continuation import leans_on_history
from question.topic_words import topic_words

REVIEW_ASKED = Turn(role="user", content="第3期を振り返ると、電子申請の面ではどんな課題があった？")
REVIEW_REWORDED = Turn(
    role="assistant",
    content="電子申請の利用促進をどのように進めていくか、という点が課題とされていました。",
)


def test_the_noun_an_interrogative_determiner_asks_for_is_no_topic():
    """どの / どんな / 何の + noun names the kind of answer asked, not what it is about."""
    assert topic_words("とくにどの事業所に対して？") == []
    assert topic_words("何の職員？") == []
    assert leans_on_history("主にどんな業務？")
    # A noun of its own beside it is still the topic.
    assert topic_words("どの拠点で電子申請が多い？") == ["電子申請"]


def test_which_one_keeps_the_subject_of_the_turn_before(service):
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="とくにどの事業所に対して？",
                top_k=10,
                history=[REVIEW_ASKED, REVIEW_REWORDED],
            )
        )
    )
    assert body.answered, body.answer
    assert "電子申請" in body.question_used
    assert "【overview p.8】" in body.answer and "51人以上事業所" in body.answer


def test_a_reworded_answer_without_labels_is_found_by_its_first_words(service):
    analysis = analyse("とくにどの事業所に対して？", [REVIEW_ASKED, REVIEW_REWORDED])
    with service.live.lease():
        found = quoted_passages(service._searcher(), analysis)
    assert any("overview p.8" in chunk.labels for chunk in found)


OVERTIME_ASKED = Turn(role="user", content="職員の時間外勤務を減らすためにどうしているの？")
# The 年度P129 limits as a chat client sends the answer back, reworded with its label kept.
OVERTIME_LIMITS = Turn(
    role="assistant",
    content="管理職は月19時間以内、一般職は月11時間以内が目安です。【年度P129】",
)


def test_a_follow_up_on_a_purpose_keeps_the_asked_noun_not_the_answers_figure(service):
    """After 時間外勤務を減らすために…, どれくらい減った？ asks how far overtime fell (the results
    report), not about 管理職, the subject of the figure the answer gave (女性管理職 figures)."""
    body = asyncio.run(
        service.answer(
            AskRequest(
                question="どれくらい減った？", top_k=10, history=[OVERTIME_ASKED, OVERTIME_LIMITS]
            )
        )
    )
    assert body.answered, body.answer
    assert "時間外勤務" in body.question_used
    first = body.answer.split("\n")[0]
    assert "時間外勤務" in first and "削減" in first and "女性管理職" not in body.answer
