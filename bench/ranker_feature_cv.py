"""Feature sets of the sentence ranker compared under bench/fit_ranker.py's CV protocol.

Records the candidate groups once (own dev, fresh test, outside; JSQuAD test as public
training data, JSQuAD valid to report), then for each feature set: plan CV (5 folds grouped
by question × 3 seeds) and JSQuAD + plan (×10) CV, both at L2 0.001, and the JSQuAD valid
accuracy of the model fitted on JSQuAD test + own dev. A feature left out is a zero column.

The plan index must hold the sentence vectors (``PLANQA_RETRIEVAL__SENTENCE_VECTORS=true
planqa index``); the JSQuAD index built here always does. Results:
bench/results/chive-ranker.md.

    .venv/bin/python bench/ranker_feature_cv.py --outside FILE --jsquad-train FILE
        --jsquad-valid FILE [--jsquad-limit N] [--cache FILE]
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common.ranker_fit import (  # noqa: E402
    cell,
    cross_validate,
    first_right,
    fit,
    scale_of,
    weighted,
)
from common.ranker_groups import (  # noqa: E402
    Group,
    labelled_sets,
    record,
    record_jsquad,
    unranked,
)

from answer.ranker import FEATURES  # noqa: E402
from api.app import build_service  # noqa: E402

SHIPPED = FEATURES[: FEATURES.index("chive_similarity")]
SETS = {
    "shipped 16": SHIPPED,
    "+ chive_similarity": (*SHIPPED, "chive_similarity"),
    "+ chive_passage": (*SHIPPED, "chive_passage"),
    "+ both": (*SHIPPED, "chive_similarity", "chive_passage"),
    "+ chive_alignment": (*SHIPPED, "chive_alignment"),
    "+ chive_alignment, chive_passage": (*SHIPPED, "chive_alignment", "chive_passage"),
}
PENALTY = 0.001
PLAN_WEIGHT = 10.0


def masked(groups: list[Group], names: tuple[str, ...]) -> list[Group]:
    keep = np.asarray([name in names for name in FEATURES], dtype=np.float64)
    return [
        Group(g.question_id, g.source, g.x * keep, g.positive, g.hand, g.weight) for g in groups
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outside", type=Path, required=True)
    parser.add_argument("--jsquad-train", type=Path)
    parser.add_argument("--jsquad-valid", type=Path)
    parser.add_argument("--jsquad-limit", type=int, default=None)
    parser.add_argument("--cache", type=Path, help="recorded groups, reused when present")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        groups, train_public, valid_public = pickle.loads(args.cache.read_bytes())
        if args.jsquad_train and not train_public:  # the plan groups recorded before
            train_public = record_jsquad(
                args.jsquad_train, "JSQuAD test (train)", args.jsquad_limit
            )
            valid_public = record_jsquad(args.jsquad_valid, "JSQuAD valid", args.jsquad_limit)
            args.cache.write_bytes(pickle.dumps((groups, train_public, valid_public)))
    else:
        sets = labelled_sets(args.outside, train=False)
        groups = record(sets, build_service(unranked()))
        train_public = record_jsquad(args.jsquad_train, "JSQuAD test (train)", args.jsquad_limit)
        valid_public = record_jsquad(args.jsquad_valid, "JSQuAD valid", args.jsquad_limit)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((groups, train_public, valid_public)))
    sources = list(dict.fromkeys(g.source for g in groups))
    print(f"{len(groups)} plan groups, {len(train_public)} JSQuAD train, {len(valid_public)} valid")
    print(
        "| features | plan CV L2 0.001: "
        + " / ".join(sources)
        + " (mean) | JSQuAD test + plan ×10, L2 0.001: "
        + " / ".join(sources)
        + " (mean) | JSQuAD valid |"
    )
    print("|---|---|---|---|")
    for name, names in SETS.items():
        plan = masked(groups, names)
        cells = []
        cv = cross_validate(plan, PENALTY)
        cells.append(cell(cv, sources))
        if train_public:
            public = masked(train_public, names)
            cv = cross_validate(plan, PENALTY, extra=public, plan_weight=PLAN_WEIGHT)
            cells.append(cell(cv, sources))
            both = [*public, *weighted([g for g in plan if g.source == "own dev"], PLAN_WEIGHT)]
            weights = fit(both, PENALTY, scale_of(both))
            valid = first_right(masked(valid_public, names), weights) if valid_public else None
            cells.append(f"{valid:.3f}" if valid is not None else "—")
        else:
            cells += ["—", "—"]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
        dev = [g for g in plan if g.source == "own dev"]
        w = fit(dev, PENALTY, scale_of(dev))
        print(
            "  own-dev fit weights: "
            + ", ".join(
                f"{n} {v:+.3f}" for n, v in zip(FEATURES, w, strict=True) if n in names[16:]
            )
        )


if __name__ == "__main__":
    main()
