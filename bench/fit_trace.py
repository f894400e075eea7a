"""Choose the trace's link parameters by cross-validation over the labelled links.

    python bench/fit_trace.py [--gold eval/gold/trace.jsonl] [--folds 5] [--repeats 5]
                              [--min-chars 0,10,15,20,30] [--pages off,0.18,0.2,0.22]
                              [--metrics 0,0.05,0.1,0.2,0.3]

The linker (plantrace/linker.py) has five numbers: the weight of the structural cue (the
plan area names the results section), ``keep`` (link every section scoring at least that
share of the best), and for sections outside the measure's home area ``cross`` (the content
score must reach that share of the home section's; ``off`` links none by content) and
``depth`` (how many of a section's closest slides make its content score), ``min_chars``
(passages shorter than that, a chart's one-line fragments, take no part in the content
score; 0 = all do), ``page`` (a section outside the home area is also linked when its
closest report page has that cosine with the measure; ``off`` links none so), ``metric``
(added to a section's score when it states a figure on a metric the measure targets; 0 =
off). Folds are grouped by the measure's plan label (two ● on one page are held out
together: they share their words and their links). Each fold picks
the grid point with the best F1 on the other folds and is scored on its own measures; the
figure printed is the mean over folds and repeats, beside the in-sample score of the best
grid points (the optimism of picking on the same measures). Only ingestion and Sudachi
analysis run: no encoder, well under a minute.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.trace_inputs import trace_inputs  # noqa: E402

from eval.trace import TRACE_GOLD, TraceGold, score_trace  # noqa: E402
from plantrace import LinkParameters, Overrides, Trace, build_trace  # noqa: E402
from plantrace.store import link_parameters  # noqa: E402

WEIGHTS = (0.1, 0.2, 0.3, 0.5)
KEEPS = (0.7, 0.75, 0.8, 0.85, 0.9)
OFF = 99.0  # a cross share no section reaches: the structure-and-similarity linker alone
CROSSES = (0.75, 0.8, 0.85, 0.9, 0.95, 1.0, OFF)
DEPTHS = (1, 2, 3, 4, 5)
MIN_CHARS = "0,10,15,20,30"
PAGES = "off"
METRICS = "0"


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def name(point: LinkParameters) -> str:
    cross = "off" if point.cross == OFF else f"{point.cross:.2f}"
    page = "off" if point.page == OFF else f"{point.page:.2f}"
    return (
        f"{point.structure_weight:.1f}/{point.keep:.2f}/{cross}/{point.depth}/{point.min_chars}"
        f"/{page}/{point.metric:g}"
    )


def content_links(trace: Trace) -> int:
    return sum(link.source == "content" for link in trace.links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=TRACE_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--min-chars",
        default=MIN_CHARS,
        help="the min_chars values to try, comma-separated (0 = every passage counts)",
    )
    parser.add_argument(
        "--pages",
        default=PAGES,
        help="the page cosines to try, comma-separated (off = no link by one report page)",
    )
    parser.add_argument("--weights", default=",".join(map(str, WEIGHTS)))
    parser.add_argument("--keeps", default=",".join(map(str, KEEPS)))
    parser.add_argument(
        "--crosses", default=",".join("off" if c == OFF else str(c) for c in CROSSES)
    )
    parser.add_argument("--depths", default=",".join(map(str, DEPTHS)))
    parser.add_argument(
        "--metrics",
        default=METRICS,
        help="the metric-named-in-both weights to try, comma-separated (0 = off)",
    )
    args = parser.parse_args()

    inputs = trace_inputs(args.gold)
    settings, gold, chunks = inputs.settings, inputs.gold, inputs.chunks
    analyzer, counts, own_terms = inputs.analyzer, inputs.counts, inputs.own_terms
    min_chars = tuple(int(n) for n in args.min_chars.split(","))
    pages = tuple(OFF if v == "off" else float(v) for v in args.pages.split(","))
    metrics = tuple(float(v) for v in args.metrics.split(","))
    weights = tuple(float(v) for v in args.weights.split(","))
    keeps = tuple(float(v) for v in args.keeps.split(","))
    crosses = tuple(OFF if v == "off" else float(v) for v in args.crosses.split(","))
    depths = tuple(int(v) for v in args.depths.split(","))
    axes = (weights, keeps, crosses, depths, min_chars, pages, metrics)
    grid = [LinkParameters(*point) for point in product(*axes)]
    # Cross off, neither depth nor min_chars changes a link: one point stands for them all
    # (and the page rule stays off with it: that row is the linker before links by content).
    grid = [
        p
        for p in grid
        if p.cross != OFF or (p.depth, p.min_chars, p.page, p.metric) == (1, min_chars[0], OFF, 0)
    ]
    chosen = link_parameters(settings)
    if chosen not in grid:
        grid.append(chosen)
    traces = {
        point: build_trace(chunks, counts, analyzer.terms, Overrides(), point, own_terms)
        for point in grid
    }

    def scored(point: LinkParameters, rows: list[TraceGold]) -> tuple[float, float, float]:
        s = score_trace(traces[point], rows)
        return s.precision, s.recall, f1(s.precision, s.recall)

    def shown(point: LinkParameters, rows: list[TraceGold]) -> tuple[int, int]:
        """Metric results shown: the gold's target/result pairs the trace shows."""
        s = score_trace(traces[point], rows)
        return s.right_pairs, s.pairs

    def pick(rows: list[TraceGold], points: list[LinkParameters]) -> LinkParameters:
        # Ties go to the smaller structure weight, the larger keep, the stricter cross.
        return max(
            points,
            key=lambda p: (
                scored(p, rows)[2],
                -p.structure_weight,
                p.keep,
                p.cross,
                -p.depth,
                -p.min_chars,
                p.page,
                -p.metric,
            ),
        )

    print(f"{len(gold)} labelled measures, {len(chunks)} chunks; grid {len(traces)} points\n")
    print("in-sample, best 12 grid points: weight/keep/cross/depth/min_chars/page/metric → P R F1")
    ranked = sorted(grid, key=lambda point: -scored(point, gold)[2])
    for point in ranked[:12]:
        p, r, f = scored(point, gold)
        print(f"  {name(point):24} → {p:.3f} {r:.3f} {f:.3f}")

    for label, points in (
        ("structure and similarity only (cross off)", [p for p in grid if p.cross == OFF]),
        (
            "with links by content, every passage (min_chars 0), page rule off",
            [p for p in grid if not p.min_chars and p.page == OFF and not p.metric],
        ),
        (
            "with links by content, min_chars fitted too",
            [p for p in grid if not p.metric] if any(min_chars) else [],
        ),
        (
            "with links by content and by one report page (page fitted)",
            [p for p in grid if not p.min_chars and not p.metric] if len(pages) > 1 else [],
        ),
        (
            "page fitted, metric named in both (metric fitted)",
            [p for p in grid if not p.min_chars] if any(metrics) else [],
        ),
    ):
        if not points:
            continue
        picks: dict[LinkParameters, int] = {}
        precisions, recalls, f1s = [], [], []
        right_pairs = all_pairs = 0
        labels = list(dict.fromkeys(row.label for row in gold))
        for repeat in range(args.repeats):
            order = labels[:]
            random.Random(repeat).shuffle(order)
            for fold in range(args.folds):
                held_labels = set(order[fold :: args.folds])
                held = [g for g in gold if g.label in held_labels]
                train = [g for g in gold if g.label not in held_labels]
                best = pick(train, points)
                picks[best] = picks.get(best, 0) + 1
                p, r, f = scored(best, held)
                right, pairs = shown(best, held)
                right_pairs, all_pairs = right_pairs + right, all_pairs + pairs
                precisions.append(p)
                recalls.append(r)
                f1s.append(f)
        print(f"\ncross-validated ({args.folds}-fold × {args.repeats}), {label}:")
        for metric, values in (("precision", precisions), ("recall", recalls), ("F1", f1s)):
            print(f"  {metric:9} {statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")
        print(
            f"  metric results shown {right_pairs / max(all_pairs, 1):.3f} ({right_pairs}/{all_pairs})"
        )
        common = sorted(picks.items(), key=lambda item: -item[1])[:6]
        print("  picks: " + ", ".join(f"{name(point)} ×{n}" for point, n in common))

    p, r, f = scored(chosen, gold)
    right, pairs = shown(chosen, gold)
    trace = traces[chosen]
    print(
        f"\ndefaults {name(chosen)} in-sample: {p:.3f} {r:.3f} {f:.3f}; "
        f"{len(trace.links)} links, {content_links(trace)} by content outside the home area; "
        f"metric results shown {right}/{pairs}"
    )


if __name__ == "__main__":
    main()
