"""What the answer service refuses, and the check every question passes first."""

from __future__ import annotations


class QuestionError(ValueError):
    """A question the service cannot take (empty, bad filter)."""


class QuestionTooLongError(QuestionError):
    """Longer than ``api.max_question_chars``."""


class IndexUnavailableError(RuntimeError):
    """No index is loaded yet, or the one served was deleted from disk."""


def deleted_index_message(gone: str, published: str | None) -> str:
    """What /health and a refused request say when the served generation ``gone`` was
    deleted from disk: switching to ``published`` when there is one, else what to run."""
    if published is not None:
        return (
            f"読み込んでいた索引（{gone}）がディスクから削除されたため、新しい索引（{published}）"
            "に切り替えています。少し待ってから送り直してください / the index generation "
            f"{gone} was deleted from disk: switching to the newer {published}; send the "
            "request again in a moment"
        )
    return (
        f"読み込んでいた索引（{gone}）がディスクから削除されました。planqa index を実行するか"
        "（サーバーは新しい索引に切り替わります）、サーバーを再起動してから送り直してください / "
        f"the index generation {gone} the server answered from was deleted from disk: run "
        "'planqa index' (the server then switches to it) or restart the server, then send "
        "the request again"
    )


def checked_question(question: str, limit: int) -> str:
    """``question`` stripped, or a ``QuestionError`` saying in both languages what is wrong."""
    text = question.strip()
    if not text:
        raise QuestionError(
            "質問が空です。質問を入力してください。 / The question is empty: type a question "
            "(in Japanese) and send it again."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate (\ud800) is no text
        raise QuestionError(
            "質問に文字として読めない符号が含まれています。質問を入力し直して送ってください。 "
            "/ The question holds a code point that is not a character (a lone surrogate): "
            "type or paste the question again and send it."
        ) from error
    if not any(char.isalnum() for char in text):  # NULs, bidi marks, emoji: nothing to find
        raise QuestionError(
            "質問に言葉がありません。言葉で質問してください。 "
            "/ The question has no words (only symbols, emoji or control characters): ask it "
            "in words."
        )
    if len(text) > limit:
        raise QuestionTooLongError(
            f"質問が長すぎます（{len(text)}文字、上限{limit}文字）。{limit}文字以内に短くするか、"
            f"いくつかの質問に分けてください。 / The question is too long ({len(text)} > "
            f"{limit} characters): shorten it to {limit} characters or split it into several "
            "questions."
        )
    return text


class FilterMatchError(QuestionError):
    """A filter value no indexed passage carries, or filters no passage meets together:
    refused (422) rather than answered from nothing."""
