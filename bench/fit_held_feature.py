"""Fit one new ranker feature's weight with the shipped weights held, under grouped CV.

Records the ranker's candidate groups of own dev, the fresh test split, the questions
written to train (eval/gold/train/) and the outside set as bench/fit_ranker.py does, then
fits the weight of ``--feature`` alone with every other weight of data/answer/ranker.json
held (common.ranker_fit.fit_held: a full refit moved the score scale the admission margin and
the decline model were fitted to, and lost end to end: bench/results/ranker-train.md).
Prints, per set, the share of groups whose first-ranked sentence states every gold fact:
shipped weights, then each penalty under grouped 5-fold CV (3 seeds; a plan question is
scored by a weight that never saw it; weights learn from own dev and train only). The penalty with the best CV mean (ties: the larger)
is fitted on own dev and train; ``--write`` saves that weight into data/answer/ranker.json.
Keep it only when /work/notes/eval3.py and bench/jsquad_bench.py lose nothing with it.

``--misses`` also lists the training groups (own dev and train only: the fresh split and
the outside set are never read here) where the shipped first sentence is wrong and some
candidate states every fact, with the right one and the weighted feature differences.

    .venv/bin/python bench/fit_held_feature.py --feature owner_attribute [--feature …]
        --outside ../shared/eval/outside-questions.jsonl [--misses] [--write]
        [--jsquad-train DATA/test-v1.3.json --jsquad-limit 1500]

Several ``--feature`` are fitted together. ``--jsquad-train`` adds groups of JSQuAD test
questions asked over their own paragraphs (bench/common/ranker_groups.py ``record_jsquad``): they
join the training folds and are scored under CV like the plan sets; the valid split is
never read here.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from common.ranker_fit import (
    cell,
    cross_validate_held,
    first_right,
    fit_held,
    machine_line,
    save_weights,
)
from common.ranker_groups import (
    TRAINING,
    Group,
    Recorder,
    labelled_sets,
    record,
    record_jsquad,
    unranked,
)
from results_out import add_out_option, results_path, write_results

from answer.ranker import FEATURES, SentenceRanker
from api.app import build_service
from eval.gold import OUTSIDE_SET
from planqa.settings import PROJECT_ROOT

PENALTIES = (0.0, 0.001, 0.01, 0.1)
JSQUAD = "JSQuAD test"


class TextRecorder(Recorder):
    """The ranker benches' recorder keeping each group's question and candidates (for --misses)."""

    def scores(self, candidates, question):  # type: ignore[no-untyped-def]
        before = len(self.groups)
        scores = super().scores(candidates, question)
        if len(self.groups) > before:
            self.groups[-1].texts = (question, list(candidates))  # type: ignore[attr-defined]
        return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--feature", required=True, choices=FEATURES, action="append", help="repeat: fit together"
    )
    parser.add_argument(
        "--jsquad-train",
        type=Path,
        help="JSQuAD test-v1.3.json: its groups join the training folds and are scored under CV",
    )
    parser.add_argument("--jsquad-limit", type=int, default=None, help="JSQuAD questions asked")
    parser.add_argument(
        "--outside",
        type=Path,
        default=OUTSIDE_SET,
    )
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    sets = labelled_sets(args.outside)
    groups = record(sets, build_service(unranked()), TextRecorder)
    sources = list(sets)
    training = list(TRAINING)
    if args.jsquad_train:
        public = record_jsquad(args.jsquad_train, JSQUAD, args.jsquad_limit, TextRecorder)
        groups += public
        sources.append(JSQUAD)
        training.append(JSQUAD)
    ranker = SentenceRanker.load()
    assert ranker is not None
    held = np.asarray(ranker.weights)
    columns = [FEATURES.index(name) for name in args.feature]
    direction = joint_directions(args.feature)
    base = np.where(direction.any(axis=1), 0.0, held)
    name = "+".join(args.feature)
    counts = {s: sum(g.source == s for g in groups) for s in sources}
    fires = {s: sum(bool(g.x[:, columns].any()) for g in groups if g.source == s) for s in sources}
    if args.misses:
        _print_misses([g for g in groups if g.source in TRAINING], base)
    lines = [
        f"# `{name}` fitted with the shipped weights held (bench/fit_held_feature.py)",
        "",
        f"{machine_line()} Share of groups "
        "whose first-ranked sentence states every gold fact (groups: "
        + ", ".join(f"{s} {counts[s]}" for s in sources)
        + f"; groups where `{name}` is not 0 for some candidate: "
        + ", ".join(f"{s} {fires[s]}" for s in sources)
        + "). CV: 5 folds grouped by question, 3 seeds; each fold's weight is fitted on the "
        "other folds of own dev and train (the sets the saved weight learns from"
        + (f", and {JSQUAD}" if args.jsquad_train else "")
        + "), so the fresh test split and the outside set are never fitted on.",
        "",
        "| penalty | " + " / ".join(sources) + " (mean) | w across folds | w on own dev + train |",
        "|---|---|---|---|",
    ]
    shipped = {s: first_right([g for g in groups if g.source == s], base) for s in sources}
    lines.append(f"| shipped weights, w = 0 | {cell(shipped, sources)} | — | — |")
    as_shipped = {s: first_right([g for g in groups if g.source == s], held) for s in sources}
    lines.append(f"| shipped weights as they are | {cell(as_shipped, sources)} | — | — |")
    training_groups = [g for g in groups if g.source in training]
    estimates, fitted = {}, {}
    for penalty in PENALTIES:
        cv, chosen = cross_validate_held(groups, held, direction, penalty, train_on=training)
        estimates[penalty] = statistics.mean(cv[s] for s in sources)
        fitted[penalty] = fit_held(training_groups, held, direction, penalty)
        spans = [
            f"{min(w[k] for w in chosen):.2f} to {max(w[k] for w in chosen):.2f}"
            for k in range(len(columns))
        ]
        lines.append(
            f"| {penalty:g} | {cell(cv, sources)} | {', '.join(spans)} "
            f"| {', '.join(f'{w:.3f}' for w in fitted[penalty])} |"
        )
        print(lines[-1], flush=True)
    penalty = max(PENALTIES, key=lambda p: (round(estimates[p], 6), p))
    lines += [
        "",
        f"Chosen by the CV mean: penalty {penalty:g}; on own dev + train"
        + (f" + {JSQUAD}" if args.jsquad_train else "")
        + f" w = {', '.join(f'{w:.4f}' for w in fitted[penalty])}"
        + (" (written to data/answer/ranker.json)." if args.write else "."),
        "",
        "Command: `bench/fit_held_feature.py "
        + " ".join(f"--feature {f}" for f in args.feature)
        + " --outside /work/shared/eval/outside-questions.jsonl"
        + (" --jsquad-train DATA/test-v1.3.json" if args.jsquad_train else "")
        + (f" --jsquad-limit {args.jsquad_limit}" if args.jsquad_limit else "")
        + (" --write" if args.write else "")
        + "`",
    ]
    results = PROJECT_ROOT / "bench" / "results" / f"held-{name}.md"
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(results, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        for feature, weight in zip(args.feature, fitted[penalty], strict=True):
            _write(feature, float(weight), penalty, results, public=bool(args.jsquad_train))


def joint_directions(names: Sequence[str], features: Sequence[str] = FEATURES) -> np.ndarray:
    """fit_held's directions (features × names) that fit each named weight on its own column,
    jointly: a new feature fitted beside the weight it may stand in for (a score share beside
    ``inverse_rank``) frees that weight from its shipped value, which fitting the new one
    alone keeps."""
    directions = np.zeros((len(features), len(names)))
    for k, name in enumerate(names):
        directions[features.index(name), k] = 1.0
    return directions


def _print_misses(groups: list[Group], weights: np.ndarray) -> None:
    """Training groups the shipped ranker gets wrong though a candidate answers."""
    for g in groups:
        scores = g.x @ weights
        top = int(np.argmax(scores))
        if g.positive[top]:
            continue
        right = max(np.flatnonzero(g.positive), key=lambda j: scores[j])
        question, candidates = g.texts  # type: ignore[attr-defined]
        print(f"\n{g.source} {g.question_id}: {question}")
        for name, j in (("chosen", top), ("right", right)):
            c = candidates[j]
            print(
                f"  {name} {scores[j]:+.2f} context {c.rank} sentence {c.position} "
                f"{c.chunk.kind}: {c.shown[:120]}"
            )
        diff = (g.x[top] - g.x[right]) * weights
        order = np.argsort(-np.abs(diff))[:5]
        print("  chosen − right: " + ", ".join(f"{FEATURES[k]} {diff[k]:+.2f}" for k in order))


def _write(feature: str, weight: float, penalty: float, results: Path, public: bool) -> None:
    note = (
        f"; {feature} fitted by bench/fit_held_feature.py {time.strftime('%Y-%m-%d')} on own "
        f"dev and train{' and JSQuAD test' if public else ''} with the other weights held, L2 {penalty:g} chosen by grouped 5-fold "
        f"CV ({results.relative_to(PROJECT_ROOT)})"
    )
    save_weights({feature: round(weight, 4)}, note, f"; {feature} fitted")


if __name__ == "__main__":
    main()
