"""The app factory: ``create_app(settings)`` builds the FastAPI app with its services."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from answer.errors import FilterMatchError
from answer.service import AnswerService, IndexUnavailableError, QuestionError, QuestionTooLongError
from api import openai_compat
from api.access_log import AccessLog
from api.body_limit import JsonBodyLimit
from api.field_errors import field_problems
from api.framework_errors import allowed_methods, bilingual_detail, with_instead
from api.json_body import body_problem
from api.routes import router
from api.security_headers import SecurityHeaders, TrustedHosts
from api.server_process import tune_server_process
from api.trace import router as trace_router
from api.uploads import MULTIPART_FRAMING_BYTES
from index.encoders import Encoder, configured_encoder
from index.live import LiveIndex
from index.snapshot import EncoderMismatchError, IndexNotFoundError
from planqa.disk_full import DiskFullError
from planqa.settings import Settings

log = logging.getLogger("planqa.app")


def build_service(settings: Settings, encoder: Encoder | None = None) -> AnswerService:
    encoder = encoder or configured_encoder(settings)
    live = LiveIndex(settings, encoder)
    try:
        live.load()
    except IndexNotFoundError as error:
        log.warning("%s", error)
    live.follow_published()  # a `planqa index` run beside the server is answered from at once
    llm = None
    if settings.llm.enabled:
        from answer.llm import LlmAnswerer

        llm = LlmAnswerer(settings.llm)
    return AnswerService(settings, live, llm)


def create_app(settings: Settings | None = None, service: AnswerService | None = None) -> FastAPI:
    """Build the app. An index built with another encoder is refused at start-up
    (``EncoderMismatchError``); a missing index leaves /health reporting ``no-index``."""
    settings = settings or Settings()
    service = service or build_service(settings)
    tune_server_process()  # GIL switch interval, malloc arenas (api/server_process.py)
    # /docs and /redoc from the Swagger UI and ReDoc files installed with fastapi-offline:
    # no CDN, so the docs render on a machine without internet.
    app: FastAPI = FastAPIOffline(
        title="planqa",
        version="0.1.0",
        description="計画文書への質問応答 — answers from Japanese plan documents, citing plan pages.",
    )
    app.state.settings = settings
    app.state.service = service
    app.include_router(router)
    app.include_router(openai_compat.router)
    app.include_router(trace_router)
    # Inside the body limit: a body too large is refused by size whatever host it names.
    app.add_middleware(
        TrustedHosts, bound_host=settings.api.host, allowed=settings.api.allowed_hosts
    )
    app.add_middleware(
        JsonBodyLimit,
        limit=settings.api.max_json_bytes,
        route_limits={
            ("POST", "/documents"): settings.api.max_upload_bytes + MULTIPART_FRAMING_BYTES,
            ("POST", "/v1/chat/completions"): settings.api.max_chat_body_bytes,
        },
    )
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals included

    if settings.api.access_log:
        app.add_middleware(AccessLog)  # added last, so outermost: it sees the 413s too

    @app.exception_handler(QuestionTooLongError)
    async def too_long(_: Request, error: QuestionTooLongError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, 413)

    @app.exception_handler(FilterMatchError)
    async def filters_match_nothing(_: Request, error: FilterMatchError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(QuestionError)
    async def bad_question(_: Request, error: QuestionError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status.HTTP_400_BAD_REQUEST)

    @app.exception_handler(IndexUnavailableError)
    async def no_index(_: Request, error: IndexUnavailableError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status.HTTP_503_SERVICE_UNAVAILABLE)

    @app.exception_handler(DiskFullError)
    async def disk_full(_: Request, error: DiskFullError) -> JSONResponse:
        log.error("%s", error)  # the operator frees the space: say so in the server's log
        return JSONResponse({"detail": str(error)}, status.HTTP_507_INSUFFICIENT_STORAGE)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        path = request.url.path
        if error.status_code in (404, 405) and (path == "/v1" or path.startswith("/v1/")):
            # an OpenAI client shows OpenAI's error shape, not planqa's
            return openai_compat.unknown_route(error.status_code, request.method, path).response(
                error.headers
            )
        detail, headers = error.detail, error.headers
        if error.status_code == 405 and (allow := allowed_methods(request.app.routes, path)):
            headers = {**(headers or {}), "Allow": allow}  # every route's, not the first's
        if isinstance(detail, str):  # the framework's English-only errors (api/framework_errors.py)
            allow = (headers or {}).get("Allow")
            detail = bilingual_detail(error.status_code, detail, allow)
            if error.status_code in (404, 405):
                detail = with_instead(detail, request.method, path)
        return JSONResponse({"detail": detail}, error.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        # the body as a whole (another content type, empty, not an object): what to send
        whole = body_problem(
            str(request.url.replace(query="")),
            request.url.path,
            request.headers.get("content-type"),
            error.errors(),
        )
        if whole is not None:
            return JSONResponse({"detail": whole.message, "errors": errors}, whole.status_code)
        # from loc, type, msg and the limits (ctx) alone: never the value sent
        japanese, english = field_problems(error.errors(), drop=("body",))
        detail = (
            f"リクエストの形式が正しくありません（{'、'.join(japanese)}）。直して送り直してください"
            f" / invalid request ({'; '.join(english)}): correct it and send it again"
        )
        return JSONResponse({"detail": detail, "errors": errors}, 422)

    return app


__all__ = ["EncoderMismatchError", "build_service", "create_app"]
