"""Output contracts planqa cannot keep, refused instead of ignored.

A client that asks for JSON output, a forced tool call, several choices or log
probabilities builds on getting them: accepted and ignored, LangChain's
``with_structured_output`` returned ``None`` without a word (issue 21 row 11). Each is
refused with a 400 in OpenAI's shape naming the parameter. What chat clients send on every
request stays accepted: ``tools`` with ``tool_choice`` ``auto`` or ``none`` (Open WebUI
sends its built-in tools with every message), ``response_format`` ``text``, ``n`` 1.
"""

from __future__ import annotations

from fastapi import status

from api.openai_compat.errors import OpenAIError
from api.openai_compat.schemas import ChatCompletionRequest

_WHY = (
    "planqa は計画文書の文を引用して答えるため",
    "planqa answers by quoting the plans, so it",
)


def refuse_unmet_contracts(request: ChatCompletionRequest) -> None:
    """Raise a 400 naming the first parameter whose promise planqa cannot keep."""
    format_type = (request.response_format or {}).get("type", "text")
    if format_type != "text":
        raise _refused(
            "response_format",
            f"JSON 形式の出力（response_format '{format_type}'）を返せません。"
            "response_format を外して送ってください",
            f"cannot return {format_type} output: send the request without response_format "
            "and read the quoted answer (citations are in the 'planqa' field)",
        )
    if request.tool_choice not in (None, "auto", "none"):
        raise _refused(
            "tool_choice",
            "ツールを呼び出しません（tool_choice で呼び出しを指定されました）。"
            "tool_choice を 'auto' にするか外してください",
            "never calls tools: set tool_choice to 'auto' or 'none', or leave it out",
        )
    if request.n not in (None, 1):
        raise _refused(
            "n",
            f"答えは一つです（n={request.n}）。n を 1 にするか外してください",
            f"gives one answer (n={request.n}): set n to 1 or leave it out",
        )
    if request.logprobs or request.top_logprobs:
        param = "logprobs" if request.logprobs else "top_logprobs"
        raise _refused(
            param,
            f"確率（{param}）を返せません。{param} を外してください",
            f"samples no tokens and has no {param}: leave {param} out",
        )


def _refused(param: str, japanese: str, english: str) -> OpenAIError:
    return OpenAIError(
        status.HTTP_400_BAD_REQUEST,
        f"{_WHY[0]}、{japanese}。 / {_WHY[1]} {english}.",
        param=param,
        code="unsupported_parameter",
    )
