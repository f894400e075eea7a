"""The one settings object. Built once at the edge (CLI, app factory) and passed in.

Environment variables use the prefix ``PLANQA_`` and ``__`` between a group and its field,
e.g. ``PLANQA_SUDACHI__SPLIT_MODE=A`` or ``PLANQA_PATHS__DATA_DIR=/srv/plans``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
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


class SudachiSettings(BaseModel):
    dictionary: Literal["core", "small", "full"] = Field(
        default="core", description="Installed SudachiDict edition to load."
    )
    split_mode: Literal["A", "B", "C"] = Field(
        default="C", description="Sudachi split mode used for lexical tokens."
    )
    form: Literal["surface", "normalized"] = Field(
        default="normalized", description="Token form used for lexical matching."
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


def get_settings() -> Settings:
    """Build settings from the environment (call once, at the edge)."""
    return Settings()
