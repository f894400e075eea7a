"""Asking the in-process answer service as ``POST /ask`` does, from a synchronous test:
the response (``ask``) or the response with its decline signals (``assess``)."""

from __future__ import annotations

import asyncio

from answer import AnswerService, AskRequest, AskResponse, Turn
from answer.decline import DeclineSignals


def ask(
    service: AnswerService, question: str, history: list[Turn] | None = None, *, top_k: int = 10
) -> AskResponse:
    """The response to ``question`` after ``history`` (top_k 10, as the eval asks)."""
    return asyncio.run(service.answer(_request(question, top_k, history)))


def assess(
    service: AnswerService, question: str, history: list[Turn] | None = None, *, top_k: int = 10
) -> tuple[AskResponse, DeclineSignals | None]:
    """The response and the decline signals it was decided on (None: a page named)."""
    return asyncio.run(service.assess(_request(question, top_k, history)))


def _request(question: str, top_k: int, history: list[Turn] | None) -> AskRequest:
    return AskRequest(question=question, top_k=top_k, history=history or [])
