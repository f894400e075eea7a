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

from common.answer_runs import BLIND_TRAIN, header
from common.grid_fit import GridFit, fit_admission_field

from planqa.settings import PROJECT_ROOT

SHARES: tuple[float | None, ...] = (None, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)  # None: off


def _name(share: float | None) -> str:
    return "off" if share is None else f"lead alone at probability {share:g}"


FIT = GridFit(
    script="fit_sure_lead.py",
    results=PROJECT_ROOT / "bench" / "results" / "sure_lead.md",
    title="# How sure of a lead stating what was asked the ranker must be to show it alone "
    "(bench/fit_sure_lead.py)",
    about="Each labelled question answered in process (top_k 10), with the shipped ranker, "
    "admission and clause cut; scored as `planqa eval answers` scores it. A row: when the "
    "question has one part, the lead holds the figure or kind of answer asked and the ranker "
    "gives it at least that share of its probability, the lead is shown alone.",
    head=header("one-part question, lead stating what was asked"),
    settings=SHARES,
    name=_name,
    off=None,
    noun="share",
    plural="Shares",
    pooled_rows=True,
)


def main() -> None:
    fit_admission_field(FIT, __doc__, "sure_lead", apart=BLIND_TRAIN)


if __name__ == "__main__":
    main()
