"""The asked side as ranker features, under bench/fit_ranker.py's grouped cross-validation.

Records the ranker's candidate groups once (as fit_ranker does): the ranker's own columns
end with whether the passage is of the side the question asks about, or of the other
side, as ``question.side.asked_side`` reads it; the recorder appends the same pair read by
the cue strings (``question.intent.asks``, the reading tried before:
bench/results/ranker-features.md) and by the grammar alone. Prints first-ranked accuracy
per set for the features before the pair and with each pair, refitting every weight: plan
CV (5 folds grouped by question, 3 seeds) and JSQuAD test + plan groups (plan ×10). Then
the shipped weights held and the pair's one weight (asked = -other) fitted alone, under the
same CV at a few penalties; ``--write`` saves that weight, fitted on own dev at the penalty
CV chooses, into data/answer/ranker.json (a full refit moved the other weights and lost
end to end before). Writes the tables to bench/results/side-features.md.

    .venv/bin/python bench/side_features.py --outside ../shared/eval/outside-questions.jsonl
        [--jsquad-train DATA/test-v1.3.json --jsquad-valid DATA/valid-v1.3.json
         --jsquad-limit 1500] [--write]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common.ranker_fit import (  # noqa: E402
    cell,
    cross_validate,
    cross_validate_held,
    first_right,
    fit,
    fit_held,
    machine_line,
    save_weights,
    scale_of,
    weighted,
)
from common.ranker_groups import (  # noqa: E402
    Group,
    Recorder,
    labelled_sets,
    record,
    record_jsquad,
    unranked,
)
from results_out import add_out_option, results_path, write_results  # noqa: E402

from answer.passage_side import side_features  # noqa: E402
from answer.ranker import FEATURES  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET  # noqa: E402
from planqa.settings import PROJECT_ROOT  # noqa: E402
from question.intent import asks  # noqa: E402
from question.side import Side, read_side  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "side-features.md"
# The ranker's own columns end with the two side features (answer/ranker.py); the
# recorder appends the same pair read two other ways.
SHIPPED = FEATURES.index("asked_side")
EXTRA = len(FEATURES)  # where the recorder's appended columns start
COLUMNS = {
    "the 16 features (all refitted)": [],
    "+ side by grammar (question.side)": [SHIPPED, SHIPPED + 1],
    "+ side by cue strings (intent.asks)": [EXTRA, EXTRA + 1],
    "+ side by grammar alone (no cue fallback)": [EXTRA + 2, EXTRA + 3],
}
PENALTIES = (0.0, 0.01, 0.1)


def _asks_side(question: str) -> Side | None:
    wants_results, wants_plans = asks(question)
    if wants_results == wants_plans:
        return None
    return "results" if wants_results else "plan"


class SideRecorder(Recorder):
    """The ranker benches' recorder with the side columns appended to each group it records."""

    def scores(self, candidates, question):  # type: ignore[no-untyped-def]
        before = len(self.groups)
        scores = super().scores(candidates, question)
        if len(self.groups) > before:
            group = self.groups[-1]
            cues, alone = _asks_side(question), read_side(question).side
            extra = np.asarray(
                [side_features(c.chunk, cues) + side_features(c.chunk, alone) for c in candidates]
            )
            group.x = np.hstack([group.x, extra])
        return scores


def _only(groups: Sequence[Group], extra: list[int]) -> list[Group]:
    keep = list(range(SHIPPED)) + extra
    return [
        Group(g.question_id, g.source, g.x[:, keep], g.positive, g.hand, g.weight) for g in groups
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outside",
        type=Path,
        default=OUTSIDE_SET,
    )
    parser.add_argument("--jsquad-train", type=Path)
    parser.add_argument("--jsquad-valid", type=Path)
    parser.add_argument("--jsquad-limit", type=int, default=None)
    parser.add_argument(
        "--write",
        action="store_true",
        help="save the side weight chosen by CV (fitted on own dev) into data/answer/ranker.json",
    )
    add_out_option(parser)
    args = parser.parse_args()
    sets = labelled_sets(args.outside, train=False)
    started = time.perf_counter()
    groups = record(sets, build_service(unranked()), SideRecorder)
    train = record_jsquad(args.jsquad_train, "JSQuAD test", args.jsquad_limit, SideRecorder)
    valid = record_jsquad(args.jsquad_valid, "JSQuAD valid", args.jsquad_limit, SideRecorder)
    print(
        f"recorded {len(groups)} plan groups in {time.perf_counter() - started:.0f} s", flush=True
    )
    sources = list(dict.fromkeys(g.source for g in groups))
    counts = {s: sum(g.source == s for g in groups) for s in sources}
    moved = {
        s: sum(
            not np.array_equal(g.x[:, SHIPPED : SHIPPED + 2], g.x[:, EXTRA : EXTRA + 2])
            for g in groups
            if g.source == s
        )
        for s in sources
    }
    lines = [
        "# The asked side as ranker features (bench/side_features.py)",
        "",
        f"{machine_line()} First-ranked "
        "sentence states every gold fact, per set (groups: "
        + ", ".join(f"{s} {counts[s]}" for s in sources)
        + "; groups whose side columns differ between the two readings: "
        + ", ".join(f"{s} {moved[s]}" for s in sources)
        + "). Plan CV: 5 folds grouped by question, 3 seeds.",
        "",
    ]
    header = "| features | " + " | ".join(
        [f"plan CV L2 {p:g}" for p in (0.001, 0.01)]
        + (["JSQuAD test + plan ×10 CV, L2 0.001", "JSQuAD valid"] if train else [])
    )
    lines += [header + " |", "|---|" + "---|" * (header.count("|") - 1)]
    for name, extra in COLUMNS.items():
        plan = _only(groups, extra)
        cells = []
        for penalty in (0.001, 0.01):
            cv = cross_validate(plan, penalty)
            cells.append(cell(cv, sources))
        if train:
            public = _only(train, extra)
            cv = cross_validate(plan, 0.001, extra=public, plan_weight=10.0)
            cells.append(cell(cv, sources))
            both = [*public, *weighted(plan, 10.0)]
            weights = fit(both, 0.001, scale_of(both))
            cells.append(f"{first_right(_only(valid, extra), weights):.3f}" if valid else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    from answer.ranker import SentenceRanker

    shipped = np.asarray(SentenceRanker.load().weights[:SHIPPED])  # type: ignore[union-attr]
    grammar = _only(groups, COLUMNS["+ side by grammar (question.side)"])
    lines += [
        "",
        "The shipped 16 weights held and one weight w fitted on (asked side − other side), "
        "plan CV (the shipped weights were fitted on own dev, so only fresh test and outside "
        "are held out from them):",
        "",
        "| penalty | CV own dev / fresh test / outside (mean) | w across folds | w on own dev |",
        "|---|---|---|---|",
    ]
    alone = {
        source: first_right(
            [g for g in groups if g.source == source],
            np.append(shipped, [0.0] * len(extra_of(groups))),
        )
        for source in sources
    }
    lines.append(f"| shipped weights, w = 0 | {cell(alone, sources)} | — | — |")
    estimates = {}
    for penalty in PENALTIES:
        cv, chosen = cross_validate_frozen(grammar, shipped, penalty)
        estimates[penalty] = statistics.mean(cv[s] for s in sources)
        dev_w = frozen_side_weight([g for g in grammar if g.source == "own dev"], shipped, penalty)
        lines.append(
            f"| {penalty:g} | {cell(cv, sources)} | {min(chosen):.2f} to {max(chosen):.2f} "
            f"| {dev_w:.3f} |"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        "Cells: own dev / fresh test / outside (mean). Command: `bench/side_features.py "
        "--outside /work/shared/eval/outside-questions.jsonl"
        + (
            f" --jsquad-train DATA/test-v1.3.json --jsquad-valid DATA/valid-v1.3.json "
            f"--jsquad-limit {args.jsquad_limit}"
            if train
            else ""
        )
        + "`",
    ]
    penalty = max(PENALTIES, key=lambda p: (estimates[p], p))
    weight = frozen_side_weight([g for g in grammar if g.source == "own dev"], shipped, penalty)
    lines += [
        "",
        f"Chosen by the CV mean: penalty {penalty:g}; on own dev w = {weight:.4f}"
        + (" (written to data/answer/ranker.json)." if args.write else "."),
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        _write(weight, penalty)


def _write(weight: float, penalty: float) -> None:
    note = (
        f"; asked_side = -other_side fitted by bench/side_features.py {time.strftime('%Y-%m-%d')} "
        f"on own dev with the other weights held, L2 {penalty:g} chosen by grouped 5-fold CV "
        "(bench/results/side-features.md)"
    )
    pair = {"asked_side": round(weight, 4), "other_side": -round(weight, 4)}
    save_weights(pair, note, "; asked_side")


def _side_direction(width: int) -> np.ndarray:
    """The one fitted direction: asked_side up by w, other_side down by w."""
    direction = np.zeros((width, 1))
    direction[SHIPPED, 0], direction[SHIPPED + 1, 0] = 1.0, -1.0
    return direction


def frozen_side_weight(groups: Sequence[Group], shipped: np.ndarray, penalty: float) -> float:
    """The one weight w of (asked side − other side), the shipped 16 weights held
    (common.ranker_fit.fit_held)."""
    width = groups[0].x.shape[1]
    held = np.append(shipped, np.zeros(width - len(shipped)))
    return float(fit_held(groups, held, _side_direction(width), penalty)[0])


def cross_validate_frozen(
    groups: list[Group], shipped: np.ndarray, penalty: float, seeds: int = 3
) -> tuple[dict[str, float], list[float]]:
    """The ranker benches' grouped CV, each fold fitting only the side weight on the shipped ones."""
    width = groups[0].x.shape[1]
    held = np.append(shipped, np.zeros(width - len(shipped)))
    cv, chosen = cross_validate_held(groups, held, _side_direction(width), penalty, seeds)
    return cv, [float(w[0]) for w in chosen]


def extra_of(groups: Sequence[Group]) -> range:
    return range(SHIPPED, groups[0].x.shape[1])


if __name__ == "__main__":
    main()
