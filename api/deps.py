"""FastAPI dependencies: settings, the answer service and API-key checks.

Tests swap any of them through ``app.dependency_overrides``. Each is ``async def`` though
none awaits: FastAPI runs a plain ``def`` dependency in its thread pool, and three such hops
per /ask cost more than the answer's retrieval (api_bench: /search 5.9 ms over loopback
against 1.7 ms in-process before).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status

from answer.service import AnswerService
from planqa.settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_service(request: Request) -> AnswerService:
    return request.app.state.service


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[AnswerService, Depends(get_service)]


def _check_bearer(settings: Settings, authorization: str | None) -> None:
    key = settings.api.api_key
    assert key is not None
    scheme, _, token = (authorization or "").partition(" ")
    expected = key.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "API キーが必要です。Authorization: Bearer <キー> ヘッダーで正しいキーを送って"
            "ください / a valid 'Authorization: Bearer <key>' header is required: send the "
            "server's PLANQA_API__API_KEY in it",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def require_write_key(
    settings: SettingsDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    if settings.api.api_key is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "書き込みは無効です。サーバーを環境変数 PLANQA_API__API_KEY（16 文字以上のキー）を"
            "設定して起動し直し、そのキーを Authorization: Bearer で送ってください / write "
            "endpoints are disabled: restart the server with PLANQA_API__API_KEY set (16 "
            "characters or more) and send that key as 'Authorization: Bearer <key>'",
        )
    _check_bearer(settings, authorization)


async def require_read_access(
    settings: SettingsDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    if settings.api.keyed_reads and settings.api.api_key is not None:
        _check_bearer(settings, authorization)


WriteKey = Depends(require_write_key)
ReadAccess = Depends(require_read_access)
