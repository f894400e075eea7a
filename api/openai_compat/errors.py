"""Errors under ``/v1`` in OpenAI's body (``{"error": {"message", "type", "param", "code"}}``):
that is what OpenAI clients read and show. Messages are bilingual like every planqa error;
the status codes are planqa's."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from answer.errors import FilterMatchError
from answer.service import IndexUnavailableError, QuestionError, QuestionTooLongError
from api.field_errors import field_problems
from api.framework_errors import bilingual_detail
from api.json_body import body_problem
from api.openai_compat.schemas import OpenAIErrorBody, OpenAIErrorResponse

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": OpenAIErrorResponse} for code in (400, 401, 404, 413, 415, 422, 503)
}


class OpenAIError(Exception):
    def __init__(
        self, status_code: int, message: str, *, param: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = OpenAIErrorBody(
            message=message, type=_error_type(status_code), param=param, code=code
        )

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse({"error": self.body.model_dump()}, self.status_code, headers=headers)


def _error_type(status_code: int) -> str:
    return {
        401: "authentication_error",
        404: "not_found_error",
        413: "invalid_request_error",
        503: "server_error",
    }.get(status_code, "invalid_request_error")


def as_openai_error(error: Exception) -> OpenAIError | None:
    """The OpenAI-shaped error for what the service or FastAPI raised, or None."""
    match error:
        case OpenAIError():
            return error
        case QuestionTooLongError():
            return OpenAIError(413, str(error), param="messages")
        case FilterMatchError():
            return OpenAIError(422, str(error), param="filters")
        case QuestionError():
            return OpenAIError(400, str(error), param="messages")
        case IndexUnavailableError():
            return OpenAIError(503, str(error))
        case HTTPException():  # Starlette's: FastAPI raises it for a body it cannot read
            detail = error.detail
            said = (
                bilingual_detail(error.status_code, detail) if isinstance(detail, str) else detail
            )
            return OpenAIError(error.status_code, str(said))
        case RequestValidationError() | ValidationError():
            fields = ", ".join(  # no field for JSON that breaks off (its loc is an offset)
                ".".join(str(part) for part in e.get("loc", ()) if part != "body")
                for e in error.errors()
                if e.get("type") != "json_invalid"
            )
            # each wrong field with what to send, as /ask's 422 says it (never the value sent)
            japanese, english = field_problems(error.errors(), drop=("body",))
            return OpenAIError(
                422,
                f"リクエストの形式が正しくありません（{'、'.join(japanese)}）。直して送り直して"
                f"ください / invalid request ({'; '.join(english)}): correct it and send it again",
                param=fields or None,
            )
    return None


def unknown_route(status_code: int, method: str, path: str) -> OpenAIError:
    """An unknown ``/v1`` path or method, said in OpenAI's shape with what planqa serves."""
    served = "GET /v1/models, GET /v1/models/planqa, POST /v1/chat/completions"
    return OpenAIError(
        status_code,
        f"{method} {path} はありません。planqa の OpenAI 互換 API は {served} です。 "
        f"/ {method} {path} is not served; planqa's OpenAI-compatible API is {served}",
        code="unknown_url",
    )


def _body_error(request: Request, error: Exception) -> OpenAIError | None:
    """The body as a whole sent as another content type, empty or not an object
    (api/json_body.py), in OpenAI's shape."""
    if not isinstance(error, RequestValidationError):
        return None
    url = str(request.url.replace(query=""))
    content_type = request.headers.get("content-type")
    problem = body_problem(url, request.url.path, content_type, error.errors())
    if problem is None:
        return None
    return OpenAIError(problem.status_code, problem.message)


class OpenAIRoute(APIRoute):
    """Errors of these routes, the key check and body validation included, in OpenAI's
    shape: FastAPI raises those before the endpoint runs, so only the route can reshape them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as error:
                converted = _body_error(request, error) or as_openai_error(error)
                if converted is None:
                    raise
                headers = getattr(error, "headers", None)
                return converted.response(headers)

        return handle
