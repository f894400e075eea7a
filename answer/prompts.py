"""Prompt templates live as files in prompts/ and are loaded by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from langchain_core.prompts import PromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=8)
def load_prompt(name: str) -> PromptTemplate:
    """``load_prompt("answer.ja")`` → the template in prompts/answer.ja.md."""
    path = PROMPTS_DIR / f"{name}.md"
    if not path.exists():
        raise FileNotFoundError(f"no prompt template {path}")
    return PromptTemplate.from_template(path.read_text(encoding="utf-8"))
