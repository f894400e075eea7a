"""Fit what a further statement citing new pages must add (answer/admission.py,
``new_pages_gain``) and report it under cross-validation.

Every labelled question is answered in process with the shipped admission and, for each
gain of a grid, the rule that a further statement citing pages the answer does not cite yet
joins only when it adds to the answer (more than that share of the question, or a compound,
figure or kind of answer the answer lacks, or another part); off is the choice the rule must
beat. A gain is chosen on a set of questions as the clause cut's length is
(bench/fit_clause.py): the most facts, then the most first statements holding every fact,
then the best citation precision, then the shortest median answer. Own dev, the outside set
and the training questions (eval/gold/train/) pooled, 5 folds grouped by question, 3 seeds;
the fresh test split only reported. ``--write`` saves the gain into the shipped admission
file with its provenance, the other fields as they were.

    .venv/bin/python bench/fit_new_pages.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_admission import (  # noqa: E402
    FOLDS,
    SEEDS,
    Scored,
    _row,
    answer_all,
    cross_validate,
    labelled_sets,
    summary,
)
from results_out import add_out_option, results_path, write_results  # noqa: E402

from answer.admission import DEFAULT_ADMISSION, Admission  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "new_pages.md"
GAINS: tuple[float | None, ...] = (None, 0.0, 0.03, 0.05, 0.1, 0.2)  # None: the rule off


def choose(by_gain: dict[float | None, list[Scored]]) -> float | None:
    figures = {g: summary(rows) for g, rows in by_gain.items()}
    return max(
        figures,
        key=lambda g: (figures[g]["F"], figures[g]["1st"], figures[g]["P"], -figures[g]["len"]),
    )


def _name(gain: float | None) -> str:
    return "off" if gain is None else f"adds more than {gain:g} of the question"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)
    table: dict[str, dict[float | None, list[Scored]]] = {name: {} for name in sets}
    for gain in GAINS:
        service.selection.admission = replace(shipped, new_pages_gain=gain)
        for name, questions in sets.items():
            table[name][gain] = answer_all(service, questions)
        print(_name(gain), "answered", flush=True)

    header = "| further statement citing new pages | facts | first statement | cit. precision"
    header += " | cit. recall | median chars | false declines | unanswerable declined |\n"
    header += "|---|---|---|---|---|---|---|---|"
    lines = [
        "# What a further statement citing new pages must add (bench/fit_new_pages.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Each labelled question answered in process (top_k 10), with the shipped ranker, "
        "admission margin and clause cut; scored as `planqa eval answers` scores it.",
        "",
    ]
    for name in sets:
        lines += [f"## {name} ({len(sets[name])} questions)", "", header]
        lines += [_row(_name(g), summary(rows)) for g, rows in table[name].items()]
        lines.append("")

    fitted = tuple(name for name in ("own dev", "outside", "own train") if name in sets)
    pooled = {g: [r for name in fitted for r in table[name][g]] for g in GAINS}
    groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
    sources = [name for name in fitted for _ in sets[name]]
    held, chosen = cross_validate(pooled, groups, choose)
    lines += [
        f"## Cross-validated ({FOLDS} folds grouped by question, seeds {SEEDS}; "
        f"{', '.join(fitted)} pooled; each question at the gain chosen without it)",
        "",
        header,
    ]
    for name in fitted:
        lines.append(_row(f"{name}, CV", summary([r for i, r in held if sources[i] == name])))
        lines.append(_row(f"{name}, off", summary(table[name][None])))
    counts = {_name(g): chosen.count(g) for g in dict.fromkeys(chosen)}
    final = choose(pooled)
    lines += [
        "",
        f"Gains chosen across the {len(chosen)} folds: {counts}.",
        f"Chosen on {', '.join(fitted)} together: **{_name(final)}**.",
        "",
        "Command: `.venv/bin/python bench/fit_new_pages.py --write`",
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        saved = json.loads(DEFAULT_ADMISSION.read_text(encoding="utf-8"))
        saved.pop("new_pages_gain", None)
        saved.pop("new_pages_provenance", None)
        if final is not None:
            saved["new_pages_gain"] = final
            saved["new_pages_provenance"] = (
                f"bench/fit_new_pages.py, {time.strftime('%Y-%m-%d', time.gmtime())}: gain "
                "chosen on "
                + ", ".join(f"{name} ({len(sets[name])})" for name in fitted)
                + f" from {[g for g in GAINS if g is not None]} and off (most facts, then "
                "most first statements holding them, then the best citation precision, then "
                f"the shortest median answer); estimated by {FOLDS}-fold CV grouped by "
                f"question, seeds {SEEDS} (bench/results/new_pages.md)"
            )
        DEFAULT_ADMISSION.write_text(
            json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print("wrote", DEFAULT_ADMISSION)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
