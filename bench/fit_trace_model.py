"""Fit the trace's link model (plantrace/link_model.py) under cross-validation grouped by plan label.

    python bench/fit_trace_model.py [--gold eval/gold/trace.jsonl] [--folds 5] [--repeats 5]
                                    [--c 0.1,0.3,1] [--seed 0] [--no-meaning] [--write]

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
``--no-meaning`` leaves out the chiVe signal (the linker without chiVe); ``--seed`` shuffles
the folds otherwise (how much of a difference is the partition's). The fit and the folds
are bench/common/trace_model_fit.py's, shared with bench/trace_candidates.py. Needs scikit-learn
(bench only) and chiVe (ja-ginza); no encoder; about a minute.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.trace_inputs import trace_inputs  # noqa: E402
from common.trace_model_fit import (  # noqa: E402
    SignalRecorder,
    f1,
    fit_link_model,
    held_out_labels,
    link_tables,
)

from eval.trace import TRACE_GOLD, score_trace  # noqa: E402
from index.build.sentence_step import embed_sentences  # noqa: E402
from index.sentence_vectors import shared_chive  # noqa: E402
from planqa.settings import PROJECT_ROOT  # noqa: E402
from plantrace import Overrides, Trace, build_trace  # noqa: E402
from plantrace.content_signals import passage_vectors  # noqa: E402
from plantrace.link_model import SIGNALS, LinkModel  # noqa: E402
from plantrace.store import link_parameters  # noqa: E402

MODEL_FILE = PROJECT_ROOT / "data" / "trace_model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=TRACE_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--c", default="0.3,0.1,1", help="L2 inverse strengths, comma-separated")
    parser.add_argument(
        "--seed", type=int, default=0, help="first shuffle of the repeats (0: fit_trace.py's)"
    )
    parser.add_argument("--no-meaning", action="store_true", help="leave out the chiVe signal")
    parser.add_argument("--write", action="store_true", help=f"save the model to {MODEL_FILE}")
    parser.add_argument(
        "--errors", action="store_true", help="list the held-out misses and wrong links"
    )
    args = parser.parse_args()
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
    data = link_tables(trace_with(recorder), recorder, gold)
    labelled, label_of, sections = data.labelled, data.label_of, data.sections
    print(
        f"{len(labelled)} labelled measures × {len(sections)} sections, "
        f"{int(data.targets.sum())} linked pairs; signals {', '.join(SIGNALS)}"
        + (" (meaning left out)" if args.no_meaning else "")
    )

    name_of = {label: s.name for s in sections for label in s.labels}
    for c in (float(v) for v in args.c.split(",")):
        precisions, recalls, thresholds = [], [], []
        right = pairs = 0
        errors: Counter[tuple[str, str, str]] = Counter()
        for held in held_out_labels(gold, args.folds, args.repeats, args.seed):
            train = [m for m in labelled if label_of[m].label not in held]
            model = fit_link_model(data, train, c, SIGNALS)
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
    model = fit_link_model(data, labelled, c, SIGNALS)
    model = LinkModel(
        model.signals,
        *(tuple(round(v, 6) for v in getattr(model, f)) for f in ("mean", "scale", "weights")),
        round(model.bias, 6),
        model.threshold,
        fitted_on=f"{args.gold.name}: {len(labelled)} measures, {int(data.targets.sum())} linked "
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
