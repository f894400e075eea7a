"""Choose the trace's two link parameters by cross-validation over the labelled links.

    python bench/fit_trace.py [--gold eval/gold/trace.jsonl] [--folds 5] [--repeats 5]

The linker (plantrace/linker.py) has two numbers: the weight of the structural cue (the
plan area names the results section) and ``keep`` (link every section scoring at least
that share of the best). Each fold picks the grid point with the best F1 on the other
folds and is scored on its own measures; the figure printed is the mean over folds and
repeats, beside the in-sample score of every grid point (the optimism of picking on the
same measures). Only ingestion and Sudachi analysis run: no encoder, a few seconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.trace import TRACE_GOLD, TraceGold, load_trace_gold, score_trace  # noqa: E402
from index.analyzer import Analyzer, analyzer_config  # noqa: E402
from index.build.analysis_step import analyse_chunks  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from planqa.settings import Settings  # noqa: E402
from plantrace import LinkParameters, Overrides, build_trace  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2)
KEEPS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=TRACE_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    settings = Settings()
    gold = load_trace_gold(args.gold)
    chunks = ingest_paths([settings.paths.data_dir]).chunks
    analyzer = Analyzer(analyzer_config(settings))
    counts, _ = analyse_chunks(chunks, analyzer)
    traces = {
        (w, k): build_trace(chunks, counts, analyzer.terms, Overrides(), LinkParameters(w, k))
        for w, k in product(WEIGHTS, KEEPS)
    }

    def scored(grid_point, rows: list[TraceGold]):
        s = score_trace(traces[grid_point], rows)
        return s.precision, s.recall, f1(s.precision, s.recall)

    print(f"{len(gold)} labelled measures, {len(chunks)} chunks; grid {len(traces)} points\n")
    print("in-sample (all measures): weight keep → precision recall F1")
    for point in traces:
        p, r, f = scored(point, gold)
        print(f"  {point[0]:.1f} {point[1]:.2f} → {p:.3f} {r:.3f} {f:.3f}")

    picks: dict[tuple[float, float], int] = {}
    precisions, recalls, f1s = [], [], []
    for repeat in range(args.repeats):
        order = gold[:]
        random.Random(repeat).shuffle(order)
        for fold in range(args.folds):
            held = order[fold :: args.folds]
            train = [g for g in order if g not in held]
            best = max(traces, key=lambda point: (scored(point, train)[2], -point[0], point[1]))
            picks[best] = picks.get(best, 0) + 1
            p, r, f = scored(best, held)
            precisions.append(p)
            recalls.append(r)
            f1s.append(f)
    print(f"\ncross-validated ({args.folds}-fold × {args.repeats}): ")
    for name, values in (("precision", precisions), ("recall", recalls), ("F1", f1s)):
        print(f"  {name:9} {statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")
    print("  picks: " + ", ".join(f"{w:.1f}/{k:.2f} ×{n}" for (w, k), n in sorted(picks.items())))
    chosen = (settings.trace.structure_weight, settings.trace.keep)
    p, r, f = scored(chosen, gold)
    print(f"\ndefaults {chosen[0]}/{chosen[1]} in-sample: {p:.3f} {r:.3f} {f:.3f}")


if __name__ == "__main__":
    main()
