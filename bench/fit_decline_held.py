"""Fit one added decline signal's weight with the shipped weights held (answer.decline).

    .venv/bin/python bench/fit_decline_held.py --rows FILE --add value_unbound [--write]

Refitting every weight of the decline model on new rows moves the whole boundary: each
refit measured so far declined an answerable own or outside question more end to end,
though it gained under cross-validation (bench/results/decline_model.md). Here the shipped
model's logit is held as an offset and only the added signal's weight is chosen, from a
grid, by the criterion of bench/fit_decline.py under the same grouped, stratified k-fold
cross-validation (a JSQuAD article's questions share a fold): within each fold the weight is
chosen on the training part among those keeping the worse in-domain false-decline rate
(own dev, own train, outside) within ``MAX_FALSE_DECLINES`` and JSQuAD asked of its own
paragraphs within ``MAX_JSQUAD_FALSE_DECLINES`` (or, when the shipped model is already
over a limit, not above it), the smallest weight on a tie; the held-out part is scored.
The rows are bench/fit_decline.py's (``--rows`` as saved by it). ``--write`` writes
data/decline_model.json: the shipped weights and the weight chosen on every training row.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from common import ROOT
from common.decline_fit import (
    ANSWERABLE_IN_DOMAIN,
    MAX_FALSE_DECLINES,
    MAX_JSQUAD_FALSE_DECLINES,
    REPORT_ORDER,
    TRAIN_SETS,
    Data,
    code_version,
    criterion,
    error_rates,
    grouped_folds,
    in_domain_false_declines,
    mask_of,
)
from decline_features import load

from answer.decline import MODEL_PATH, DeclineSignals

# The added signal speaks against answering: its weight is 0 or negative (0, -0.25, … -4);
# the smallest in size is taken on a tie.
GRID = tuple(-step / 4 for step in range(17))


def held_logits(data: Data, model: dict) -> np.ndarray:
    """The shipped model's logit for every row (its weights over the rows' signals)."""
    weights = np.asarray([model["weights"][name] for name in DeclineSignals.names()])
    return data.x @ weights + model["bias"]


# The answerable sets whose false declines are each held within the limit: the fitter's
# (own dev, own train, outside); ``--constrain`` measures another choice.
CONSTRAINED = list(ANSWERABLE_IN_DOMAIN)


# The margin bench/fit_decline.py grants JSQuAD's false declines when it adds a signal
# (the CV spread, ~0.001, and the gain a criterion must clear).
JSQUAD_MARGIN = 0.002


def limits(data: Data, base: np.ndarray) -> tuple[float, float]:
    """The false-decline limits a weight must keep, as bench/fit_decline.py adds a signal:
    in domain the target, or the shipped model's rate where it is already over it (it may
    not rise); JSQuAD the target or the shipped rate, with ``JSQUAD_MARGIN``."""
    answered = base >= 0
    in_domain = max(MAX_FALSE_DECLINES, in_domain_false_declines(data, answered, CONSTRAINED))
    jsquad = max(MAX_JSQUAD_FALSE_DECLINES, error_rates(data, answered).get("jsquad-own-test", 0))
    return in_domain, jsquad + JSQUAD_MARGIN


def pick(data: Data, base: np.ndarray, column: int) -> float:
    """The weight (added to the held logit, times the signal) with the lowest criterion
    among those within the false-decline limits; the smallest on a tie; 0 when none."""
    in_domain_limit, jsquad_limit = limits(data, base)
    best = (criterion(data, base >= 0), 0.0)
    for weight in GRID[1:]:
        answered = base + weight * data.x[:, column] >= 0
        if in_domain_false_declines(data, answered, CONSTRAINED) > in_domain_limit:
            continue
        if error_rates(data, answered).get("jsquad-own-test", 0.0) > jsquad_limit:
            continue
        score = criterion(data, answered)
        if score < best[0] - 1e-9:
            best = (score, weight)
    return best[1]


def cross_validated(
    data: Data, base: np.ndarray, column: int, folds: int, repeats: int
) -> tuple[list[np.ndarray], list[float]]:
    """Per repeat, whether each row was answered with a weight chosen without its group;
    and every fold's chosen weight."""
    runs = [np.zeros(len(data.y), dtype=bool) for _ in range(repeats)]
    chosen = []
    for seed, train, test in grouped_folds(data, folds, repeats):
        mask = mask_of(len(data.y), train)
        weight = pick(data.subset(mask), base[mask], column)
        chosen.append(weight)
        runs[seed][test] = base[test] + weight * data.x[test, column] >= 0
    return runs, chosen


def main(argv: Sequence[str] | None = None) -> None:
    global JSQUAD_MARGIN  # --jsquad-margin: read by ``limits`` in every fold
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=Path, required=True, help="rows saved by fit_decline.py")
    parser.add_argument("--add", required=True, help="the signal whose weight is fitted")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write data/decline_model.json")
    parser.add_argument(
        "--jsquad-margin",
        type=float,
        default=JSQUAD_MARGIN,
        help="rise in JSQuAD's own-paragraph false declines a weight may cost (0: none)",
    )
    parser.add_argument(
        "--constrain",
        default=",".join(ANSWERABLE_IN_DOMAIN),
        help="answerable sets each held within the false-decline limit (a measurement)",
    )
    args = parser.parse_args(argv)
    CONSTRAINED[:] = [name.strip() for name in args.constrain.split(",") if name.strip()]
    JSQUAD_MARGIN = args.jsquad_margin
    names = DeclineSignals.names()
    if args.add not in names:
        raise SystemExit(
            f"--add: 知らない信号名です / unknown signal name: {args.add}. "
            f"次から選んでください / choose among: {', '.join(names)}"
        )
    column = names.index(args.add)
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if shipped["weights"][args.add]:
        raise SystemExit(
            f"{args.add} は既に重みを持っています / already weighed in {MODEL_PATH.name}: "
            "restore the model it was added to (git checkout) and rerun"
        )
    everything = Data(load(args.rows))
    train = everything.subset(np.isin(everything.sets, TRAIN_SETS))
    base_all = held_logits(everything, shipped)
    base = held_logits(train, shipped)
    runs, chosen = cross_validated(train, base, column, args.folds, args.repeats)
    weight = pick(train, base, column)
    before = statistics.fmean(criterion(train, base >= 0) for _ in runs)
    after = statistics.fmean(criterion(train, run) for run in runs)
    print(f"# Held-weight fit of {args.add} (bench/fit_decline_held.py), {code_version()}\n")
    print(f"rows: {args.rows.name}; grouped stratified {args.folds}-fold CV × {args.repeats}")
    print(f"false declines held within the limit on each of: {', '.join(CONSTRAINED)}")
    print(f"JSQuAD own-paragraph false declines may rise by: {JSQUAD_MARGIN:g}")
    print(f"weights chosen per fold: {', '.join(f'{w:g}' for w in chosen)}")
    print(f"weight on every training row: {weight:g}")
    print(f"CV criterion: shipped {before:.4f} → with {args.add} {after:.4f}\n")
    answered_shipped = base_all >= 0
    answered_final = base_all + weight * everything.x[:, column] >= 0
    shipped_rates = error_rates(everything, answered_shipped)
    final = error_rates(everything, answered_final)
    per_run = [error_rates(train, run) for run in runs]

    def shown_rate(name: str, rate: float) -> float:
        return rate if everything.y[everything.sets == name][0] else 1 - rate

    print("| set | rows | measure | shipped | held fit |\n|---|---|---|---|---|")
    for name in REPORT_ORDER:
        if name not in final:
            continue
        answerable = bool(everything.y[everything.sets == name][0])
        measure = "false declines" if answerable else "declined"

        def shown(rate: float, answerable: bool = answerable) -> float:
            return rate if answerable else 1 - rate

        if name in per_run[0]:
            value = statistics.fmean(r[name] for r in per_run)
            figure = f"{shown(value):.3f} (CV)"
        else:
            figure = f"{shown(final[name]):.3f} (held out)"
        rows = int((everything.sets == name).sum())
        print(f"| {name} | {rows} | {measure} | {shown(shipped_rates[name]):.3f} | {figure} |")
    if args.write and weight:
        shipped["weights"][args.add] = weight
        shipped["signals_left_out"] = [n for n in shipped["signals_left_out"] if n != args.add]
        earlier = shipped.pop("held_weight_fit", None)
        if earlier is not None:  # an earlier signal's fit keeps its provenance
            shipped["held_weight_fits_before"] = [
                *shipped.get("held_weight_fits_before", []),
                earlier,
            ]
        shipped["held_weight_fit"] = {
            "signal": args.add,
            "weight": weight,
            "fitted_by": f"bench/fit_decline_held.py ({code_version()})",
            "cv_criterion": {"shipped": round(before, 4), "held fit": round(after, 4)},
            "folds": args.folds,
            "repeats": args.repeats,
            # As the file's "figures" says: false declines for the answerable sets, the
            # share declined for the others.
            "cross_validated": {
                name: round(shown_rate(name, statistics.fmean(r[name] for r in per_run)), 3)
                for name in per_run[0]
            },
            "held_out_final_model": {
                name: round(shown_rate(name, final[name]), 3)
                for name in final
                if name not in TRAIN_SETS
            },
            "false_declines_held_on": list(CONSTRAINED),
            "jsquad_margin": JSQUAD_MARGIN,
        }
        MODEL_PATH.write_text(json.dumps(shipped, ensure_ascii=False, indent=1) + "\n")
        print(f"\nwrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
