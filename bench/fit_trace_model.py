"""Fit the trace's link model (plantrace/link_model.py) under cross-validation grouped by plan label.

    python bench/fit_trace_model.py [--gold eval/gold/trace.jsonl] [--folds 5] [--repeats 5]
                                    [--c 0.1,0.3,1] [--no-meaning] [--write]

Every (measure, results section) pair of the bundled documents is a row: the rule linker's
signals (the structure prior among them, at the configured ``PLANQA_TRACE__…`` parameters)
and the content signals (plantrace/content_signals.py), read by the linker itself. A pair
is positive when the gold links the measure to one of the section's labels. Each fold fits
a logistic regression (standardised signals, L2 with inverse strength ``C``) on the other
folds' measures, picks the threshold with the best link F1 on them, and is scored on its own
measures by building the trace with that model (links and the figures shown, as
``planqa eval trace`` scores them). Folds are grouped by plan label, as in
bench/fit_trace.py (two ● on one page share their words and their links), with the same
shuffles, so the two benches' figures compare. ``--write`` fits on every measure with the
first ``--c`` and saves data/trace_model.json with the threshold chosen the same way.
``--no-meaning`` leaves out the chiVe signal (the linker without chiVe). Needs scikit-learn
(bench only) and chiVe (ja-ginza); no encoder; about a minute.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.trace_inputs import trace_inputs  # noqa: E402

from eval.trace import TRACE_GOLD, TraceGold, find_measure, score_trace  # noqa: E402
from index.build.sentence_step import embed_sentences  # noqa: E402
from index.sentence_vectors import shared_chive  # noqa: E402
from planqa.settings import PROJECT_ROOT  # noqa: E402
from plantrace import Overrides, Trace, build_trace  # noqa: E402
from plantrace.content_signals import passage_vectors  # noqa: E402
from plantrace.link_model import SIGNALS, LinkModel  # noqa: E402
from plantrace.model import Link  # noqa: E402
from plantrace.store import link_parameters  # noqa: E402

MODEL_FILE = PROJECT_ROOT / "data" / "trace_model.json"
THRESHOLDS = np.round(np.arange(0.1, 0.9, 0.025), 3)


class SignalRecorder:
    """Stands in for a LinkModel to read the table the linker builds for each measure."""

    threshold = 1.0

    def __init__(self) -> None:
        self.tables: list[np.ndarray] = []

    def probabilities(self, table: np.ndarray) -> np.ndarray:
        self.tables.append(table.copy())
        return np.zeros(len(table))


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=TRACE_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--c", default="0.3,0.1,1", help="L2 inverse strengths, comma-separated")
    parser.add_argument("--no-meaning", action="store_true", help="leave out the chiVe signal")
    parser.add_argument("--write", action="store_true", help=f"save the model to {MODEL_FILE}")
    parser.add_argument(
        "--errors", action="store_true", help="list the held-out misses and wrong links"
    )
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    inputs = trace_inputs(args.gold)
    settings, gold, chunks = inputs.settings, inputs.gold, inputs.chunks
    analyzer, counts, own_terms = inputs.analyzer, inputs.counts, inputs.own_terms
    vectors = np.zeros((len(chunks), 1))  # --no-meaning: every section's meaning is 0
    if not args.no_meaning:
        chive = shared_chive(settings.paths.var_dir / "cache", settings.retrieval.chive_dir)
        stored = embed_sentences(chunks, chive, settings.sudachi.dictionary)
        vectors = passage_vectors(chunks, stored.vector)
    parameters = link_parameters(settings)

    def trace_with(model: object) -> Trace:
        return build_trace(
            chunks,
            counts,
            analyzer.terms,
            Overrides(),
            parameters,
            own_terms,
            model,
            vectors,  # type: ignore[arg-type]
        )

    recorder = SignalRecorder()
    skeleton = trace_with(recorder)
    measures, sections = skeleton.measures, skeleton.sections
    row_of = {m.chunk_id: i for i, m in enumerate(measures)}
    label_of = {}
    for row in gold:
        found = find_measure(skeleton, row)
        if found is not None:
            label_of[found.chunk_id] = row
    tables = np.stack(recorder.tables)  # measures × sections × signals
    labelled = [m.chunk_id for m in measures if m.chunk_id in label_of]
    targets = np.asarray(
        [[bool(set(s.labels) & label_of[mid].results) for s in sections] for mid in labelled]
    )
    print(
        f"{len(labelled)} labelled measures × {len(sections)} sections, "
        f"{int(targets.sum())} linked pairs; signals {', '.join(SIGNALS)}"
        + (" (meaning left out)" if args.no_meaning else "")
    )

    def fitted(ids: list[str], c: float) -> LinkModel:
        x = tables[[row_of[m] for m in ids]].reshape(-1, len(SIGNALS))
        y = targets[[labelled.index(m) for m in ids]].reshape(-1)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        regression = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
        model = LinkModel(
            SIGNALS,
            tuple(mean.tolist()),
            tuple(scale.tolist()),
            tuple(regression.coef_[0].tolist()),
            float(regression.intercept_[0]),
            0.5,
        )
        rows: list[TraceGold] = [label_of[m] for m in ids]
        best = max(THRESHOLDS, key=lambda t: (f1(*light_scores(model, ids, t, rows)), t))
        return LinkModel(
            *[getattr(model, f) for f in ("signals", "mean", "scale", "weights", "bias")],
            float(best),
        )

    def light_scores(
        model: LinkModel, ids: list[str], threshold: float, rows: list[TraceGold]
    ) -> tuple[float, float]:
        links = []
        for mid in ids:
            probabilities = model.probabilities(tables[row_of[mid]])
            chosen = [k for k, p in enumerate(probabilities) if p >= threshold]
            for k in chosen or [int(np.argmax(probabilities))]:
                links.append(Link(mid, sections[k].key, 0.0, "content", ""))
        scores = score_trace(Trace(measures, sections, tuple(links)), rows)
        return scores.precision, scores.recall

    labels = list(dict.fromkeys(row.label for row in gold))
    name_of = {label: s.name for s in sections for label in s.labels}
    for c in (float(v) for v in args.c.split(",")):
        precisions, recalls, thresholds = [], [], []
        right = pairs = 0
        errors: Counter[tuple[str, str, str]] = Counter()
        for repeat in range(args.repeats):
            order = labels[:]
            random.Random(repeat).shuffle(order)
            for fold in range(args.folds):
                held = set(order[fold :: args.folds])
                train = [m for m in labelled if label_of[m].label not in held]
                model = fitted(train, c)
                thresholds.append(model.threshold)
                scores = score_trace(trace_with(model), [g for g in gold if g.label in held])
                precisions.append(scores.precision)
                recalls.append(scores.recall)
                right, pairs = right + scores.right_pairs, pairs + scores.pairs
                for error in scores.errors:
                    for kind in ("missed", "extra"):
                        errors.update(
                            (kind, error["measure"][:20], name_of[lab]) for lab in error[kind]
                        )
        print(
            f"\ngrouped CV ({args.folds}-fold × {args.repeats}), C {c:g}: "
            f"precision {statistics.mean(precisions):.3f} ± {statistics.stdev(precisions):.3f}  "
            f"recall {statistics.mean(recalls):.3f} ± {statistics.stdev(recalls):.3f}  "
            f"F1 {f1(statistics.mean(precisions), statistics.mean(recalls)):.3f}  "
            f"metric results shown {right / max(pairs, 1):.3f} ({right}/{pairs}); "
            f"thresholds picked median {statistics.median(thresholds):g}"
        )
        if args.errors:  # label links over the folds: 2 × repeats = always
            for (kind, measure, section), n in sorted(errors.items(), key=lambda e: -e[1]):
                print(f"  {kind:6} ×{n:2} {measure} → {section}")

    c = float(args.c.split(",")[0])
    model = fitted(labelled, c)
    model = LinkModel(
        model.signals,
        *(tuple(round(v, 6) for v in getattr(model, f)) for f in ("mean", "scale", "weights")),
        round(model.bias, 6),
        model.threshold,
        fitted_on=f"{args.gold.name}: {len(labelled)} measures, {int(targets.sum())} linked "
        f"section pairs; C {c:g}; bench/fit_trace_model.py",
    )
    scores = score_trace(trace_with(model), gold)
    print(
        f"\nall measures, C {c:g}, threshold {model.threshold:g}: in-sample precision "
        f"{scores.precision:.3f} recall {scores.recall:.3f} metric results shown "
        f"{scores.right_pairs}/{scores.pairs}"
    )
    print(
        "weights: "
        + ", ".join(f"{n} {w:+.2f}" for n, w in zip(SIGNALS, model.weights, strict=True))
    )
    if args.write:
        model.save(MODEL_FILE)
        print(f"saved {MODEL_FILE}")


if __name__ == "__main__":
    main()
