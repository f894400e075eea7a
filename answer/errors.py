"""What the answer service refuses, and the check every question passes first."""

from __future__ import annotations


class QuestionError(ValueError):
    """A question the service cannot take (empty, bad filter)."""


class QuestionTooLongError(QuestionError):
    """Longer than ``api.max_question_chars``."""


class IndexUnavailableError(RuntimeError):
    """No index is loaded yet."""


def checked_question(question: str, limit: int) -> str:
    """``question`` stripped, or a ``QuestionError`` saying in both languages what is wrong."""
    text = question.strip()
    if not text:
        raise QuestionError("質問が空です。質問を入力してください。 / The question is empty.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (\ud800) is no text
        raise QuestionError(
            "質問に文字として読めない符号が含まれています。 "
            "/ The question holds a code point that is not a character (a lone surrogate)."
        ) from error
    if not any(char.isalnum() for char in text):  # NULs, bidi marks, emoji: nothing to find
        raise QuestionError(
            "質問に言葉がありません。言葉で質問してください。 "
            "/ The question has no words (only symbols, emoji or control characters)."
        )
    if len(text) > limit:
        raise QuestionTooLongError(
            f"質問が長すぎます（{len(text)}文字、上限{limit}文字）。 "
            f"/ The question is too long ({len(text)} > {limit} characters)."
        )
    return text
