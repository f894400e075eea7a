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
