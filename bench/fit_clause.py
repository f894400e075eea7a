"""Fit the clause cut (answer/clause.py) and report it under cross-validation.

Every labelled question is answered in process with the first statement, or every
statement, cut at each length of a grid, and uncut, the choice a cut must beat; each answer
is scored as the eval scores it. A setting is chosen on a set of questions by: the most
facts, then the most first statements holding every fact (a cut must never lose a fact),
then the best citation precision, then the shortest median answer. Cross-validation: own
dev, the outside set and the training questions pooled, 5 folds grouped by question, 3
seeds (bench/fit_admission.py's folds); the fresh test split only reported.

    .venv/bin/python bench/fit_clause.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
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

from answer.clause import DEFAULT_CLAUSE, ClauseCut  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "clause.md"
LENGTHS: tuple[int | None, ...] = (None, 40, 60, 80, 100, 150, 200)  # None: never cut
# A setting: the length, and whether every statement is cut (else the first alone).
Setting = tuple[int | None, bool]
SETTINGS: tuple[Setting, ...] = ((None, False),) + tuple(
    (n, every) for every in (False, True) for n in LENGTHS if n is not None
)


def choose(by_setting: dict[Setting, list[Scored]]) -> Setting:
    figures = {n: summary(rows) for n, rows in by_setting.items()}
    return max(
        figures,
        key=lambda n: (figures[n]["F"], figures[n]["1st"], figures[n]["P"], -figures[n]["len"]),
    )


def _name(setting: Setting) -> str:
    length, every = setting
    if length is None:
        return "uncut"
    return f"{'every statement' if every else 'first statement'} cut past {length} chars"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())
    table: dict[str, dict[Setting, list[Scored]]] = {name: {} for name in sets}
    for setting in SETTINGS:
        length, every = setting
        cut = None if length is None else ClauseCut(length, every_statement=every)
        service.selection.clause_cut = cut
        for name, questions in sets.items():
            table[name][setting] = answer_all(service, questions)
        print(_name(setting), "answered", flush=True)

    header = "| cut | facts | first statement holds | cit. precision | cit. recall"
    header += " | median chars | false declines | unanswerable declined |\n"
    header += "|---|---|---|---|---|---|---|---|"
    lines = [
        "# Clause cut of the first statement (bench/fit_clause.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Each labelled question answered in process (top_k 10), with the shipped ranker and "
        "admission; scored as `planqa eval answers` scores it.",
        "",
    ]
    for name in sets:
        lines += [f"## {name} ({len(sets[name])} questions)", "", header]
        lines += [_row(_name(n), summary(rows)) for n, rows in table[name].items()]
        lines.append("")

    # The questions written to fit the answer stage (eval/gold/train/) join when present.
    fitted = tuple(name for name in ("own dev", "outside", "own train") if name in sets)
    pooled = {n: [r for name in fitted for r in table[name][n]] for n in SETTINGS}
    groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
    sources = [name for name in fitted for _ in sets[name]]
    held, chosen = cross_validate(pooled, groups, choose)
    lines += [
        f"## Cross-validated ({FOLDS} folds grouped by question, seeds {SEEDS}; "
        f"{', '.join(fitted)} pooled; each question at the setting chosen without it)",
        "",
        header,
    ]
    for name in fitted:
        lines.append(_row(f"{name}, CV", summary([r for i, r in held if sources[i] == name])))
        lines.append(_row(f"{name}, uncut", summary(table[name][(None, False)])))
    counts = {_name(n): chosen.count(n) for n in dict.fromkeys(chosen)}
    final = choose(pooled)
    lines += [
        "",
        f"Settings chosen across the {len(chosen)} folds: {counts}.",
        f"Chosen on {', '.join(fitted)} together: **{_name(final)}**.",
        "",
        "Command: `.venv/bin/python bench/fit_clause.py --write`",
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        if final[0] is None:
            DEFAULT_CLAUSE.unlink(missing_ok=True)
            print("no cut chosen: removed", DEFAULT_CLAUSE)
        else:
            provenance = (
                f"bench/fit_clause.py, {time.strftime('%Y-%m-%d', time.gmtime())}: length "
                "chosen on "
                + ", ".join(f"{name} ({len(sets[name])})" for name in fitted)
                + f" from {[n for n in LENGTHS if n is not None]}, the first statement or "
                "every statement cut (most facts, then most first statements holding them, "
                "then the best citation precision, then the shortest median answer); "
                f"estimated by {FOLDS}-fold CV grouped by question, seeds {SEEDS} "
                "(bench/results/clause.md)"
            )
            saved = {"long_chars": final[0], "every_statement": final[1]}
            DEFAULT_CLAUSE.write_text(
                json.dumps(saved | {"provenance": provenance}, ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            print("wrote", DEFAULT_CLAUSE)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
