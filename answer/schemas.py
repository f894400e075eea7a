"""What a question and its answer look like: the /ask request and response.

The answer engine produces these; the HTTP API serves them as they are, and evaluation
scripts read the same shapes, so they are a contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from answer.request_fields import NullMeansDefault, TopK
from ingest.model import Chunk, label_prefix


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(NullMeansDefault):
    """A null for top_k, history or filters is the default (answer/request_fields.py)."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question, in Japanese (or any language).")
    top_k: TopK = Field(default=5, description="Contexts to retrieve.")
    history: list[Turn] = Field(default_factory=list, max_length=50)
    filters: dict[str, Any] = Field(
        default_factory=dict,
        description="Optional restrictions: source, section, kind, label (a value or a list).",
    )


DOCUMENT_TITLE = Field(
    default=None,
    description="The Japanese title of the document the cited passage comes from, as it calls "
    "itself and as GET /documents lists it (資料1-3 P61 → 第3期中期計画の取組及び令和5年度の"
    "取組のポイント); never a file name.",
)


class Citation(BaseModel):
    label: str = Field(
        description="Plan-page label (中期P62, 資料1-3 P6) or a document's own page ('results "
        "p.14', 'メモ.txt p.1'); a statement of a user's file citing a plan page ([中期P46]) is "
        "cited by its own page, then by that plan page."
    )
    chunk_id: str
    quote: str = Field(description="The passage the statement comes from, verbatim.")
    document_title: str | None = DOCUMENT_TITLE

    @classmethod
    def of(
        cls, label: str, chunk: Chunk, quote: str, page_documents: Mapping[str, str] | None = None
    ) -> Self:
        """The one place a cited chunk becomes a citation. A plan page the chunk cites in
        another document (an upload's [中期P46]) is titled with that plan's title as the
        index names it (``page_documents``: label prefix → title), never the chunk's own; any
        other is named by the title its own document gives itself, as /documents, contexts,
        declines and filter errors name it: one title per document (the report a 資料 label's
        page belongs to, ``Chunk.document_of``, is a second name a filter accepts, never shown)."""
        if label in chunk.cites and label not in chunk.labels:
            title = (page_documents or {}).get(label_prefix(label) or "")
        else:
            title = chunk.document_title
        return cls(label=label, chunk_id=chunk.id, quote=quote, document_title=title)


class Context(BaseModel):
    chunk_id: str
    text: str
    source: str
    page: int | None
    section: str | None
    title: str | None
    refs: list[str]
    score: float
    labels: list[str] = Field(
        default_factory=list,
        description="How to cite this passage: its refs, or its own page (results p.14).",
    )
    document_title: str | None = Field(
        default=None,
        description="The Japanese title of the document this passage comes from; never a "
        "file name (title is the passage's own heading).",
    )
    cites: list[str] = Field(
        default_factory=list,
        description="Plan pages this passage cites in another document (an uploaded file "
        "writing [中期P46]); not its labels.",
    )

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float = 0.0, **extra: Any) -> Self:
        """The one place a chunk becomes its API shape."""
        return cls(
            chunk_id=chunk.id,
            text=chunk.text,
            source=chunk.source,
            page=chunk.page,
            section=chunk.section,
            title=chunk.title,
            refs=list(chunk.refs),
            score=round(float(score), 6),
            labels=list(chunk.labels),
            document_title=chunk.document_title,
            cites=list(chunk.cites),
            **extra,
        )


class AskResponse(BaseModel):
    answer: str
    answered: bool = Field(description="False when the plans do not cover the question.")
    citations: list[Citation]
    contexts: list[Context] = Field(description="Retrieved passages in rank order.")
    mode: Literal["extractive", "llm"] = "extractive"
    question_used: str = Field(
        default="", description="The question as searched (after resolving a follow-up)."
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What the service changed or fell back on (removed labels, LLM errors).",
    )
