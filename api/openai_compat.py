"""The OpenAI chat API in front of the answer service: ``GET /v1/models`` and
``POST /v1/chat/completions``, so chat front-ends and notebooks that speak it (Open WebUI,
LibreChat, the ``openai`` SDK) can ask planqa without knowing its own API.

The message content is the /ask answer with its 【labels】, unchanged; what only planqa
knows (``answered``, citations, contexts, notes) travels in the extra top-level field
``planqa``, which OpenAI clients keep and ignore. Errors use OpenAI's body
(``{"error": {"message", "type", "param", "code"}}``) because that is what these clients read
and show; the message is bilingual like every planqa error, the status codes are planqa's.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from answer.schemas import AskRequest, AskResponse, Citation, Context, Turn
from answer.service import IndexUnavailableError, QuestionError, QuestionTooLongError
from api.deps import ReadAccess, ServiceDep
from index.retriever import Filters

MODEL_ID = "planqa"
MODEL_CREATED = 1_735_689_600  # 2025-01-01: a fixed date, so /v1/models is stable
HISTORY_TURNS = 50  # AskRequest's limit: a longer conversation keeps its latest turns


# --- request --------------------------------------------------------------------------
class TextPart(BaseModel):
    """One part of a message given as a list; only text parts carry a question."""

    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")  # name, tool_calls … are not used

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat request. Sampling parameters (temperature, max_tokens …) are accepted
    and ignored: the answer is quoted from the plans, not sampled."""

    model_config = ConfigDict(extra="ignore")

    model: str = Field(description=f"Must be '{MODEL_ID}' (GET /v1/models).")
    messages: list[ChatMessage] = Field(
        description="The last user message is the question; the user and assistant turns "
        "before it are the history; system and developer messages are not used."
    )
    stream: bool = False
    top_k: int = Field(default=5, ge=1, le=50, description="planqa: contexts to retrieve.")
    filters: dict[str, Any] = Field(
        default_factory=dict, description="planqa: source, section, kind, label."
    )

    def ask_request(self) -> AskRequest:
        """The /ask request this conversation amounts to."""
        last_user = max(
            (i for i, message in enumerate(self.messages) if message.role == "user"),
            default=None,
        )
        if last_user is None:
            raise OpenAIError(
                status.HTTP_400_BAD_REQUEST,
                "ユーザーのメッセージがありません。質問を role 'user' で送ってください。 "
                "/ no message with role 'user': send the question as a user message",
                param="messages",
            )
        history = [
            Turn(role=message.role, content=message.text)
            for message in self.messages[:last_user]
            if message.role in ("user", "assistant") and message.text.strip()
        ]
        return AskRequest(
            question=self.messages[last_user].text,
            top_k=self.top_k,
            history=history[-HISTORY_TURNS:],
            filters=self.filters,
        )


# --- response -------------------------------------------------------------------------
class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class PlanqaExtra(BaseModel):
    """The /ask response without its answer text (that is the message content); a field
    /ask gains later travels along too."""

    model_config = ConfigDict(extra="allow")

    answered: bool
    citations: list[Citation]
    contexts: list[Context]
    mode: Literal["extractive", "llm"]
    question_used: str
    notes: list[str]

    @classmethod
    def of(cls, response: AskResponse) -> PlanqaExtra:
        return cls(**response.model_dump(exclude={"answer"}))


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    usage: None = Field(default=None, description="Not counted: no tokens are sampled.")
    planqa: PlanqaExtra = Field(description="Citations, contexts and notes of the answer.")


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorResponse(BaseModel):
    error: OpenAIErrorBody


# --- errors ---------------------------------------------------------------------------
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
        case QuestionError():
            return OpenAIError(400, str(error), param="messages")
        case IndexUnavailableError():
            return OpenAIError(503, str(error))
        case HTTPException():
            return OpenAIError(error.status_code, str(error.detail))
        case RequestValidationError() | ValidationError():
            fields = ", ".join(
                ".".join(str(part) for part in e.get("loc", ())) for e in error.errors()
            )
            return OpenAIError(
                422, f"リクエストの形式が正しくありません / invalid request: {fields}", param=fields
            )
    return None


class OpenAIRoute(APIRoute):
    """Errors of these routes, the key check and body validation included, in OpenAI's
    shape: FastAPI raises those before the endpoint runs, so only the route can reshape them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as error:
                converted = as_openai_error(error)
                if converted is None:
                    raise
                headers = getattr(error, "headers", None)
                return converted.response(headers)

        return handle


# --- routes ---------------------------------------------------------------------------
router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"], route_class=OpenAIRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": OpenAIErrorResponse} for code in (400, 401, 404, 413, 422, 503)
}


@router.get("/models", response_model=ModelList, responses=ERRORS, dependencies=[ReadAccess])
def models() -> ModelList:
    """The one model: ``planqa``, the answer service itself."""
    return ModelList(data=[ModelCard(id=MODEL_ID, created=MODEL_CREATED, owned_by="planqa")])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}},
    dependencies=[ReadAccess],
)
async def chat_completions(request: ChatCompletionRequest, service: ServiceDep) -> Response:
    """The /ask answer as an OpenAI chat completion; with ``stream`` true, as
    ``chat.completion.chunk`` events (one per answer line) ending with ``data: [DONE]``.

    The content is the answer with its 【labels】; ``planqa`` carries ``answered``, the
    citations and the contexts (on the last chunk when streaming). ``model`` other than
    ``planqa`` gets 404, a conversation without a user message 400.
    """
    if request.model != MODEL_ID:
        raise OpenAIError(
            status.HTTP_404_NOT_FOUND,
            f"モデル '{request.model}' はありません。'{MODEL_ID}' を指定してください。 "
            f"/ the model '{request.model}' does not exist; use '{MODEL_ID}'",
            param="model",
            code="model_not_found",
        )
    ask = request.ask_request()  # a turn /ask would refuse raises a 422 ValidationError
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not request.stream:
        answer = await service.answer(ask)
        return JSONResponse(
            ChatCompletion(
                id=completion_id,
                created=created,
                choices=[Choice(message=AssistantMessage(content=answer.answer))],
                planqa=PlanqaExtra.of(answer),
            ).model_dump(mode="json")
        )
    # Bad input and a missing index fail with a status before the stream starts.
    service.check_question(ask.question)
    service.snapshot()
    try:
        Filters.from_mapping(ask.filters)
    except ValueError as error:
        raise OpenAIError(status.HTTP_400_BAD_REQUEST, str(error), param="filters") from error
    chunks = _chunks(service.answer_events(ask), completion_id, created)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)


async def _chunks(
    events: AsyncIterator[tuple[str, dict]], completion_id: str, created: int
) -> AsyncIterator[str]:
    """The answer's ``sentence`` events as content deltas, joined by the newlines the answer
    has between them, then a last chunk with ``finish_reason`` and the ``planqa`` field."""

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    sent = ""
    try:
        async for name, payload in events:
            if name == "sentence":
                text = payload["text"] if not sent else "\n" + payload["text"]
                sent += text
                yield chunk({"content": text})
            elif name == "final":
                response = AskResponse.model_validate(payload)
                if response.answer != sent and response.answer.startswith(sent):
                    yield chunk({"content": response.answer[len(sent) :]})
                extra = PlanqaExtra.of(response).model_dump(mode="json")
                yield chunk({}, "stop", planqa=extra)
    except (QuestionError, IndexUnavailableError) as error:
        converted = as_openai_error(error)
        assert converted is not None
        yield f"data: {json.dumps({'error': converted.body.model_dump()}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


__all__ = ["MODEL_ID", "ChatCompletion", "ChatCompletionRequest", "router"]
