"""Fit the admission margins (answer/admission.py) and report them under cross-validation.

Every labelled question is answered in process at each pair of margins of a grid (a further
statement from pages already cited, one citing new pages), and with the hand-set admission
alone, the choice the margins must beat; each answer is scored as the eval scores it
(eval/answer_metrics.py). Margins are chosen on a set of questions by what an answer must
keep first: the most facts (within ``FACT_SLACK``); then the highest citation precision;
then the shortest median answer.

Cross-validation: own dev and the outside set together, 5 folds grouped by question, 3
seeds; each question is scored at the margin chosen on the other folds, so the outside set
informs the margin only through CV. The fresh test split is never used to choose: it is
only reported. ``--write`` saves the margin chosen on own dev and the outside set together
(the CV above is its estimate) to data/answer/admission.json with how it was fitted.

    .venv/bin/python bench/fit_admission.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.admission import DEFAULT_ADMISSION, Admission  # noqa: E402
from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answers import AnswerRow, run_answer_eval  # noqa: E402
from eval.gold import GoldQuestion, load_gold  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "admission.md"
OUTSIDE = PROJECT_ROOT.parent / "shared" / "eval" / "outside-questions.jsonl"
# (margin, new_pages_margin); None: the hand-set admission.
_SAME = (1.0, 2.0, 3.0, 4.0, 6.0, 99.0)
_NEW = (0.0, 1.0, 2.0, 3.0, 4.0, 99.0)
Margins = tuple[float, float] | None
MARGINS: tuple[Margins, ...] = (None, *((s, n) for s in _SAME for n in _NEW if n <= s))
FOLDS = 5
SEEDS = (0, 1, 2)
# Fact coverage this close to the best counts as a tie. 0: an answer keeps every fact it can
# (the objective); 0.01 (one question in a hundred) is reported beside it, and lost facts
# on the outside set under CV.
FACT_SLACK = 0.0
SLACKS = (0.0, 0.01)


@dataclass(frozen=True)
class Scored:
    """One question's answer at one margin, as the eval scores it."""

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


def choose(by_margin: dict[Margins, list[Scored]], slack: float = FACT_SLACK) -> Margins:
    """The margin an answer is best served by on these questions (see the docstring)."""
    figures = {m: summary(rows) for m, rows in by_margin.items()}
    best_facts = max(f["F"] for f in figures.values())
    near = [m for m, f in figures.items() if f["F"] >= best_facts - slack]
    return max(near, key=lambda m: (figures[m]["P"], -figures[m]["len"]))


def answer_all(service, questions: Sequence[GoldQuestion]) -> list[Scored]:
    async def ask(question: str, history: list[dict[str, str]]) -> dict:
        response = await service.answer(AskRequest(question=question, history=history, top_k=10))
        return response.model_dump()

    report = asyncio.run(run_answer_eval(questions, ask, warm_up=False))
    return [Scored.of(row) for row in report.rows]


T = TypeVar("T")


def cross_validate(
    table: dict[T, list[Scored]],
    groups: Sequence[str],
    choose: Callable[[dict[T, list[Scored]]], T],
) -> tuple[list[tuple[int, Scored]], list[T]]:
    """Each question, by its index in ``groups``, at the setting ``choose`` picks on the
    folds without it (folds grouped by question, over every seed), and the settings picked.
    ``bench/fit_clause.py`` cross-validates its length the same way."""
    held: list[tuple[int, Scored]] = []
    chosen: list[T] = []
    distinct = sorted(set(groups))
    for seed in SEEDS:
        order = distinct[:]
        random.Random(seed).shuffle(order)
        fold_of = {g: i % FOLDS for i, g in enumerate(order)}
        for fold in range(FOLDS):
            train = [i for i, g in enumerate(groups) if fold_of[g] != fold]
            test = [i for i, g in enumerate(groups) if fold_of[g] == fold]
            setting = choose({k: [rows[i] for i in train] for k, rows in table.items()})
            chosen.append(setting)
            held.extend((i, table[setting][i]) for i in test)
    return held, chosen


def labelled_sets(outside: Path) -> dict[str, list[GoldQuestion]]:
    """Own dev, the fresh test split (only reported) and the outside set."""
    own = load_gold()
    return {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "outside": load_gold(outside),
    }


def _name(margin: Margins) -> str:
    return "hand-set" if margin is None else f"margin {margin[0]:g}, new pages {margin[1]:g}"


def _row(name: str, figures: dict[str, float]) -> str:
    cells = [f"{figures[k]:.3f}" for k in ("F", "1st", "P", "R")]
    cells += [f"{figures['len']:.0f}", f"{figures['FD']:.3f}", f"{figures['UD']:.3f}"]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())
    table: dict[str, dict[Margins, list[Scored]]] = {name: {} for name in sets}
    for margin in MARGINS:
        service.selection.admission = None if margin is None else Admission(*margin)
        for name, questions in sets.items():
            table[name][margin] = answer_all(service, questions)
        print(_name(margin), "answered", flush=True)

    header = "| admission | facts | first statement | cit. precision | cit. recall | median chars"
    header += " | false declines | unanswerable declined |\n|---|---|---|---|---|---|---|---|"
    lines = [
        "# Admission of further statements (bench/fit_admission.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Each labelled question answered in process (top_k 10) at each admission; scored "
        "as `planqa eval answers` scores it. The ranker is data/answer/ranker.json.",
        "",
    ]
    for name in sets:
        lines += [f"## {name} ({len(sets[name])} questions)", "", header]
        lines += [_row(_name(m), summary(rows)) for m, rows in table[name].items()]
        lines.append("")

    # CV over own dev and the outside set together, grouped by question.
    fitted = ("own dev", "outside")
    pooled = {m: [r for name in fitted for r in table[name][m]] for m in MARGINS}
    groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
    sources = [name for name in fitted for _ in sets[name]]
    for slack in SLACKS:
        held, chosen = cross_validate(pooled, groups, lambda t, slack=slack: choose(t, slack))
        lines += [
            f"## Cross-validated, fact slack {slack:g} ({FOLDS} folds grouped by question, "
            f"seeds {SEEDS}; own dev and outside pooled; each question at the margins chosen "
            "without it)",
            "",
            header,
        ]
        for name in fitted:
            rows = [r for i, r in held if sources[i] == name]
            lines.append(_row(f"{name}, CV", summary(rows)))
            lines.append(_row(f"{name}, hand-set", summary(table[name][None])))
        lines.append("")
        counts = {_name(m): chosen.count(m) for m in dict.fromkeys(chosen)}
        lines.append(f"Margins chosen across the {len(chosen)} folds: {counts}.")
        lines.append("")
    final = choose(pooled)
    lines.append(f"Chosen on own dev and outside together: **{_name(final)}**.")
    lines.append("")
    lines.append("Command: `.venv/bin/python bench/fit_admission.py --write`")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if args.write and final is not None:
        provenance = (
            f"bench/fit_admission.py, {time.strftime('%Y-%m-%d', time.gmtime())}: margin chosen "
            f"on own dev ({len(sets['own dev'])}) and the outside set ({len(sets['outside'])}) "
            f"from margins {_SAME} × new-page margins {_NEW} (most facts; within {FACT_SLACK} of "
            "them, the best citation precision, then the shortest median answer); estimated "
            f"by {FOLDS}-fold CV grouped by question, seeds {SEEDS} (bench/results/admission.md)"
        )
        DEFAULT_ADMISSION.write_text(
            json.dumps(
                {"margin": final[0], "new_pages_margin": final[1], "provenance": provenance},
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print("wrote", DEFAULT_ADMISSION)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
