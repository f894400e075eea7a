"""Fit the clause cut (answer/clause.py) and report it under cross-validation.

Every labelled question is answered in process with the first statement, or every
statement, cut at each length of a grid, and uncut, the choice a cut must beat; each answer
is scored as the eval scores it. A setting is chosen on a set of questions by: the most
facts, then the most first statements holding every fact (a cut must never lose a fact),
then the best citation precision, then the shortest median answer. Cross-validation: own
dev, the outside set and the training questions pooled, 5 folds grouped by question, 3
seeds (bench/common/folds.py); the fresh test split only reported.

    .venv/bin/python bench/fit_clause.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common.answer_runs import (  # noqa: E402
    MOST_FACTS_RULE,
    Pooled,
    answer_at_each,
    chosen_on,
    estimated,
    header,
    labelled_sets,
    machine_line,
    most_facts,
    row,
    set_tables,
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

    def apply(setting: Setting) -> None:
        length, every = setting
        cut = None if length is None else ClauseCut(length, every_statement=every)
        service.selection.clause_cut = cut

    table = answer_at_each(service, sets, SETTINGS, apply, _name)
    head = header("cut", first_statement="first statement holds")
    lines = [
        "# Clause cut of the first statement (bench/fit_clause.py)",
        "",
        machine_line() + "Each labelled question answered in process (top_k 10), with the "
        "shipped ranker and admission; scored as `planqa eval answers` scores it.",
        "",
        *set_tables(sets, table, _name, head),
    ]

    # The questions written to fit the answer stage (eval/gold/train/) join when present.
    fitted = tuple(name for name in ("own dev", "outside", "own train") if name in sets)
    cv = Pooled.of(sets, table, fitted, most_facts)
    lines += [cv.title("setting"), "", head]
    for name in fitted:
        lines.append(row(f"{name}, CV", summary(cv.held_of(name))))
        lines.append(row(f"{name}, uncut", summary(table[name][(None, False)])))
    final = most_facts(cv.table)
    lines += [
        "",
        f"Settings chosen across the {len(cv.chosen)} folds: {cv.counts(_name)}.",
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
                chosen_on("fit_clause.py", "length", sets, fitted)
                + f" from {[n for n in LENGTHS if n is not None]}, the first statement or "
                f"every statement cut ({MOST_FACTS_RULE}); " + estimated("clause.md")
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
