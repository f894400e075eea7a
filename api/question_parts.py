"""The parts of a question that asks two things at once.

"年金セミナーの質を上げるために何をする？あと、普及・啓発はどんな団体と連携する？" asks two
questions; scoring its sentences against the whole lets the part with more words take every
slot of the answer. Each part is answered on its own, then the answers are joined.
"""

from __future__ import annotations

import re

_BETWEEN_PARTS = re.compile(r"[？?]|それと|あと、")
MIN_PART_CHARS = 4  # shorter pieces are a trailing particle or an interjection


def question_parts(question: str) -> list[str]:
    """The questions inside ``question``: one item when it asks one thing."""
    parts = [p.strip() for p in _BETWEEN_PARTS.split(question)]
    parts = [p for p in parts if len(p) >= MIN_PART_CHARS]
    return parts if len(parts) > 1 else [question]
