"""Requests planqa cannot serve as sent, refused with a 400 naming the argument instead of
ignored: an argument OpenAI's chat API does not define (api/openai_compat/parameters.py),
and an output contract planqa cannot keep.

A client that asks for JSON output, a forced tool or function call, audio, several choices
or log probabilities builds on getting them: accepted and ignored, LangChain's
``with_structured_output`` returned ``None`` without a word (issue 21 row 11). Each is
refused with a 400 in OpenAI's shape naming the parameter. What chat clients send on every
request stays accepted: ``tools`` with ``tool_choice`` ``auto`` or ``none`` (Open WebUI
sends its built-in tools with every message), ``response_format`` ``text``, ``n`` 1.
"""

from __future__ import annotations

import difflib
from typing import Any

from fastapi import status

from api.openai_compat.errors import OpenAIError
from api.openai_compat.parameters import ACCEPTED_UNREAD, DOCUMENTED, PLANQA_OWN
from api.openai_compat.schemas import ChatCompletionRequest

_WHY = (
    "planqa は計画文書の文を引用して答えるため",
    "planqa answers by quoting the plans, so it",
)


def refuse_unknown_arguments(extra: dict[str, Any] | None) -> None:
    """Raise a 400 naming every argument sent that neither OpenAI nor planqa defines
    (``extra``: what the request model did not declare, in the order sent)."""
    unknown = [name for name in extra or {} if name not in ACCEPTED_UNREAD]
    if not unknown:
        return
    names = ", ".join(unknown)
    guess = difflib.get_close_matches(unknown[0], sorted(DOCUMENTED | PLANQA_OWN), n=1)
    hint_ja = f"（{guess[0]} のことですか？）" if guess else ""
    hint_en = f" (did you mean {guess[0]}?)" if guess else ""
    raise OpenAIError(
        status.HTTP_400_BAD_REQUEST,
        f"認識できない引数です: {names}{hint_ja}。OpenAI のチャット API の引数と planqa の "
        "top_k・filters だけを送ってください。 / Unrecognized request argument supplied: "
        f"{names}{hint_en}; send only OpenAI's chat completions parameters and planqa's "
        "top_k and filters",
        param=unknown[0],
        code="unknown_parameter",
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
    for param in ("tool_choice", "function_call"):  # function_call: tool_choice's old name
        if getattr(request, param) not in (None, "auto", "none"):
            raise _refused(
                param,
                f"ツールを呼び出しません（{param} で呼び出しを指定されました）。"
                f"{param} を 'auto' にするか外してください",
                f"never calls tools: set {param} to 'auto' or 'none', or leave it out",
            )
    if request.audio is not None or "audio" in (request.modalities or []):
        param = "audio" if request.audio is not None else "modalities"
        raise _refused(
            param,
            f"音声では答えません（{param}）。{param} を外してください",
            f"answers in text only, never audio: leave {param} out",
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
