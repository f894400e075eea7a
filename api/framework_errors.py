"""The framework's own errors (an unknown path, a wrong method, a body it cannot read) in
Japanese and English, as planqa's own errors are: FastAPI and Starlette say them in English
only. Shared by the app's handler and the ``/v1`` routes, which show them in OpenAI's shape."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Match

_JAPANESE_FOR_STATUS = {
    400: "リクエストを読み取れません",
    404: "見つかりません",
    405: "この操作には使えません",
}
# FastAPI's words for a body it cannot decode: JSON bytes that are not UTF-8 (a client that
# sends Shift_JIS, ``charset=shift_jis`` or not). JSON is UTF-8 (RFC 8259), so say that.
_UNREADABLE_BODY = "There was an error parsing the body"
_UNREADABLE_BODY_SAID = (
    "リクエストの本文を読み取れません。本文を UTF-8 の JSON にして送り直してください"
    " / the request body cannot be read: send it again as JSON encoded in UTF-8"
)


def bilingual_detail(status_code: int, detail: str, allow: str | None = None) -> str:
    """``detail`` with the Japanese in front, unless it already says it in Japanese; the
    framework's bare "Not Found" and "Method Not Allowed" also say what to do (``allow``:
    the methods the URL takes, from the 405's ``Allow`` header)."""
    if detail == _UNREADABLE_BODY:
        return _UNREADABLE_BODY_SAID
    if status_code == 404 and detail == "Not Found":
        return (
            "この URL はありません。URL を確かめてください（API の一覧は /docs） "
            "/ Not Found: check the URL (the API is listed at /docs)"
        )
    if status_code == 405 and detail == "Method Not Allowed" and allow:
        return (
            f"この URL は {allow} で送ってください（API の一覧は /docs） "
            f"/ Method Not Allowed: this URL takes {allow} (the API is listed at /docs)"
        )
    if has_japanese(detail):
        return detail
    japanese = _JAPANESE_FOR_STATUS.get(status_code, "リクエストを処理できません")
    return f"{japanese} / {detail}"


def has_japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def allowed_methods(routes: Iterable[BaseRoute], path: str) -> str | None:
    """Every method some route serves at ``path``, as an ``Allow`` header: Starlette names
    only the first matching route's (``GET`` for /documents, which takes ``POST`` too).
    Asked of each route as the router asks it (``matches``), included routers too."""
    served = [
        method
        for method in _METHODS
        if any(
            route.matches(
                {"type": "http", "path": path, "method": method, "root_path": "", "path_params": {}}
            )[0]
            == Match.FULL
            for route in routes
        )
    ]
    return ", ".join(served) or None


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


# What a method the API does not serve is usually for, and how to do it instead.
_INSTEAD = {
    "DELETE /documents": (
        "アップロードした文書は DELETE /documents/<ファイル名>（GET /documents の source）で"
        "削除します。同梱の計画文書はサーバーの手元で planqa remove <ファイル名> を実行してください"
        "（ファイルも消すなら --delete-file）",
        "delete an uploaded document with DELETE /documents/NAME (its source in GET "
        "/documents); a bundled plan is dropped with 'planqa remove NAME' where the server runs "
        "(--delete-file also deletes the file)",
    ),
}


def with_instead(detail: str, method: str, path: str) -> str:
    """``detail`` with how to do instead what ``method path`` was meant for, when known."""
    for key, (japanese, english) in _INSTEAD.items():
        key_method, key_path = key.split(" ")
        if method == key_method and (path == key_path or path.startswith(key_path + "/")):
            said_ja, _, said_en = detail.partition(" / ")
            return f"{said_ja}。{japanese} / {said_en}; {english}"
    return detail
