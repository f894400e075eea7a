"""Follow-up questions in a chat (それの目標は？ / 令和5年度の実績は？) made standalone.

Without an LLM, a follow-up is recognised by a pointing word (それ, その, これ, この …) or
by being short, and is searched together with the previous question of the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from api.schemas import Turn

_POINTING = re.compile(
    r"^(?:それ|その|これ|この|あれ|あの|そちら|こちら|同じ|前の|さっきの)(?:の|は|で|に|って)?"
)
_FOLLOW_ON = re.compile(r"^(?:では|じゃあ|じゃ|なら|それなら|また|あと|ほかに|他に)[、,]?")
SHORT = 12  # characters: 令和5年度の実績は？ is a follow-up, a full question is longer


def standalone(question: str, history: Sequence[Turn]) -> str:
    """The question to search: the previous user question joined in when this one leans on it."""
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if not previous:
        return question
    text = question.strip()
    pointing = _POINTING.match(text) or _FOLLOW_ON.match(text)
    if not pointing and len(text) > SHORT:
        return question
    rest = text[pointing.end() :] if pointing else text
    return f"{previous.strip()} {rest}".strip()
