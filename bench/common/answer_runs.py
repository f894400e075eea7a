"""Answer every labelled question in process and score it as ``planqa eval answers`` does.

The answer-stage fitters (bench/fit_admission.py, fit_clause.py, fit_new_pages.py,
fit_sure_lead.py, admission_variants.py, fit_followup_prior.py) each answer the labelled
sets at every setting of a grid, print one table per set, and choose a setting under
grouped cross-validation (common/folds.py); this is what they share.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from answer.admission import DEFAULT_ADMISSION
from answer.schemas import AskRequest
from common.folds import FOLDS, SEEDS, cross_validate
from eval.answers import AnswerRow, run_answer_eval
from eval.gold import TRAIN_DIR, GoldQuestion, load_gold

T = TypeVar("T")

# The training files written blind, which some fitters report on their own.
BLIND_TRAIN = ("uncovered.jsonl", "written-2026-12-07c.jsonl")
# The fields of data/answer/admission.json fitted one at a time given the admission's model
# and gate (bench/fit_new_pages.py, fit_sure_lead.py), each with its provenance's key:
# bench/fit_admission.py keeps them as they were when it writes (rerun those fits after it).
ADMISSION_FIELDS = {
    "new_pages_gain": "new_pages_provenance",
    "sure_lead": "sure_lead_provenance",
    "probability_floor": "probability_floor_provenance",
}
# How ``most_facts`` chooses, as a provenance says it.
MOST_FACTS_RULE = (
    "most facts, then most first statements holding them, then the best citation precision, "
    "then the shortest median answer"
)


@dataclass(frozen=True)
class Scored:
    """One question's answer at one setting, as the eval scores it."""

    facts: float | None
    first: float | None
    precision: float | None
    recall: float | None
    chars: int | None  # None: declined
    answerable: bool
    answered: bool

    @classmethod
    def of(cls, row: AnswerRow) -> Scored:
        return cls(
            row.scores["fact_coverage"],
            row.scores["first_statement"],
            row.scores["citation_precision"],
            row.scores["citation_recall"],
            row.answer_chars if row.answered else None,
            row.answerable,
            row.answered,
        )


def _mean(values: Sequence[float | None]) -> float:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else math.nan


def summary(rows: Sequence[Scored]) -> dict[str, float]:
    """F, 1st, P, R (means), len (median characters of the answers given), FD (answerable
    declined), UD (unanswerable declined)."""
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    lengths = [r.chars for r in rows if r.chars is not None]
    return {
        "F": _mean([r.facts for r in rows]),
        "1st": _mean([r.first for r in rows]),
        "P": _mean([r.precision for r in rows]),
        "R": _mean([r.recall for r in rows]),
        "len": float(statistics.median(lengths)) if lengths else math.nan,
        "FD": _mean([float(not r.answered) for r in answerable]),
        "UD": _mean([float(not r.answered) for r in unanswerable]),
    }


def most_facts(by_setting: Mapping[T, list[Scored]]) -> T:
    """The setting with the most facts, then the most first statements holding every fact,
    then the best citation precision, then the shortest median answer (``MOST_FACTS_RULE``)."""
    figures = {s: summary(rows) for s, rows in by_setting.items()}
    return max(
        figures,
        key=lambda s: (figures[s]["F"], figures[s]["1st"], figures[s]["P"], -figures[s]["len"]),
    )


def answer_all(service, questions: Sequence[GoldQuestion]) -> list[Scored]:  # noqa: ANN001
    """Each question answered by ``service`` (top_k 10), scored as the eval scores it."""

    async def ask(question: str, history: list[dict[str, str]]) -> dict:
        response = await service.answer(AskRequest(question=question, history=history, top_k=10))
        return response.model_dump()

    report = asyncio.run(run_answer_eval(questions, ask, warm_up=False))
    return [Scored.of(row) for row in report.rows]


def answer_at_each(
    service,  # noqa: ANN001
    sets: Mapping[str, Sequence[GoldQuestion]],
    settings: Iterable[T],
    apply: Callable[[T], None],
    name: Callable[[T], str],
) -> dict[str, dict[T, list[Scored]]]:
    """Every set answered at every setting (``apply`` puts a setting on the service), as
    ``table[set][setting]``; prints each setting once answered."""
    table: dict[str, dict[T, list[Scored]]] = {set_name: {} for set_name in sets}
    for setting in settings:
        apply(setting)
        for set_name, questions in sets.items():
            table[set_name][setting] = answer_all(service, questions)
        print(name(setting), "answered", flush=True)
    return table


def labelled_sets(outside: Path, apart: Collection[str] = ()) -> dict[str, list[GoldQuestion]]:
    """Own dev, the fresh test split (only reported), the outside set and the questions
    written to train (eval/gold/train/, none when the folder is missing), pooled as "own
    train" but for the files named in ``apart``, each a set of its own ("train STEM")."""
    own = load_gold()
    sets = {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "outside": load_gold(outside),
    }
    if TRAIN_DIR.is_dir():
        sets["own train"] = []
        for file in sorted(TRAIN_DIR.glob("*.jsonl")):
            name = f"train {file.stem}" if file.name in apart else "own train"
            sets.setdefault(name, []).extend(load_gold(file))
    return sets


def row(name: str, figures: dict[str, float]) -> str:
    """A table row: F, 1st, P, R, median length, FD, UD."""
    cells = [f"{figures[k]:.3f}" for k in ("F", "1st", "P", "R")]
    cells += [f"{figures['len']:.0f}", f"{figures['FD']:.3f}", f"{figures['UD']:.3f}"]
    return f"| {name} | " + " | ".join(cells) + " |"


def header(first: str, first_statement: str = "first statement") -> str:
    """The table's header for ``row``, its first column named ``first``."""
    return (
        f"| {first} | facts | {first_statement} | cit. precision | cit. recall | median chars"
        " | false declines | unanswerable declined |\n|---|---|---|---|---|---|---|---|"
    )


def machine_line() -> str:
    """The run's machine and time, as the answer fitters' results open."""
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
    )


def set_tables(
    sets: Mapping[str, Sequence[GoldQuestion]],
    table: Mapping[str, Mapping[T, list[Scored]]],
    name: Callable[[T], str],
    head: str,
) -> list[str]:
    """One table per set: a row per setting."""
    lines: list[str] = []
    for set_name in sets:
        lines += [f"## {set_name} ({len(sets[set_name])} questions)", "", head]
        lines += [row(name(s), summary(rows)) for s, rows in table[set_name].items()]
        lines.append("")
    return lines


@dataclass(frozen=True)
class Pooled:
    """The fitted sets' answers pooled per setting, and the same cross-validated."""

    fitted: tuple[str, ...]
    table: dict[Any, list[Scored]]  # setting → the fitted sets' rows, in set order
    sources: list[str]  # the set of each pooled row
    held: list[tuple[int, Scored]]  # each row at the setting chosen without it
    chosen: list[Any]  # the setting chosen in each fold

    @classmethod
    def of(
        cls,
        sets: Mapping[str, Sequence[GoldQuestion]],
        table: Mapping[str, Mapping[Any, list[Scored]]],
        fitted: Sequence[str],
        choose: Callable[[dict[Any, list[Scored]]], Any],
    ) -> Pooled:
        """``fitted``'s rows pooled, grouped by ``set:id`` for the folds."""
        settings = list(table[fitted[0]])
        pooled = {s: [r for name in fitted for r in table[name][s]] for s in settings}
        groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
        sources = [name for name in fitted for _ in sets[name]]
        held, chosen = cross_validate(pooled, groups, choose)
        return cls(tuple(fitted), pooled, sources, held, chosen)

    def held_of(self, name: str) -> list[Scored]:
        """The cross-validated rows of one fitted set."""
        return [r for i, r in self.held if self.sources[i] == name]

    def counts(self, name: Callable[[Any], str]) -> dict[str, int]:
        """How often each setting was chosen across the folds, in first-chosen order."""
        return {name(s): self.chosen.count(s) for s in dict.fromkeys(self.chosen)}

    def title(self, noun: str) -> str:
        """The heading of the cross-validated table (``noun``: what each fold chooses)."""
        return (
            f"## Cross-validated ({FOLDS} folds grouped by question, seeds {SEEDS}; "
            f"{', '.join(self.fitted)} pooled; each question at the {noun} chosen without it)"
        )


def chosen_on(
    script: str, noun: str, sets: Mapping[str, Sequence[GoldQuestion]], fitted: Sequence[str]
) -> str:
    """A provenance's opening: which script chose ``noun`` when, on which sets."""
    return (
        f"bench/{script}, {time.strftime('%Y-%m-%d', time.gmtime())}: {noun} chosen on "
        + ", ".join(f"{name} ({len(sets[name])})" for name in fitted)
    )


def estimated(results: str) -> str:
    """A provenance's close: how the choice was estimated, and where the figures are."""
    return (
        f"estimated by {FOLDS}-fold CV grouped by question, seeds {SEEDS} (bench/results/{results})"
    )


def write_admission_field(key: str, value: object, provenance: str) -> None:
    """Save one fitted field of data/answer/admission.json (``ADMISSION_FIELDS``) with its
    provenance, the other fields as they were; ``value`` None removes the field (its rule
    off)."""
    provenance_key = ADMISSION_FIELDS[key]
    saved = json.loads(DEFAULT_ADMISSION.read_text(encoding="utf-8"))
    saved.pop(key, None)
    saved.pop(provenance_key, None)
    if value is not None:
        saved[key] = value
        saved[provenance_key] = provenance
    DEFAULT_ADMISSION.write_text(
        json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print("wrote", DEFAULT_ADMISSION)
