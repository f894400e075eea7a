"""Follow-ups of their own kind through a real loopback server and the OpenAI-compatible
/v1/chat/completions, the history sent back as a chat client sends it: plain text, the
last answer with its 【labels】 or reworded in its own words."""

from __future__ import annotations


def test_the_plan_of_the_year_just_discussed(chat_content):
    content = chat_content(
        "男性職員の育児休業取得率は令和5年度にどこまで上がった？",
        "男性は75.23％となった。【資料1-3 P159】",
        "その年度の計画ではどんな目標だった？",
    )
    assert "育児休業取得促進" in content.split("\n")[0] and "中期P" not in content


def test_rose_or_fell_after_an_answer_reworded_without_labels(chat_content):
    content = chat_content(
        "令和5年度、機構全体で職員の月平均の時間外勤務は何時間だった？",
        "機構全体では月平均10時間44分だったそうです。",
        "増えた？減った？",
    )
    assert "前年度より" in content.split("\n")[0]


def test_a_year_given_only_as_a_change(chat_content):
    content = chat_content(
        "令和5年度の口座振替の実施率は？",
        "口座振替の実施率は33.7％でした（資料1-3 P6）。",
        "令和4年度は？",
    )
    lines = content.split("\n")
    assert "対前年度比" in lines[0]
    assert "令和4年度の数値そのものは計画文書に記載がなく" in lines[1]


def test_how_and_which_page(chat_content):
    opener = ("令和5年度に起きた事務処理のミスは何件？", "ミスは324件でした。【資料1-3 P123】")
    how = chat_content(*opener, "どうやって減らしたの？")
    assert "モニタリング" in how.split("\n")[0]
    page = chat_content(*opener, "それは何ページに載ってる？")
    first_line = page.split("\n")[0]  # the pages, then their one document's title
    assert first_line.startswith("資料1-3 P123")
    assert "（第3期中期計画の取組及び令和5年度の取組のポイント）に記載があります" in first_line


def test_which_page_and_when_after_plain_text_history(chat_content):
    """A chat client sends the answers back as text: the page question and a when-question
    read them as the chat page does."""
    staff = (
        "中期計画の26ページには何が書いてある？",
        "保険料徴収対策の現場において、高い専門性を有する徴収職員を育成する（中期P26）。",
    )
    where = chat_content(*staff, "何ページ？")
    assert where.split("\n")[0].startswith(
        "中期P26（日本年金機構の第4期中期計画（案）及び令和6年度計画（案））"
    )
    when = chat_content(*staff, "それはいつまでに？").split("\n")
    assert "中期P26" in when[0] and when[1] == "計画文書にはその時期の記載がありません。"
