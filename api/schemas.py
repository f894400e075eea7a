"""Request and response shapes of the HTTP API: a contract evaluation scripts depend on."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from answer.request_fields import NullMeansDefault, TopK
from answer.schemas import AskRequest, AskResponse, Citation, Context, Turn
from ingest.model import Chunk


class SearchRequest(NullMeansDefault):
    """A null for top_k or filters is the default (answer/request_fields.py)."""

    model_config = ConfigDict(extra="forbid")

    query: str
    top_k: TopK = 5
    filters: dict[str, Any] = Field(default_factory=dict)


class SearchResponse(BaseModel):
    results: list[Context]


class ChunkOut(Context):
    kind: str
    heading_path: list[str]

    @classmethod
    def of(cls, chunk: Chunk) -> ChunkOut:
        return cls.from_chunk(chunk, kind=chunk.kind, heading_path=list(chunk.heading_path))


class RefPage(BaseModel):
    """One page of a lookup: a list label (中期P46,47) names several."""

    label: str
    chunk_ids: list[str] = Field(description="its passages, in ``chunks``; empty: no such page")
    section_start: str | None = None


class RefResponse(BaseModel):
    label: str = Field(description="the canonical label; a page list's labels joined by ・")
    chunks: list[ChunkOut]
    # Set when no chunk carries the 資料 page itself: the label of the section it falls in.
    section_start: str | None = None
    pages: list[RefPage] = Field(
        default_factory=list,
        description="Every page the label names, in order (one for 中期P46, two for "
        "中期P46,47), with the ids of its passages.",
    )
    cited_by: list[ChunkOut] = Field(
        default_factory=list,
        description="Passages of other documents (an uploaded file) that cite this page, "
        "each with its own labels and document title; never part of the page itself.",
    )


class DocumentOut(BaseModel):
    source: str
    title: str | None = Field(None, description="the Japanese title citations name it by")
    chunks: int
    pages: list[int]
    kinds: dict[str, int]


class DocumentsResponse(BaseModel):
    documents: list[DocumentOut]


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded", "no-index"]
    index_loaded: bool
    channels: dict[str, Literal["ok", "down"]] = Field(
        default_factory=dict,
        description="Retrieval channels: lexical (in the process) and dense (the vector "
        "store: embedded Chroma, or a Chroma server whose last heartbeat is reported).",
    )
    detail: str | None = Field(default=None, description="What is wrong when not ok.")
    encoder: str
    chunks: int
    generation: str | None
    llm: bool
    max_question_chars: int = Field(description="Longest question /ask accepts.")
    uploads: bool = Field(
        default=False,
        description="Whether POST /documents takes files (the server has a write key, "
        "PLANQA_API__API_KEY): the chat page then shows its 「ファイルを追加」 control.",
    )
    notices: list[str] = Field(
        default_factory=list,
        description="What the loaded index serves without and why (a sentence-vector file "
        "missing or damaged: run `planqa index`); answers go on.",
    )


class IndexResponse(BaseModel):
    chunks: int
    embedded: int
    reused: int
    removed: int
    failures: list[dict[str, str]]
    seconds: float
    unchanged: bool = Field(
        default=False,
        description="The live index already held exactly these documents and was kept.",
    )
    rebuilt_because: str | None = Field(
        default=None,
        description="Why the index was rebuilt rather than kept (Japanese / English: no index "
        "yet, the documents or settings changed, a damaged file); null when it was kept.",
    )
    stored_as: str | None = Field(
        default=None,
        description="Upload only: the name the file was stored and is cited under (a safe "
        "form of the name sent: no folders, leading dots or control characters).",
    )
    title: str | None = Field(
        default=None,
        description="Upload only: the title the document's citations name it by (read from "
        "its first lines, else the file's stem), as GET /documents lists it.",
    )


class ErrorResponse(BaseModel):
    detail: str


__all__ = [
    "AskRequest",
    "AskResponse",
    "ChunkOut",
    "Citation",
    "Context",
    "DocumentOut",
    "DocumentsResponse",
    "ErrorResponse",
    "HealthResponse",
    "IndexResponse",
    "RefResponse",
    "SearchRequest",
    "SearchResponse",
    "Turn",
]
