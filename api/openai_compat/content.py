"""The message content of an answer: /ask's answer text, with a decline's nearby passages
written out.

A decline says 「近い内容の箇所を参考として示します。」 and /ask shows those passages from
``contexts``; an OpenAI client shows only the content, so the promise was followed by
nothing (issue 21 row 10). On /v1 the content itself lists the passages' labels and titles;
with no passage to show, the sentence goes. A decline whose answer already lists them
after the promise (answer/responses.py ``decline_text``) is the content as it is: listing
them again gave every /v1 decline the same three labels twice.
"""

from __future__ import annotations

from answer.schemas import AskResponse, Context

PROMISE = "近い内容の箇所を参考として示します。"  # the closing sentence of a decline
PASSAGES_SHOWN = 3
TITLE_CHARS = 40  # a passage with no heading is shown by its opening words


def message_content(response: AskResponse) -> str:
    if response.answered or PROMISE not in response.answer:
        return response.answer
    if response.answer.split(PROMISE, 1)[1].strip():  # the answer lists them itself
        return response.answer
    lines = passage_lines(response.contexts)
    if not lines:
        return response.answer.replace(PROMISE, "").rstrip()
    return "\n".join([response.answer, *lines])


def passage_lines(contexts: list[Context]) -> list[str]:
    """``・【label】title（document title）`` for the first passages, one per label."""
    lines: list[str] = []
    seen: set[str] = set()
    for context in contexts:
        label = context.labels[0] if context.labels else context.source
        if label in seen:
            continue
        seen.add(label)
        title = context.title or _opening(context.text)
        document = f"（{context.document_title}）" if context.document_title else ""
        lines.append(f"・【{label}】{title}{document}")
        if len(lines) == PASSAGES_SHOWN:
            break
    return lines


def _opening(text: str) -> str:
    first_line = " ".join(text.split())
    return first_line if len(first_line) <= TITLE_CHARS else first_line[:TITLE_CHARS] + "…"
