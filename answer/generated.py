"""A generated answer: the configured LLM writes from the passages, its labels checked.

Labels the model invents are removed and reported; an endpoint error, or an answer left
with no valid citation, gives None and the extractive answer is used instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from answer.llm import DECLINE_MARK, LlmAnswerer, LlmError, check_citations
from answer.responses import declined, quote_for
from answer.schemas import AskResponse, Citation
from ingest.model import Chunk


async def generated_answer(
    llm: LlmAnswerer,
    question: str,
    chunks: list[Chunk],
    notes: list[str],
    page_documents: Mapping[str, str] | None = None,
) -> AskResponse | None:
    """The model's answer with the labels it may cite: each passage's, an upload's cited
    plan pages too (``Chunk.answer_labels``, titled from ``page_documents``)."""
    try:
        raw = await llm.answer(question, chunks)
    except LlmError as error:
        notes.append(
            f"LLM に接続できないため抜粋回答です / LLM unavailable, extractive answer instead: {error}"
        )
        return None
    if DECLINE_MARK in raw and "【" not in raw:
        return declined([], question, notes)
    allowed = {label for chunk in chunks for label in chunk.answer_labels}
    checked = check_citations(raw, allowed)
    if checked.removed:
        removed = ", ".join(checked.removed)
        notes.append(
            f"根拠にないラベルを削除しました: {removed} / removed labels not found in the passages: {removed}"
        )
    if not checked.labels:
        notes.append(
            "LLM の回答に有効な出典がないため抜粋回答です / "
            "no valid citation in the LLM answer; extractive answer instead"
        )
        return None
    citations = []
    for label in checked.labels:
        chunk = next(c for c in chunks if label in c.answer_labels)
        citations.append(Citation.of(label, chunk, quote_for(chunk, raw), page_documents))
    return AskResponse(
        answer=checked.text,
        answered=True,
        citations=citations,
        contexts=[],
        mode="llm",
        question_used=question,
        notes=notes,
    )
