"""The /v1 routes: ``GET /v1/models``, ``GET /v1/models/{model}``,
``POST /v1/chat/completions``. They parse, call the answer service and serialise; the
reading of a conversation, the refusals and the stream are the package's other modules."""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from api.deps import ReadAccess, ServiceDep
from api.openai_compat.content import message_content
from api.openai_compat.contracts import refuse_unknown_arguments, refuse_unmet_contracts
from api.openai_compat.conversation import Unanswered, prompt_chars, read_conversation
from api.openai_compat.errors import ERRORS, OpenAIError, OpenAIRoute
from api.openai_compat.schemas import (
    MODEL_ID,
    PLANQA_CARD,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
    PlanqaExtra,
    Usage,
)
from api.openai_compat.stream import ChunkWriter, completion_chunks, unanswered_chunks
from index.filters import Filters

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"], route_class=OpenAIRoute)
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.get("/models", response_model=ModelList, responses=ERRORS, dependencies=[ReadAccess])
def models() -> ModelList:
    """The one model: ``planqa``, the answer service itself."""
    return ModelList(data=[PLANQA_CARD])


@router.get(
    "/models/{model}", response_model=ModelCard, responses=ERRORS, dependencies=[ReadAccess]
)
def model_card(model: str) -> ModelCard:
    """The model card of ``planqa``; any other name gets 404."""
    if model != MODEL_ID:
        raise _no_such_model(model)
    return PLANQA_CARD


def _no_such_model(name: str) -> OpenAIError:
    return OpenAIError(
        status.HTTP_404_NOT_FOUND,
        f"モデル '{name}' はありません。'{MODEL_ID}' を指定してください。 "
        f"/ the model '{name}' does not exist; use '{MODEL_ID}'",
        param="model",
        code="model_not_found",
    )


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}},
    dependencies=[ReadAccess],
)
async def chat_completions(
    request: ChatCompletionRequest, service: ServiceDep, http: Request
) -> Response:
    """The /ask answer as an OpenAI chat completion; with ``stream`` true, as
    ``chat.completion.chunk`` events (one per answer line) ending with ``data: [DONE]``.

    The content is the answer with its 【labels】 (a decline lists the nearby passages);
    ``planqa`` carries ``answered``, the citations and the contexts (on the last chunk when
    streaming, after one ``event`` chunk of type ``source`` per cited label: Open WebUI's
    source cards). ``usage`` counts characters, not tokens (with ``stream_options.include_usage``
    as a last chunk). The question's history is the latest turns before it. A continue
    request (the last message is the assistant's) and Open WebUI's title, tag and follow-up
    prompts get an empty completion. ``model`` other than ``planqa`` gets 404; an argument
    OpenAI's chat API does not define, JSON output, a forced tool call, audio, ``n`` > 1
    and ``logprobs`` get 400 naming the parameter; OpenAI's sampling parameters
    (``temperature``, ``max_tokens``, ``stop`` …) are accepted and not used.
    """
    refuse_unknown_arguments(request.model_extra)
    if request.model != MODEL_ID:
        raise _no_such_model(request.model)
    refuse_unmet_contracts(request)
    ask = read_conversation(request)  # a turn /ask would refuse raises a 422 ValidationError
    writer = ChunkWriter(f"chatcmpl-{uuid.uuid4().hex}", int(time.time()))
    with_usage = request.stream_options is not None and request.stream_options.include_usage
    if isinstance(ask, Unanswered):
        extra = PlanqaExtra(
            answered=False,
            citations=[],
            contexts=[],
            mode="extractive",
            question_used="",
            notes=[ask.note],
        )
        if request.stream:
            chunks = unanswered_chunks(ask.content, extra, writer, with_usage)
            return StreamingResponse(chunks, media_type="text/event-stream", headers=STREAM_HEADERS)
        return _completion(writer, ask.content, Usage.of(0, ask.content), extra)
    if not request.stream:
        answer = await service.answer(ask)
        content = message_content(answer)
        usage = Usage.of(prompt_chars(ask), content)
        return _completion(writer, content, usage, PlanqaExtra.of(answer))
    # Bad input and a missing index fail with a status before the stream starts.
    service.check_question(ask.question)
    service.check_ready()
    try:
        Filters.from_mapping(ask.filters)
    except ValueError as error:
        raise OpenAIError(status.HTTP_400_BAD_REQUEST, str(error), param="filters") from error
    service.checked_filters(ask.filters)  # a value no passage carries: 422, as unstreamed
    chunks = completion_chunks(
        service.answer_events(ask),
        writer,
        prompt_chars(ask) if with_usage else None,
        base_url=str(http.base_url),
    )
    return StreamingResponse(chunks, media_type="text/event-stream", headers=STREAM_HEADERS)


def _completion(writer: ChunkWriter, content: str, usage: Usage, extra: PlanqaExtra) -> Response:
    return JSONResponse(
        ChatCompletion(
            id=writer.completion_id,
            created=writer.created,
            choices=[Choice(message=AssistantMessage(content=content))],
            usage=usage,
            planqa=extra,
        ).model_dump(mode="json")
    )
