"""What ``GET /refs`` and the MCP ``page`` tool say of a label no passage carries: that it
is unknown, then how labels are written, so a caller who typed 中期46 or a page past the end
knows what to check (the house rule: every error says what to do)."""

from __future__ import annotations

from collections.abc import Sequence


def no_passage_message(label: str, suggestions: Sequence[str] = ()) -> str:
    """``suggestions``: held labels the typed one was probably meant as (api/label_suggest.py),
    named first, since 中期46 is far likelier a missing P than a page to look up."""
    if suggestions:
        meant = "、".join(suggestions)
        return (
            f"ラベル '{label}' の箇所はありません。{meant} のことでしたら、そのラベルで開いて"
            f"ください / no passage carries the label '{label}': did you mean "
            f"{', '.join(suggestions)}? open that label instead"
        )
    return (
        f"ラベル '{label}' の箇所はありません。ページ番号と書き方（中期P46、年度P47、"
        f"資料1-3 P6、複数ページは中期P46,47、回答に付いた『メモ.txt p.1』）を確かめてください"
        f" / no passage carries the label '{label}': check the page number and the form "
        "(中期P46, 年度P47, 資料1-3 P6, several pages as 中期P46,47, or a file label as an "
        "answer cites it, メモ.txt p.1)"
    )


def no_trace_message(label: str, has_passage: bool) -> str:
    """``GET /trace`` for a label with no link: a page that exists but links nothing is read
    with /refs; any other label is checked as /refs says."""
    if has_passage:
        return (
            f"{label} の箇所はありますが、計画と実績のつながりは見つかりません。"
            f"/refs/{label} でその箇所を読めます / {label} exists but no plan measure or "
            f"results section is linked to it: read the passage with /refs/{label}"
        )
    return (
        f"ラベル '{label}' の計画と実績のつながりはありません。ページ番号と書き方（中期P46、"
        f"年度P47、資料1-3 P61）を確かめてください / no plan measure or results section "
        f"carries the label '{label}': check the page number and the form (中期P46, 年度P47, "
        "資料1-3 P61)"
    )
