"""What gets indexed for a chunk, and how a chunk becomes a LangChain ``Document``.

The indexed text carries the chunk's context (chapter, area, measure title, slide section,
block) so a question that names the heading finds the unit; the displayed text stays the
unit itself. Plan-page labels are not written into the indexed text: label questions are
answered through the metadata (writing them in cost recall).
"""

from __future__ import annotations

from typing import Any

from langchain_core.documents import Document

from ingest.model import Chunk


def index_parts(chunk: Chunk) -> list[str]:
    """Row context, title and the unit's text, each once, in that order."""
    seen: list[str] = []
    for part in (chunk.context, chunk.title or "", chunk.text):
        if part and part not in seen:
            seen.append(part)
    return seen


def index_text(chunk: Chunk) -> str:
    return "\n".join(index_parts(chunk))


def embedding_text(chunk: Chunk) -> str:
    """What the dense encoder sees: the unit under its title. The long lexical context
    (reviews, document title) would only slow encoding and blur the vector."""
    return (
        f"{chunk.title}\n{chunk.text}"
        if chunk.title and chunk.title not in chunk.text
        else chunk.text
    )


def to_document(chunk: Chunk, score: float, **extra: Any) -> Document:
    metadata: dict[str, Any] = {
        "chunk_id": chunk.id,
        "source": chunk.source,
        "page": chunk.page,
        "section": chunk.section,
        "title": chunk.title,
        "kind": chunk.kind,
        "refs": list(chunk.refs),
        "labels": list(chunk.labels),
        "score": float(score),
        **extra,
    }
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.id)
