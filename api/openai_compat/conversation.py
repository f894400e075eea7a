"""What an OpenAI conversation asks planqa: a question with its history, or nothing to
answer.

Chat clients send the whole conversation with every message. planqa reads the last user
message as the question and only the latest turns before it as the history (a follow-up
leans on the last few), each turn cut to a bounded length, so a chat of any length is
answered with bounded work (issue 21 row 9). Two requests carry no plan question and get
an empty, cheap completion instead of an answer (rows 12 and 13):

- a *continue* request, whose last message is the assistant's (Open WebUI's
  「応答の続きを生成」): planqa's answer is always complete, so there is nothing to add,
  and answering the previous question again showed the answer twice;
- Open WebUI's own task prompts (chat title, tags, follow-up suggestions, search queries,
  autocompletion), sent to the chat's model unless the operator points them elsewhere:
  they are templates that open with a ``### Task:`` header and quote the conversation in
  a ``<chat_history>`` block (open-webui ``backend/open_webui/config.py``,
  ``DEFAULT_*_PROMPT_TEMPLATE``). A template asking for a JSON list gets that key with
  an empty list (``{"follow_ups": []}``), so Open WebUI shows nothing rather than an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from fastapi import status

from answer.schemas import AskRequest, Turn
from api.openai_compat.errors import OpenAIError
from api.openai_compat.schemas import ChatCompletionRequest

HISTORY_TURNS = 10  # the latest five exchanges; follow-ups lean on the last one or two
TURN_CHARS = 4000  # an earlier turn's text kept (a pasted document is not a question)

_TASK_HEADER = "### Task:"
_CHAT_HISTORY = ("<chat_history>", "</chat_history>")
_JSON_LIST_KEY = re.compile(r'\{\s*"(\w+)"\s*:\s*\[')

CONTINUE_NOTE = (
    "続きはありません。回答はすでに完結しています。 / nothing to continue: planqa's answer "
    "is always complete"
)
TASK_NOTE = (
    "チャットアプリの補助タスク（タイトル・タグ・続きの質問の提案）には答えません。 / a chat "
    "client's own task prompt (title, tags, follow-up suggestions) is not a plan question; "
    "point those tasks at another model (README: Open WebUI)"
)


@dataclass(frozen=True)
class Unanswered:
    """A request with no plan question: the content to send and the note saying why."""

    content: str
    note: str


def read_conversation(request: ChatCompletionRequest) -> AskRequest | Unanswered:
    """The /ask request this conversation amounts to, or what to send when it asks none."""
    messages = request.messages
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        raise OpenAIError(
            status.HTTP_400_BAD_REQUEST,
            "ユーザーのメッセージがありません。質問を role 'user' で送ってください。 "
            "/ no message with role 'user': send the question as a user message",
            param="messages",
        )
    if any(message.role == "assistant" for message in messages[last_user + 1 :]):
        return Unanswered("", CONTINUE_NOTE)
    question = messages[last_user].text
    if not question.strip() and messages[last_user].has_other_parts:
        # An image, audio or file alone: "the question is empty" would say the user sent nothing.
        raise OpenAIError(
            status.HTTP_400_BAD_REQUEST,
            "planqa は文字の質問だけを読みます（画像・音声・ファイルは読めません）。"
            "質問を文字で送ってください。 / planqa reads text only, not images, audio or files:"
            " send the question as text",
            param="messages",
        )
    task_reply = open_webui_task_reply(question)
    if task_reply is not None:
        return Unanswered(task_reply, TASK_NOTE)
    history = [
        Turn(role=message.role, content=message.text[:TURN_CHARS])
        for message in messages[:last_user]
        if message.role in ("user", "assistant") and message.text.strip()
    ]
    return AskRequest(
        question=question,
        top_k=request.top_k,
        history=history[-HISTORY_TURNS:],
        filters=request.filters,
    )


def open_webui_task_reply(text: str) -> str | None:
    """The neutral reply to an Open WebUI task prompt, or None for any other message."""
    if not text.lstrip().startswith(_TASK_HEADER) or not all(tag in text for tag in _CHAT_HISTORY):
        return None
    instructions = text[: text.index(_CHAT_HISTORY[0])]  # not the quoted conversation
    wanted = _JSON_LIST_KEY.search(instructions)
    return json.dumps({wanted.group(1): []}) if wanted else ""


def prompt_chars(ask: AskRequest) -> int:
    """What planqa read of the conversation, in characters (the unit of ``usage``)."""
    return len(ask.question) + sum(len(turn.content) for turn in ask.history)
