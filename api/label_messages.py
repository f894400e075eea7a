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


# How the labels of the trace look, for a caller who asked one of another kind.
TRACE_FORMS = "中期P46、年度P47、資料1-3 P61、資料1-4 P39"
TRACE_FORMS_EN = "中期P46, 年度P47, 資料1-3 P61, 資料1-4 P39"


def no_trace_message(label: str, has_passage: bool, own_page: bool = False) -> str:
    """``GET /trace`` for a label with no link: a page of a document itself (an upload's
    メモ.txt p.1, the overview's overview p.2) is no plan page, so it is told what the trace
    links and how its labels look; a plan page that exists but links nothing is read with
    /refs; any other label is checked as /refs says."""
    if own_page:
        read = (f"この箇所は /refs/{label} で読めます", f" Read this page with /refs/{label}")
        return (
            f"{label} はファイルそのもののページ（アップロードしたファイルや、計画のページ番号の"
            "ない箇所）なので、計画と実績のつながり（トレース）はありません。トレースは計画の"
            f"施策と業務実績の箇所をつなぐもので、ラベルは {TRACE_FORMS} の形で指定してください。"
            f"{read[0] if has_passage else ''} / {label} is a page of a file itself (an "
            "uploaded file, or a passage with no plan-page label), so it has no trace: the "
            "trace links plan measures to the results sections that report on them; give a "
            f"label of the form {TRACE_FORMS_EN}.{read[1] if has_passage else ''}"
        )
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
