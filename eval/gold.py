"""The gold question set: eval/gold/*.jsonl, written by us from the two documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

GOLD_DIR = Path(__file__).resolve().parent / "gold"
QuestionType = Literal["factual", "paraphrase", "page", "multi", "keyword", "unanswerable"]


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    type: QuestionType
    answer: str
    evidence: tuple[str, ...]
    facts: tuple[str, ...]
    labels: tuple[str, ...]
    source: str
    split: Literal["dev", "test"]

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def load_gold(directory: Path = GOLD_DIR, split: str = "all") -> list[GoldQuestion]:
    """All questions of ``directory`` (``split``: dev, test or all), in file order."""
    questions: list[GoldQuestion] = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                question = GoldQuestion(
                    id=raw["id"],
                    question=raw["question"],
                    type=raw["type"],
                    answer=raw.get("answer", ""),
                    evidence=tuple(raw.get("evidence", [])),
                    facts=tuple(raw.get("facts", [])),
                    labels=tuple(raw.get("labels", [])),
                    source=raw.get("source", ""),
                    split=raw.get("split", "dev"),
                )
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path}:{number}: bad gold question ({error})") from error
            if split in ("all", question.split):
                questions.append(question)
    return questions
