"""Gold questions: the project's own set (eval/gold/*.jsonl) and outside sets in their format.

Two formats are read alike. The project's own lines carry ``labels``, ``source`` and a
``split`` (dev or test). An outside set (``../shared/eval/outside-questions.jsonl``, written
blind from the documents) carries ``refs`` for the labels, ``doc``, a ``history`` of earlier
turns for a follow-up, and no split: its questions get the split ``outside``, which
``split="all"`` includes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

GOLD_DIR = Path(__file__).resolve().parent / "gold"
# The outside set where the workplace keeps it, beside the checkout: read by path (the
# benches' --outside default), never copied into the project.
OUTSIDE_SET = GOLD_DIR.parents[2] / "shared" / "eval" / "outside-questions.jsonl"
# The project's own types, then the outside set's (factual ~ number, page ~ lookup).
QuestionType = Literal[
    "factual",
    "paraphrase",
    "page",
    "multi",
    "keyword",
    "unanswerable",
    "number",
    "target",
    "policy",
    "lookup",
    "followup",
]
QUESTION_TYPES: frozenset[str] = frozenset(get_args(QuestionType))
# decline-train: unanswerable questions written to fit the decline model
# (eval/gold/decline/, outside the default directory so `planqa eval answers` is unchanged);
# train: answerable questions written to fit the answer stage's models (eval/gold/train/,
# likewise outside it): they add fitting data and are never reported as a measure.
TRAIN_DIR = GOLD_DIR / "train"
SPLITS = ("dev", "test", "outside", "decline-train", "train")
OUTSIDE = "outside"


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a follow-up's conversation, as /ask's ``history`` takes it."""

    role: Literal["user", "assistant"]
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


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
    split: Literal["dev", "test", "outside", "decline-train", "train"]
    history: tuple[Turn, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    def history_messages(self) -> list[dict[str, str]]:
        """The history as /ask's ``history`` field takes it (a fresh list each call)."""
        return [turn.to_dict() for turn in self.history]


TRACE_GOLD_NAME = "trace.jsonl"


def gold_files(path: Path) -> list[Path]:
    """The JSON Lines files of ``path``: the file itself, or a directory's ``*.jsonl`` but
    the plan ↔ results links (``trace.jsonl``, links rather than questions: eval/trace.py)."""
    if path.is_dir():
        return sorted(f for f in path.glob("*.jsonl") if f.name != TRACE_GOLD_NAME)
    if path.is_file():
        return [path]
    raise FileNotFoundError(f"{path}: no such gold file or directory")


def load_gold(path: Path = GOLD_DIR, split: str = "all") -> list[GoldQuestion]:
    """The questions of a gold file or directory, in file order.

    ``split``: dev, test, outside, or all. A malformed line raises ``ValueError`` naming
    the file and line; a path that does not exist raises ``FileNotFoundError``.
    """
    questions: list[GoldQuestion] = []
    for file in gold_files(Path(path)):
        for number, line in enumerate(file.read_text(encoding="utf-8-sig").splitlines(), 1):
            if not line.strip():
                continue
            try:
                question = parse_question(json.loads(line))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{file}:{number}: bad gold question ({error})") from error
            if split in ("all", question.split):
                questions.append(question)
    return questions


def parse_question(raw: dict[str, Any]) -> GoldQuestion:
    """One gold line in either format (see the module docstring)."""
    if raw["type"] not in QUESTION_TYPES:
        raise ValueError(f"unknown type {raw['type']!r}")
    labels, refs = raw.get("labels"), raw.get("refs")
    if labels is not None and refs is not None and list(labels) != list(refs):
        raise ValueError("both 'labels' and 'refs' given, and they differ")
    split = raw.get("split", OUTSIDE)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    return GoldQuestion(
        id=str(raw["id"]),
        question=raw["question"],
        type=raw["type"],
        answer=raw.get("answer", ""),
        evidence=tuple(raw.get("evidence", [])),
        facts=tuple(raw.get("facts", [])),
        labels=tuple(labels if labels is not None else refs or []),
        source=raw.get("source") or raw.get("doc", ""),
        split=split,
        history=tuple(_turn(turn) for turn in raw.get("history") or []),
    )


def _turn(raw: dict[str, Any]) -> Turn:
    if raw.get("role") not in ("user", "assistant") or not isinstance(raw.get("content"), str):
        raise ValueError(f"a history turn needs role user|assistant and a content: {raw!r}")
    return Turn(role=raw["role"], content=raw["content"])
