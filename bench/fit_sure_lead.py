"""Fit how sure the ranker must be of a lead stating what was asked before a one-part
question's lead is shown alone (answer/admission.py, ``sure_lead``), under cross-validation.

Every labelled question is answered in process with the shipped admission and, for each
share of a grid, the rule that when the question has one part, the lead holds the figure or
kind of answer asked and the ranker gives it at least that share of its probability, the
lead is shown alone (the decline still reads every statement admitted); off is the choice
the rule must beat. A share is chosen on a set of questions as the new-pages gain
is (bench/fit_new_pages.py): the most facts, then the most first statements holding every
fact, then the best citation precision, then the shortest median answer. Own dev, the
outside set and every training file (eval/gold/train/) pooled, 5 folds grouped by question,
3 seeds; the fresh test split only reported. The two newest training files (written blind,
eval/gold/train/uncovered.jsonl and written-2026-12-07c.jsonl) are reported on their own.
``--write`` saves the share into the shipped admission file with its provenance, the other
fields as they were.

    .venv/bin/python bench/fit_sure_lead.py [--outside ../shared/eval/outside-questions.jsonl]
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
    BLIND_TRAIN,
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

RESULTS = PROJECT_ROOT / "bench" / "results" / "sure_lead.md"
SHARES: tuple[float | None, ...] = (None, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)  # None: off


def _name(share: float | None) -> str:
    return "off" if share is None else f"lead alone at probability {share:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.time()
    sets = labelled_sets(args.outside, apart=BLIND_TRAIN)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)

    def apply(share: float | None) -> None:
        service.selection.admission = replace(shipped, sure_lead=share)

    table = answer_at_each(service, sets, SHARES, apply, _name)
    head = header("one-part question, lead stating what was asked")
    lines = [
        "# How sure of a lead stating what was asked the ranker must be to show it alone "
        "(bench/fit_sure_lead.py)",
        "",
        machine_line() + "Each labelled question answered in process (top_k 10), with the "
        "shipped ranker, admission and clause cut; scored as `planqa eval answers` scores it. "
        "A row: when the question has one part, the lead holds the figure or kind of answer "
        "asked and the ranker gives it at least that share of its probability, the lead is "
        "shown alone.",
        "",
        *set_tables(sets, table, _name, head),
    ]

    fitted = tuple(name for name in sets if name != "fresh test")
    cv = Pooled.of(sets, table, fitted, most_facts)
    lines += [cv.title("share"), "", head]
    for name in fitted:
        lines.append(row(f"{name}, CV", summary(cv.held_of(name))))
        lines.append(row(f"{name}, off", summary(table[name][None])))
    lines.append(row("pooled, CV", summary([r for _, r in cv.held])))
    lines.append(row("pooled, off", summary(cv.table[None])))
    final = most_facts(cv.table)
    lines += [
        "",
        f"Shares chosen across the {len(cv.chosen)} folds: {cv.counts(_name)}.",
        f"Chosen on {', '.join(fitted)} together: **{_name(final)}**.",
        "",
        "Command: `.venv/bin/python bench/fit_sure_lead.py --write`",
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        provenance = (
            chosen_on("fit_sure_lead.py", "share", sets, fitted)
            + f" from {[s for s in SHARES if s is not None]} and off ({MOST_FACTS_RULE}); "
            + estimated("sure_lead.md")
        )
        write_admission_field("sure_lead", final, "sure_lead_provenance", provenance)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
