"""The one settings object. Built once at the edge (CLI, app factory) and passed in.

Environment variables use the prefix ``PLANQA_`` and ``__`` between a group and its field,
e.g. ``PLANQA_SUDACHI__SPLIT_MODE=A`` or ``PLANQA_PATHS__DATA_DIR=/srv/plans``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PathSettings(BaseModel):
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data" / "plans",
        description="Plan files indexed when no path is given (the bundled corpus).",
    )
    var_dir: Path = Field(
        default=PROJECT_ROOT / "var",
        description="Where indexes and generated files are written.",
    )
    glossary: Path = Field(
        default=PROJECT_ROOT / "data" / "glossary.txt",
        description="Groups of equivalent terms used to expand questions.",
    )

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"


class SudachiSettings(BaseModel):
    dictionary: Literal["core", "small", "full"] = Field(
        default="core", description="Installed SudachiDict edition to load."
    )
    split_mode: Literal["A", "B", "C", "C+A"] = Field(
        default="A",
        description="Sudachi split mode of lexical terms; C+A adds the A units of each C "
        "token (the 'search' mode of Sudachi's Elasticsearch plugin).",
    )
    form: Literal["surface", "normalized"] = Field(
        default="normalized", description="Token form used for lexical matching."
    )
    drop_stopwords: bool = Field(
        default=True, description="Drop particles, auxiliaries, symbols and blanks."
    )
    synonyms: bool = Field(
        default=False, description="Index Sudachi synonym-group ids beside the words."
    )


class EmbeddingSettings(BaseModel):
    backend: str = Field(
        default="use-m3",
        description="'use-m3' (bundled, numpy) or 'sentence-transformers:<local model dir>'.",
    )
    query_prefix: str = Field(default="", description="Prefix for queries (e5: 'query: ').")
    document_prefix: str = Field(
        default="", description="Prefix for documents (e5: 'passage: ', ruri-v3: '検索文書: ')."
    )


class ChromaSettings(BaseModel):
    host: str | None = Field(
        default=None, description="Chroma server host; unset = embedded Chroma under var/."
    )
    port: int = Field(default=8000, ge=1, le=65535, description="Chroma server port.")


class RetrievalSettings(BaseModel):
    top_k: int = Field(default=5, ge=1, le=50, description="Chunks returned by default.")
    candidates: int = Field(
        default=50, ge=5, le=500, description="Candidates taken from each retriever before fusion."
    )
    fusion: Literal["rrf", "scores"] = Field(
        default="rrf", description="Weighted reciprocal-rank fusion or normalised-score fusion."
    )
    lexical_weight: float = Field(default=1.0, ge=0, description="Weight of the BM25 list.")
    dense_weight: float | None = Field(
        default=None,
        ge=0,
        description="Weight of the dense list; unset = the measured default of the encoder.",
    )
    word_vectors: bool = Field(
        default=True, description="Expand queries with chiVe neighbours of their terms."
    )
    neighbour_weight: float = Field(
        default=0.5, ge=0, le=1, description="Weight of a neighbour term, times its similarity."
    )
    min_similarity: float = Field(
        default=0.7, ge=0, le=1, description="Least cosine similarity of a neighbour term."
    )
    intent_weight: float = Field(
        default=1.3,
        ge=1.0,
        le=3.0,
        description="Multiplier for chunks of the kind a question asks for (results or plans).",
    )
    glossary_weight: float = Field(
        default=0.5, ge=0, le=1, description="Weight of glossary equivalents of typed terms."
    )


class ChunkingSettings(BaseModel):
    max_chars: int = Field(
        default=400,
        ge=80,
        le=4000,
        description="Upper bound on a generic chunk's length in characters (sentences are never cut).",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PLANQA_", env_nested_delimiter="__", extra="ignore"
    )

    paths: PathSettings = Field(default_factory=PathSettings)
    sudachi: SudachiSettings = Field(default_factory=SudachiSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    chroma_host: str | None = Field(
        default=None,
        validation_alias="PLANQA_CHROMA_HOST",
        description="Shorthand for PLANQA_CHROMA__HOST.",
        exclude=True,
    )

    @model_validator(mode="after")
    def _chroma_shorthand(self) -> Settings:
        if self.chroma_host and not self.chroma.host:
            self.chroma.host = self.chroma_host
        return self


def get_settings() -> Settings:
    """Build settings from the environment (call once, at the edge)."""
    return Settings()
