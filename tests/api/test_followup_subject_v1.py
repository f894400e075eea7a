"""Follow-ups that keep their subject, through a real loopback server and the
OpenAI-compatible /v1/chat/completions, the history sent back as plain text."""

from __future__ import annotations


def test_another_year_of_a_table_row_whose_header_is_in_the_passage_before(chat_content):
    content = chat_content(
        "情報照会のうち国民年金の届書についての件数は令和5年度いくつ？",
        "国民年金届書関係は3,532万件です（資料1-3 P107）。",
        "令和2年度だと？",
    )
    lines = content.split("\n")
    assert lines[0].startswith("国民年金届書関係") and "4,211万件" in lines[0]
    assert "令和2年度の欄は4,211万件" in lines[1]


def test_which_one_after_an_answer_reworded_without_labels(chat_content):
    content = chat_content(
        "第3期を振り返ると、電子申請の面ではどんな課題があった？",
        "電子申請の利用促進をどのように進めていくか、という点が課題とされていました。",
        "とくにどの事業所に対して？",
    )
    assert "【overview p.8】" in content and "51人以上事業所" in content


def test_another_item_of_the_measure_after_labels_in_parentheses(chat_content):
    content = chat_content(
        "届出の標準的な処理期間って、紙で出した場合の目標は？",
        "紙媒体は４営業日以内が目標でした（資料1-3 P21）。",
        "では資格取得届は、実際は何日で処理できた？",
    )
    assert content.split("\n")[0].startswith("資格取得届 0.5日 0.9日 2.9日")


def test_a_part_of_the_figure_just_given(chat_content):
    content = chat_content(
        "令和4年度、コールセンターにかかってきた電話の総数は？",
        "入電総呼数は8,962,327件でした【資料1-3 P61】。",
        "そのうち何件に応えられた？",
    )
    assert content.split("\n")[0].startswith("応答呼数 6,540,936件")
