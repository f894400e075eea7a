"""Fit the share of the ranker's probability a further statement must hold to join
(answer/admission.py, ``probability_floor``), with the figure-stated rule (``figure_stated``)
on and off, under cross-validation.

Every labelled question is answered in process with the shipped admission
(data/answer/admission.json: its margin, new-pages gain and ``keeps_slot``, a dropped
statement's place kept against a candidate of another passage than the lead's) and, for each
(rule, floor) of a grid, the figure-stated rule on or off and the rule that a further
statement the ranker gives less than that share of its probability over the candidates never
joins; only those two fields change, so the shipped setting's row is what ships (marked so).
Both off is the choice they must beat. A setting is chosen as the other admission
fields are (bench/fit_new_pages.py): the most facts, then the most first statements holding
every fact, then the best citation precision, then the shortest median answer. Own dev and
every training file (eval/gold/train/) pooled, 5 folds grouped by question, 3 seeds; the
fresh test split and the outside set only reported (never chosen on). ``--write`` saves the
floor chosen on the pooled sets into the shipped admission file with its provenance, the
other fields as they were (the rule too: it is set by hand in the file, and a choice other
than the shipped one is reported, not written).

    .venv/bin/python bench/fit_probability_floor.py
        [--outside ../shared/eval/outside-questions.jsonl] [--write]
"""

from __future__ import annotations

import time
from dataclasses import replace

from common.answer_runs import (
    MOST_FACTS_RULE,
    chosen_on,
    estimated,
    header,
    labelled_sets,
    write_admission_field,
)
from common.grid_fit import GridFit
from common.options import fitter_options

from answer.admission import Admission
from api.app import build_service
from planqa.settings import PROJECT_ROOT, Settings

RULE = (False, True)
FLOORS: tuple[float | None, ...] = (None, 0.01, 0.02, 0.03, 0.04)  # None: the rule off
Setting = tuple[bool, float | None]  # (figure_stated, floor)


def _name(setting: Setting) -> str:
    stated, floor = setting
    rule = "no floor" if floor is None else f"share at least {floor:g}"
    return f"figure-stated rule {'on' if stated else 'off'}, {rule}"


def _shipped_setting(shipped: Admission) -> Setting:
    return (shipped.figure_stated, shipped.probability_floor)


def _about(shipped: Admission) -> str:
    """What the report says every row ran with: the shipped admission's other fields."""
    slot = (
        "a statement the admission drops keeps its place among the statements shown against a "
        "candidate of another passage than the lead's (``keeps_slot``, on as shipped)"
        if shipped.keeps_slot
        else "a dropped statement's place goes to the next candidate (``keeps_slot`` off as "
        "shipped)"
    )
    return f" In every row {slot}; the row marked (shipped) is the admission that ships."


FIT = GridFit(
    script="fit_probability_floor.py",
    results=PROJECT_ROOT / "bench" / "results" / "probability_floor.md",
    title="# The ranker's share a further statement must hold to join "
    "(bench/fit_probability_floor.py)",
    about="Each labelled question answered in process (top_k 10), with the shipped ranker, "
    "admission (its new-pages gain) and clause cut; scored as `planqa eval answers` scores "
    "it. A row: whether a further statement after a lead stating the asked figure must add a "
    "figure, compound, kind of answer or part (``figure_stated``), and the share of the "
    "ranker's probability over the candidates it must hold.",
    head=header("figure-stated rule, floor"),
    settings=[(r, f) for r in RULE for f in FLOORS],
    name=_name,
    off=(False, None),
    noun="setting",
    plural="Settings",
    pooled_rows=True,
    reported=("fresh test", "outside"),
)


def main() -> None:
    args = fitter_options(__doc__)
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)
    ships = _shipped_setting(shipped)
    fit = replace(
        FIT,
        about=FIT.about + _about(shipped),
        name=lambda setting: _name(setting) + (" (shipped)" if setting == ships else ""),
    )

    def apply(setting: Setting) -> None:
        # Only the two fields of the grid change: keeps_slot and the rest stay as shipped.
        stated, floor = setting
        service.selection.admission = replace(
            shipped, figure_stated=stated, probability_floor=floor
        )

    chosen = fit.run(args, service, sets, apply)
    if args.write:
        stated, floor = chosen.setting
        if stated != shipped.figure_stated:
            print(f"figure-stated rule {stated} chosen, shipped {shipped.figure_stated}")
        provenance = (
            chosen_on(FIT.script, "floor", sets, chosen.fitted)
            + f" from floors {[f for f in FLOORS if f is not None]} and off, the figure-stated"
            + " rule on and off"
            + f" ({MOST_FACTS_RULE}); "
            + estimated(FIT.results.name)
        )
        write_admission_field("probability_floor", floor, provenance)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
