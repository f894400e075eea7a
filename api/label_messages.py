"""What ``GET /refs`` and the MCP ``page`` tool say of a label no passage carries: that it
is unknown, then how labels are written, so a caller who typed 中期46 or a page past the end
knows what to check (the house rule: every error says what to do)."""

from __future__ import annotations


def no_passage_message(label: str) -> str:
    return (
        f"ラベル '{label}' の箇所はありません。ページ番号と書き方（中期P46、年度P47、"
        f"資料1-3 P6、回答に付いた『メモ.txt p.1』）を確かめてください / no passage carries "
        f"the label '{label}': check the page number and the form (中期P46, 年度P47, "
        "資料1-3 P6, or a file label as an answer cites it, メモ.txt p.1)"
    )
