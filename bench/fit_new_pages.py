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
import sys
import time
from dataclasses import replace
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
    write_admission_field,
)
from results_out import add_out_option, results_path, write_results  # noqa: E402

from answer.admission import Admission  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "new_pages.md"
GAINS: tuple[float | None, ...] = (None, 0.0, 0.03, 0.05, 0.1, 0.2)  # None: the rule off


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

    def apply(gain: float | None) -> None:
        service.selection.admission = replace(shipped, new_pages_gain=gain)

    table = answer_at_each(service, sets, GAINS, apply, _name)
    head = header("further statement citing new pages")
    lines = [
        "# What a further statement citing new pages must add (bench/fit_new_pages.py)",
        "",
        machine_line() + "Each labelled question answered in process (top_k 10), with the "
        "shipped ranker, admission margin and clause cut; scored as `planqa eval answers` "
        "scores it.",
        "",
        *set_tables(sets, table, _name, head),
    ]

    fitted = tuple(name for name in ("own dev", "outside", "own train") if name in sets)
    cv = Pooled.of(sets, table, fitted, most_facts)
    lines += [cv.title("gain"), "", head]
    for name in fitted:
        lines.append(row(f"{name}, CV", summary(cv.held_of(name))))
        lines.append(row(f"{name}, off", summary(table[name][None])))
    final = most_facts(cv.table)
    lines += [
        "",
        f"Gains chosen across the {len(cv.chosen)} folds: {cv.counts(_name)}.",
        f"Chosen on {', '.join(fitted)} together: **{_name(final)}**.",
        "",
        "Command: `.venv/bin/python bench/fit_new_pages.py --write`",
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        provenance = (
            chosen_on("fit_new_pages.py", "gain", sets, fitted)
            + f" from {[g for g in GAINS if g is not None]} and off ({MOST_FACTS_RULE}); "
            + estimated("new_pages.md")
        )
        write_admission_field("new_pages_gain", final, "new_pages_provenance", provenance)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
