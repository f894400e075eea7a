"""A follow-up on a topic the caller described by a clause, and one turning from the target
to the result, through a real loopback server and /v1/chat/completions: the history is what
a chat client sends back, planqa's own answer as plain text with its 【labels】."""

from __future__ import annotations


def test_a_clause_named_topic_keeps_it_through_a_chat_client(chat_content):
    asked = "予約しないで窓口に来た人が待つ時間の目標は？"
    answered = chat_content(asked)
    assert "【中期P46" in answered
    first = chat_content(asked, answered, "その結果は？").split("\n")[0]
    assert "平均待ち時間" in first and "資料1-3" in first


def test_a_past_tense_follow_up_on_a_target_through_a_chat_client(chat_content):
    asked = "最終納付率の目標は？"
    answered = chat_content(asked)
    first = chat_content(asked, answered, "実際にはどこまで届いたの？").split("\n")[0]
    assert "83.1" in first and "資料1-3" in first
