"""Wrong fields of a request, each named with what to send instead, in Japanese and English.

Shared by the HTTP API's 422 (api/app.py) and the MCP tools' argument errors
(api/mcp_server.py), so a caller reads the same words wherever a field is wrong. Built from
pydantic's error items: the field's location, its type of error and the limits in ``ctx``;
never the value sent (a caller's question) nor a documentation URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# Japanese for pydantic's error types a caller meets; the English message follows.
PROBLEMS = {
    "missing": "指定がありません",
    "extra_forbidden": "この項目は使えません（外してください）",
    "json_invalid": "JSON として読めません",
    "string_type": "文字列で指定してください",
    "int_type": "整数で指定してください",
    "int_parsing": "整数で指定してください",
    "int_from_float": "整数で指定してください",
    "bool_type": "true か false で指定してください",
    "bool_parsing": "true か false で指定してください",
    "float_type": "数値で指定してください",
    "float_parsing": "数値で指定してください",
    "list_type": "リストで指定してください",
    "dict_type": "オブジェクトで指定してください",
    "model_attributes_type": "オブジェクトで指定してください",
    "greater_than_equal": "{ge} 以上にしてください",
    "less_than_equal": "{le} 以下にしてください",
    "literal_error": "{expected} のどれかにしてください",
    "string_too_long": "{max_length} 文字以内にしてください",
    "value_error": "値が正しくありません",
    "model_type": "オブジェクトで指定してください",
    "too_long": "{max_length} 個以内にしてください",
    "too_short": "{min_length} 個以上にしてください",
    "string_too_short": "{min_length} 文字以上にしてください",
    "greater_than": "{gt} より大きくしてください",
    "less_than": "{lt} より小さくしてください",
    "finite_number": "有限の数で指定してください",
    "text_or_parts": '文字列か、部品のリスト（[{{"type": "text", "text": "…"}}]）で指定してください',
    "file_missing": "ファイルを multipart/form-data の file 欄で送ってください（curl なら -F 'file=@plan.txt'）",
    "tool_choice_type": "'auto'、'none' か、ツールを指すオブジェクトで指定してください",
    "whole_number": "整数で指定してください（true/false や小数は使えません）",
    "whole_number_range": "整数で指定してください（{ge} から {le} まで。true/false や小数は使えません）",
}
UNKNOWN_PROBLEM = "値が正しくありません"
# Python's JSON decoder's reasons (ctx "error") and what each means to fix, in Japanese and
# English. Single quotes ({'question': …}, as a Windows
# console's curl -d "…" needs) and a trailing comma are the common ones.
JSON_HINTS = (
    (
        "Expecting property name enclosed in double quotes",
        "（項目名は \" で囲みます。' は使えず、最後の項目の後に , は置けません）",
        "names go in double quotes, not single ones, and no comma after the last item",
    ),
    (
        "Expecting value",
        "（値がありません。' ではなく \" で囲み、末尾の , を外してください）",
        "a value is missing: quote strings with \", not ', and drop a trailing comma",
    ),
    ("Expecting ',' delimiter", "（項目の間に , がありません）", "a comma is missing"),
    ("Expecting ':' delimiter", "（項目名の後に : がありません）", "a colon is missing"),
    ("Unterminated string", '（文字列が " で閉じられていません）', "a string is not closed"),
    (
        "Invalid control character",
        "（文字列の中の改行やタブは \\n、\\t と書いてください）",
        "write line breaks and tabs in a string as \\n and \\t",
    ),
    (
        "Invalid \\escape",
        "（\\ の後が正しくありません。\\ は \\\\ と書いてください）",
        "write a backslash as \\\\",
    ),
    ("Extra data", "（JSON の後に余計な文字があります）", "something follows the JSON"),
)


def field_problems(
    errors: Iterable[Mapping[str, Any]], *, drop: tuple[str, ...] = ()
) -> tuple[list[str], list[str]]:
    """``field：what to send`` and ``field: pydantic's message`` for each error item; the
    location's leading parts in ``drop`` (FastAPI's ``body``) are left out of the name."""
    japanese, english = [], []
    for item in errors:
        parts = [str(part) for part in item.get("loc", ())]
        while parts and parts[0] in drop:
            parts.pop(0)
        field = ".".join(parts) or "body"
        if item.get("type") == "json_invalid" and parts and parts[-1].isdigit():
            # FastAPI puts the character offset where the JSON broke in the location (body,
            # 17): said as a field name, "17：JSON として読めません" reads like a field called 17.
            reason = str((item.get("ctx") or {}).get("error", ""))
            hint_ja, hint_en = next(
                ((ja, en) for start, ja, en in JSON_HINTS if reason.startswith(start)), ("", "")
            )
            japanese.append(f"本文の {parts[-1]} 文字目：{PROBLEMS['json_invalid']}{hint_ja}")
            said = f" ({hint_en})" if hint_en else ""
            english.append(f"body, character {parts[-1]}: {item.get('msg', '')}{said}")
            continue
        problem = PROBLEMS.get(str(item.get("type", "")), UNKNOWN_PROBLEM)
        try:
            problem = problem.format(**(item.get("ctx") or {}))
        except (KeyError, IndexError):
            problem = UNKNOWN_PROBLEM
        japanese.append(f"{field}：{problem}")
        english.append(f"{field}: {item.get('msg', '')}")
    return japanese, english
