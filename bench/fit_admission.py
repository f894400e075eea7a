"""Fit the admission model (answer/admission.py) and report it under cross-validation.

1. Rows. Every labelled question of own dev and the outside set is answered in process with
   a recording admission: each further statement the hand-set score admits is a row of
   ``answer.further.FEATURES`` as the code computes them at that point, labelled 1 when it
   states a gold fact the statements before it do not. The recorder admits exactly those (as
   a perfect admission would), so later rows see what a good admission leaves before them.
2. Model. A logistic regression on standardised features (scikit-learn), its L2 strength
   chosen by grouped k-fold log-loss over the rows; row-level CV figures (log-loss, AUC) are
   printed beside a margin-only model.
3. Gate and threshold, end to end. Each question of own dev and the outside set is answered
   at every threshold of ``THRESHOLDS`` behind every gate of ``GATES`` (a ranker margin the
   statement must come within first; the earlier fitted rule was margin 4 alone) with the
   model fitted without its fold (grouped by question), and scored as the eval scores it;
   threshold 0 is the gate alone (no gate: the hand-set score alone). The setting is chosen
   by ``choose``: the most facts
   (within ``FACT_SLACK``), then the best citation precision, then the shortest median
   answer; ``cross_validate`` estimates that choice (5 folds, 3 seeds; the threshold of each
   held-out question chosen on the others; the out-of-fold models share seed 0's folds, so
   the choice of the threshold sees answers of models that saw the held-out question, which
   is one scalar's worth of leak). The whole frontier (facts, precision, median length per
   threshold) is printed. The fresh test split is never used to fit or choose: the model
   fitted on own dev and outside answers it at each threshold, reported only.

``--write`` saves the weights (in raw feature units), the bias, the gate and threshold
chosen on own dev and the outside set together and how they were fitted to
data/answer/admission.json (no weights when the gate alone is chosen). Check the fresh
split's figures before shipping what it writes: a setting that loses facts there is not
kept (bench/results/admission.md says what was shipped and why). It
reads whatever ranker data/answer/ranker.json holds (the margin and probability features are
in its units), so rerun it after the ranker is refitted; it takes a few minutes.

    .venv/bin/python bench/fit_admission.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
from common.answer_runs import (
    ADMISSION_FIELDS,
    Scored,
    answer_all,
    header,
    labelled_sets,
    machine_line,
    row,
    summary,
)
from common.folds import FOLDS, SEEDS, cross_validate, folds
from common.options import fitter_options
from results_out import results_path, write_results

from answer.admission import DEFAULT_ADMISSION, Admission
from answer.further import FEATURES, Further
from answer.schemas import AskRequest
from api.app import build_service
from eval.answer_metrics import matchable
from eval.gold import GoldQuestion
from planqa.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results" / "admission.md"
NOTES = "## Notes (kept across runs)"
THRESHOLDS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
# The ranker's margin a statement must come within before the model reads it (None: no
# gate; with threshold 0 that is the hand-set admission alone, and a gate at threshold 0 is
# the earlier margin rule).
GATES: tuple[float | None, ...] = (None, 4.0, 3.0)
Setting = tuple[float | None, float]  # (gate, threshold)
PENALTIES = (0.03, 0.1, 0.3, 1.0, 3.0)  # scikit-learn's C (inverse L2 strength)
# Fact coverage this close to the best counts as a tie. 0: an answer keeps every fact it can
# (the objective); 0.01 (one question in a hundred) is reported beside it.
FACT_SLACK = 0.0
SLACKS = (0.0, 0.01)


T = TypeVar("T")


def choose(by_setting: dict[T, list[Scored]], slack: float = FACT_SLACK) -> T:
    """The setting an answer is best served by on these questions (see the docstring)."""
    figures = {m: summary(rows) for m, rows in by_setting.items()}
    best_facts = max(f["F"] for f in figures.values())
    near = [m for m, f in figures.items() if f["F"] >= best_facts - slack]
    return max(near, key=lambda m: (figures[m]["P"], -figures[m]["len"]))


# --- rows -----------------------------------------------------------------------------------
def adds_fact(further: Further, facts: Sequence[str]) -> bool:
    """Whether ``further`` states a gold fact the statements before it do not."""
    said = matchable("".join(further.before))
    own = matchable(further.shown)
    return any(matchable(f) and matchable(f) in own and matchable(f) not in said for f in facts)


class Recorder:
    """Records each further statement as a row and admits exactly those that add a fact."""

    weights = dict.fromkeys(FEATURES, 0.0)  # reads every feature, as a fitted model does
    margin = None
    # What selection reads of an admission beside ``admits`` (answer/extractive.select):
    # every statement read whole, never the lead alone. Selection came to read both after
    # this recorder was written, and the fit stopped at its first further statement.
    reads_features = True
    sure_lead = None
    keeps_slot = False  # every statement it drops gives its place to the next, to be read too

    def __init__(self) -> None:
        self.facts: Sequence[str] = ()
        self.group = ""
        self.rows: list[tuple[str, list[float], int]] = []

    def admits(self, further: Further) -> bool:
        label = adds_fact(further, self.facts)
        self.rows.append((self.group, [further.features[n] for n in FEATURES], int(label)))
        return label


def record(service, sets: dict[str, list[GoldQuestion]]) -> list[tuple[str, list[float], int]]:
    recorder = Recorder()
    service.selection.admission = recorder
    for name, questions in sets.items():
        for q in questions:
            recorder.facts, recorder.group = q.facts, f"{name}:{q.id}"
            request = AskRequest(question=q.question, history=q.history_messages(), top_k=10)
            asyncio.run(service.answer(request))
    return recorder.rows


# --- model ----------------------------------------------------------------------------------
def fit(x: np.ndarray, y: np.ndarray, penalty: float, names: Sequence[str] = FEATURES) -> Admission:
    """A logistic model on standardised features, returned in raw feature units (threshold
    0.5 until one is chosen)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=penalty, max_iter=2000).fit((x - mean) / scale, y)
    w = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (w * mean).sum())
    return Admission(dict(zip(names, map(float, w), strict=True)), bias, 0.5)


def _probabilities(model: Admission, x: np.ndarray) -> np.ndarray:
    w = np.array(list(model.weights.values()))
    return 1 / (1 + np.exp(-np.clip(x @ w + model.bias, -30, 30)))


def _auc(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else math.nan


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def row_cv(
    x: np.ndarray, y: np.ndarray, groups: Sequence[str], penalty: float, columns: Sequence[int]
) -> tuple[float, float]:
    """Out-of-fold log-loss and AUC over every seed, on the feature ``columns`` only."""
    losses, aucs = [], []
    for seed in SEEDS:
        p = np.zeros(len(y))
        for train, test in folds(groups, seed):
            names = [FEATURES[c] for c in columns]
            model = fit(x[np.ix_(train, columns)], y[train], penalty, names)
            p[test] = _probabilities(model, x[np.ix_(test, columns)])
        losses.append(_log_loss(p, y))
        aucs.append(_auc(p, y))
    return statistics.fmean(losses), statistics.fmean(aucs)


# --- main -----------------------------------------------------------------------------------
def _name(setting: Setting) -> str:
    gate, threshold = setting
    if threshold == 0:
        return "hand-set alone" if gate is None else f"margin {gate:g} alone"
    return f"{'no gate' if gate is None else f'margin {gate:g}'}, threshold {threshold:g}"


def within(x: np.ndarray, gate: float | None) -> np.ndarray:
    """Rows the gate lets the model read."""
    margin = x[:, FEATURES.index("ranker_margin")]
    return np.ones(len(x), bool) if gate is None else margin <= gate


def write_admission(saved: dict, path: Path) -> None:
    """Write this fit's fields (``saved``) to ``path``, the fields fitted one at a time given
    its model and gate (``ADMISSION_FIELDS``: what a statement citing new pages must add, how
    sure a lead shown alone must be) as they were: rerun those fits after this one."""
    before = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    later = [key for field in ADMISSION_FIELDS.items() for key in field]
    saved = saved | {key: before[key] for key in later if key in before}
    path.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("wrote", path)


def main() -> None:
    args = fitter_options(__doc__)
    started = time.time()
    sets = labelled_sets(args.outside)
    fitted = tuple(name for name in ("own dev", "own train", "outside") if name in sets)
    service = build_service(Settings())

    # 1. rows, from own dev and outside only
    rows = record(service, {name: sets[name] for name in fitted})
    x = np.array([r[1] for r in rows], dtype=float)
    y = np.array([r[2] for r in rows], dtype=float)
    row_groups = np.array([r[0] for r in rows])
    print(f"{len(rows)} rows, {int(y.sum())} add a fact", flush=True)

    # 2. per gate, the L2 strength by grouped CV log-loss; a margin-only model beside it
    all_columns = list(range(len(FEATURES)))
    by_penalty: dict[float | None, dict[float, tuple[float, float]]] = {}
    penalty: dict[float | None, float] = {}
    for gate in GATES:
        inside = within(x, gate)
        xs, ys, gs = x[inside], y[inside], list(row_groups[inside])
        by_penalty[gate] = {c: row_cv(xs, ys, gs, c, all_columns) for c in PENALTIES}
        penalty[gate] = min(by_penalty[gate], key=lambda c, g=gate: by_penalty[g][c][0])
    margin_only = row_cv(x, y, list(row_groups), 1.0, [FEATURES.index("ranker_margin")])

    # 3. end to end: each question with the model fitted without its fold, every setting
    questions = [q for name in fitted for q in sets[name]]
    groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
    sources = [name for name in fitted for _ in sets[name]]
    settings: list[Setting] = [(g, t) for g in GATES for t in THRESHOLDS]
    table: dict[Setting, list[Scored]] = {}
    for gate in GATES:
        service.selection.admission = None if gate is None else Admission.within(gate)
        table[(gate, 0.0)] = answer_all(service, questions)
        held: dict[float, list[Scored | None]] = {t: [None] * len(questions) for t in THRESHOLDS}
        for train, test in folds(groups, SEEDS[0]):
            keep = np.isin(row_groups, [groups[i] for i in train]) & within(x, gate)
            model = fit(x[keep], y[keep], penalty[gate])
            for threshold in THRESHOLDS[1:]:
                service.selection.admission = Admission(model.weights, model.bias, threshold, gate)
                answered = answer_all(service, [questions[i] for i in test])
                for i, scored in zip(test, answered, strict=True):
                    held[threshold][i] = scored
        for threshold in THRESHOLDS[1:]:
            table[(gate, threshold)] = [r for r in held[threshold] if r is not None]
        print(f"gate {gate} answered", flush=True)
    finals = {g: fit(x[within(x, g)], y[within(x, g)], penalty[g]) for g in GATES}
    fresh: dict[Setting, list[Scored]] = {}
    for gate, threshold in settings:
        model = finals[gate]
        service.selection.admission = (
            (None if gate is None else Admission.within(gate))
            if threshold == 0
            else Admission(model.weights, model.bias, threshold, gate)
        )
        fresh[(gate, threshold)] = answer_all(service, sets["fresh test"])

    def of(name: str, setting: Setting) -> dict[str, float]:
        if name == "fresh test":
            return summary(fresh[setting])
        return summary([r for r, s in zip(table[setting], sources, strict=True) if s == name])

    final = choose(table)
    gate = final[0]
    head = header("admission")
    lines = [
        "# Admission of further statements (bench/fit_admission.py)",
        "",
        machine_line() + "Each labelled question answered in process (top_k 10); scored as "
        "`planqa eval answers` scores it. The ranker is data/answer/ranker.json.",
        "",
        "## Rows and the model",
        "",
        f"{len(rows)} further statements the hand-set score admits on own dev and the outside "
        f"set; {int(y.sum())} state a gold fact the statements before them do not "
        f"({int(within(x, 4.0).sum())} rows within a ranker margin of 4, "
        f"{int(y[within(x, 4.0)].sum())} of them adding a fact).",
        "",
        "| rows the model reads | L2 (C) | CV log-loss | CV AUC |",
        "|---|---|---|---|",
        *(
            f"| {'all' if g is None else f'within margin {g:g}'} | {c:g} | {loss:.3f} | {auc:.3f} |"
            for g in GATES
            for c, (loss, auc) in by_penalty[g].items()
        ),
        f"| all, ranker margin only | 1 | {margin_only[0]:.3f} | {margin_only[1]:.3f} |",
        "",
        f"Grouped {FOLDS}-fold CV by question, seeds {SEEDS}. C chosen per gate: "
        + ", ".join(f"{'none' if g is None else g}: {penalty[g]:g}" for g in GATES)
        + f". Weights of the model fitted on all rows of the chosen gate ({gate}) in raw "
        "feature units:",
        "",
        "| feature | weight |",
        "|---|---|",
        *(f"| {n} | {finals[gate].weights[n]:+.3f} |" for n in FEATURES),
        f"| (bias) | {finals[gate].bias:+.3f} |",
        "",
        "## Frontier",
        "",
        "Own dev and outside: each question answered by the model fitted without its fold "
        f"(seed {SEEDS[0]}); fresh test: the model fitted on own dev and outside (never chosen "
        "on). facts / median chars / citation precision:",
        "",
        "| admission | own dev | outside | fresh test |",
        "|---|---|---|---|",
    ]
    for setting in settings:
        cells = []
        for name in ("own dev", "outside", "fresh test"):
            f = of(name, setting)
            cells.append(f"{f['F']:.3f} / {f['len']:.0f} / {f['P']:.3f}")
        lines.append(f"| {_name(setting)} | " + " | ".join(cells) + " |")
    lines.append("")
    for name in sets:
        lines += [f"## {name} ({len(sets[name])} questions)", "", head]
        lines += [row(_name(s), of(name, s)) for s in settings]
        lines.append("")

    baselines = ((None, 0.0), (4.0, 0.0))
    for slack in SLACKS:
        held_out, chosen = cross_validate(table, groups, lambda t, slack=slack: choose(t, slack))
        lines += [
            f"## Cross-validated setting, fact slack {slack:g} ({FOLDS} folds grouped by "
            f"question, seeds {SEEDS}; own dev and outside pooled; each question at the "
            "setting chosen without it)",
            "",
            head,
        ]
        for name in fitted:
            rows_cv = [r for i, r in held_out if sources[i] == name]
            lines.append(row(f"{name}, CV", summary(rows_cv)))
            lines += [row(f"{name}, {_name(b)}", of(name, b)) for b in baselines]
        lines.append("")
        counts = {_name(t): chosen.count(t) for t in dict.fromkeys(chosen)}
        lines.append(f"Settings chosen across the {len(chosen)} folds: {counts}.")
        lines.append("")
    lines.append(f"Chosen on own dev and outside together: **{_name(final)}**.")
    lines.append("")
    lines.append("Command: `.venv/bin/python bench/fit_admission.py --write`")
    kept = RESULTS.read_text(encoding="utf-8").partition(NOTES)[2] if RESULTS.is_file() else ""
    if kept:  # what a person wrote under the notes heading stays across runs
        lines += ["", NOTES + kept.rstrip("\n")]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        provenance = (
            f"bench/fit_admission.py, {time.strftime('%Y-%m-%d', time.gmtime())}: logistic "
            f"model (C {penalty[gate]:g} by grouped CV log-loss) on the further statements of "
            f"own dev ({len(sets['own dev'])}) and the outside set ({len(sets['outside'])}) "
            "the hand-set score admits, labelled by whether they state a gold fact the "
            f"statements before do not; gate (ranker margin) from {GATES} and threshold from "
            f"{THRESHOLDS} chosen end to end (most facts; within {FACT_SLACK} of them, the "
            "best citation precision, then the shortest median answer); estimated by "
            f"{FOLDS}-fold CV grouped by question, seeds {SEEDS} (bench/results/admission.md)"
            + ("; chosen: the gate alone, the model off (threshold 0)" if final[1] == 0 else "")
        )
        model = finals[gate]
        saved = {
            "weights": model.weights if final[1] > 0 else {},
            "bias": model.bias if final[1] > 0 else 0.0,
            "threshold": final[1],
            "margin": gate,
            "provenance": provenance,
        }
        write_admission(saved, DEFAULT_ADMISSION)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
