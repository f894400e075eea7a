"""A completion as ``chat.completion.chunk`` server-sent events, ending with ``[DONE]``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

from answer.schemas import AskResponse
from answer.service import IndexUnavailableError, QuestionError
from api.openai_compat.content import PROMISE, message_content
from api.openai_compat.errors import as_openai_error
from api.openai_compat.schemas import MODEL_ID, PlanqaExtra, Usage


class ChunkWriter:
    """The ``data:`` lines of one completion (one id, one creation time)."""

    def __init__(self, completion_id: str, created: int) -> None:
        self.completion_id = completion_id
        self.created = created

    def event(self, choices: list[dict[str, Any]], **extra: Any) -> str:
        body = {
            "id": self.completion_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": MODEL_ID,
            "choices": choices,
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    def delta(self, delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return self.event([choice], **extra)

    def sources(self, response: AskResponse, base_url: str) -> Iterator[str]:
        """One chunk per cited label in the shape Open WebUI turns into its source cards
        (``event`` of type ``source``: open_webui/utils/middleware.py reads it from a stream
        and saves it as the message's sources, whatever else the chunk holds; verified with
        Open WebUI 0.12.4). The chunk carries an empty delta, as OpenAI's own last chunk
        does, so a client that reads ``choices[0].delta.content`` of every chunk reads None
        and a client that does not know the field ignores it."""
        seen: set[str] = set()
        for citation in response.citations:
            if citation.label in seen:
                continue
            seen.add(citation.label)
            name = " ".join(filter(None, [citation.label, citation.document_title]))
            source = {
                "id": citation.label,
                "name": name,
                "url": f"{base_url.rstrip('/')}/refs/{quote(citation.label)}",
            }
            data = {
                "source": source,
                "document": [citation.quote],
                "metadata": [{"source": citation.label, "name": name}],
            }
            yield self.delta({}, event={"type": "source", "data": data})

    def usage(self, usage: Usage) -> str:
        """OpenAI's usage chunk (``stream_options.include_usage``): no choices, the usage."""
        return self.event([], usage=usage.model_dump())


async def completion_chunks(
    events: AsyncIterator[tuple[str, dict]],
    writer: ChunkWriter,
    prompt_chars: int | None = None,
    base_url: str | None = None,
) -> AsyncIterator[str]:
    """The answer's ``sentence`` events as content deltas, joined by the newlines the answer
    has between them, then (with ``base_url``) a source chunk per cited label, a last chunk
    with ``finish_reason`` and the ``planqa`` field, and with ``prompt_chars`` given, the
    usage chunk. A decline's closing sentence waits for the
    final event, which holds the passages it announces (api/openai_compat/content.py)."""
    yield writer.delta({"role": "assistant", "content": ""})
    sent = ""
    holding = False  # from a decline's closing sentence on, lines wait for the final event
    try:
        async for name, payload in events:
            holding = holding or (name == "sentence" and PROMISE in payload["text"])
            if name == "sentence" and not holding:
                text = payload["text"] if not sent else "\n" + payload["text"]
                sent += text
                yield writer.delta({"content": text})
            elif name == "final":
                response = AskResponse.model_validate(payload)
                content = message_content(response)
                if content != sent and content.startswith(sent):
                    yield writer.delta({"content": content[len(sent) :]})
                if base_url is not None and response.answered:
                    for chunk in writer.sources(response, base_url):
                        yield chunk
                extra = PlanqaExtra.of(response).model_dump(mode="json")
                yield writer.delta({}, "stop", planqa=extra)
                if prompt_chars is not None:
                    yield writer.usage(Usage.of(prompt_chars, content))
    except (QuestionError, IndexUnavailableError) as error:
        converted = as_openai_error(error)
        assert converted is not None
        yield f"data: {json.dumps({'error': converted.body.model_dump()}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


async def unanswered_chunks(
    content: str, extra: PlanqaExtra, writer: ChunkWriter, with_usage: bool
) -> AsyncIterator[str]:
    """A completion with no answer behind it (a continue request, a client's task prompt)."""
    yield writer.delta({"role": "assistant", "content": ""})
    if content:
        yield writer.delta({"content": content})
    yield writer.delta({}, "stop", planqa=extra.model_dump(mode="json"))
    if with_usage:
        yield writer.usage(Usage.of(0, content))
    yield "data: [DONE]\n\n"
