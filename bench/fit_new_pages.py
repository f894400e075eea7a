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

from common.answer_runs import header
from common.grid_fit import GridFit, fit_admission_field

from planqa.settings import PROJECT_ROOT

GAINS: tuple[float | None, ...] = (None, 0.0, 0.03, 0.05, 0.1, 0.2)  # None: the rule off


def _name(gain: float | None) -> str:
    return "off" if gain is None else f"adds more than {gain:g} of the question"


FIT = GridFit(
    script="fit_new_pages.py",
    results=PROJECT_ROOT / "bench" / "results" / "new_pages.md",
    title="# What a further statement citing new pages must add (bench/fit_new_pages.py)",
    about="Each labelled question answered in process (top_k 10), with the shipped ranker, "
    "admission margin and clause cut; scored as `planqa eval answers` scores it.",
    head=header("further statement citing new pages"),
    settings=GAINS,
    name=_name,
    off=None,
    noun="gain",
    plural="Gains",
)


def main() -> None:
    fit_admission_field(FIT, __doc__, "new_pages_gain")


if __name__ == "__main__":
    main()
