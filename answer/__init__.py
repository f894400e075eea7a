"""Answers: retrieve for an analysed question, pick and quote the sentences, cite, or decline."""

from answer.schemas import AskRequest, AskResponse, Citation, Context, Turn
from answer.service import (
    AnswerService,
    IndexUnavailableError,
    QuestionError,
    QuestionTooLongError,
)

__all__ = [
    "AnswerService",
    "AskRequest",
    "AskResponse",
    "Citation",
    "Context",
    "IndexUnavailableError",
    "QuestionError",
    "QuestionTooLongError",
    "Turn",
]
