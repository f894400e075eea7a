"""Fit the sentence ranker (answer/ranker.py) and report it under cross-validation.

Every labelled question goes through the in-process answer service with a recording ranker
(which scores as the hand-set selection does, so answers are unchanged while recording);
each selection call gives a group of candidate sentences with their features. A candidate
is positive when it states every gold fact of its question (the eval's matching: NFKC,
no spaces); groups with no positive or no negative teach nothing and are left out.

The model is a conditional logit: for each group, softmax over its candidates' linear
scores, maximising the probability of the positives, with an L2 penalty chosen by grouped
k-fold cross-validation (folds by question). Reported per labelled set: the share of groups
whose first-ranked sentence is positive, hand-set against fitted (CV: each question scored
by a model that never saw it).

    .venv/bin/python bench/fit_ranker.py [--outside ../shared/eval/outside-questions.jsonl]
        [--jsquad-train FILE] [--jsquad-valid FILE] [--jsquad-limit N] [--write]

``--write`` saves the weights fitted on the training sets (own dev split, the questions
written to train in eval/gold/train/, and JSQuAD when given; never the fresh test split nor
the outside set, which are only scored under CV) to data/answer/ranker.json with how they
were fitted. Keep them only when the end-to-end table
printed after the fit loses on none of the three sets: the group-level CV rests on ~165
plan groups (one group moves a set by 0.015 to 0.04), and its winner has lost end to end
before (bench/results/ranker-features.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

import numpy as np
from common.ranker_fit import (
    cross_validate,
    first_right,
    fit,
    machine_line,
    scale_of,
    weighted,
)
from common.ranker_groups import (
    TRAINING,
    Group,
    Labelled,
    labelled_sets,
    record,
    record_jsquad,
    unranked,
)
from results_out import add_out_option, results_path, write_results

from answer.ranker import DEFAULT_MODEL, FEATURES, SIMILARITY_FEATURES
from answer.schemas import AskRequest
from api.app import build_service
from eval.gold import OUTSIDE_SET, load_gold
from planqa.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results" / "ranker.md"
PENALTIES = (0.001, 0.01, 0.1, 1.0)
PLAN_WEIGHTS = (3.0, 10.0, 30.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outside",
        type=Path,
        default=OUTSIDE_SET,
    )
    parser.add_argument("--jsquad-train", type=Path, help="JSQuAD test-v1.3.json (trains)")
    parser.add_argument("--jsquad-valid", type=Path, help="JSQuAD valid-v1.3.json (reports)")
    parser.add_argument("--jsquad-limit", type=int, default=None, help="questions of each")
    parser.add_argument(
        "--with-similarity",
        action="store_true",
        help="fit the chiVe similarity features too (measured not to pass end to end: "
        "bench/results/chive-ranker.md); without it they keep weight 0",
    )
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    sets = labelled_sets(args.outside)
    started = time.perf_counter()
    groups = record(sets, build_service(unranked()))
    jsquad: dict[str, list[Group]] = {}
    if args.jsquad_train:
        jsquad["JSQuAD test (train)"] = record_jsquad(
            args.jsquad_train, "JSQuAD test (train)", args.jsquad_limit
        )
    if args.jsquad_valid:
        jsquad["JSQuAD valid"] = record_jsquad(args.jsquad_valid, "JSQuAD valid", args.jsquad_limit)
    print(
        f"recorded {len(groups)} plan groups, "
        + ", ".join(f"{len(v)} {k}" for k, v in jsquad.items())
        + f" in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    if not args.with_similarity:
        # A zero column gets weight 0 from the fit's zero start (its gradient is 0).
        unused = [FEATURES.index(name) for name in SIMILARITY_FEATURES]
        for group in [*groups, *(g for gs in jsquad.values() for g in gs)]:
            group.x[:, unused] = 0.0
    train_public = jsquad.get("JSQuAD test (train)", [])
    valid_public = jsquad.get("JSQuAD valid", [])
    sources = list(dict.fromkeys(g.source for g in groups))
    lines = [
        "# Sentence ranker (bench/fit_ranker.py)",
        "",
        f"{machine_line()} A group is one selection's candidate sentences "
        "(top 5 contexts) with at least one sentence stating every gold fact (JSQuAD: holding a "
        "gold answer text) and one not; each figure is the share of groups whose first-ranked "
        "sentence does. CV: 5 folds grouped by question, 3 seeds; a plan question is always "
        "scored by a model that never saw it.",
        "",
    ]
    header = ["hand-set"]
    columns: dict[str, dict[str, float]] = {"hand-set": {}}
    for source in sources:
        columns["hand-set"][source] = first_right([g for g in groups if g.source == source], None)
    if valid_public:
        columns["hand-set"]["JSQuAD valid"] = first_right(valid_public, None)
    for penalty in PENALTIES:
        name = f"plan CV, L2 {penalty:g}"
        header.append(name)
        columns[name] = cross_validate(groups, penalty)
    if train_public:
        for penalty in PENALTIES:
            name = f"JSQuAD only, L2 {penalty:g}"
            header.append(name)
            weights = fit(train_public, penalty, scale_of(train_public))
            columns[name] = {
                source: first_right([g for g in groups if g.source == source], weights)
                for source in sources
            }
            if valid_public:
                columns[name]["JSQuAD valid"] = first_right(valid_public, weights)
        # Public and plan groups together, at every penalty: with the plan groups weighted
        # up, the public data steadies the weights rather than setting them.
        for penalty in PENALTIES[:3]:
            for plan_weight in PLAN_WEIGHTS:
                name = f"JSQuAD + plan CV (plan ×{plan_weight:g}), L2 {penalty:g}"
                header.append(name)
                columns[name] = cross_validate(
                    groups, penalty, extra=train_public, plan_weight=plan_weight
                )
                if valid_public:
                    both = [*train_public, *(weighted(groups, plan_weight))]
                    weights = fit(both, penalty, scale_of(both))
                    columns[name]["JSQuAD valid"] = first_right(valid_public, weights)
    rows = [*sources, *(["JSQuAD valid"] if valid_public else [])]
    counts = {s: sum(g.source == s for g in groups) for s in sources} | {
        "JSQuAD valid": len(valid_public)
    }
    lines.append(
        "| model | " + " | ".join(f"{r} ({counts[r]})" for r in rows) + " | mean of plan sets |"
    )
    lines.append("|---|" + "---|" * (len(rows) + 1))
    for name in header:
        values = columns[name]
        plan_mean = statistics.mean(values[s] for s in sources)
        lines.append(
            f"| {name} | "
            + " | ".join(f"{values.get(r, float('nan')):.3f}" for r in rows)
            + f" | {plan_mean:.3f} |"
        )
    best = max(header[1:], key=lambda n: statistics.mean(columns[n][s] for s in sources))
    lines += ["", f"Best by the mean over the plan sets (CV where plan groups train): **{best}**."]
    training = [g for g in groups if g.source in TRAINING]
    if best.startswith("JSQuAD only"):
        penalty = float(best.rsplit(" ", 1)[1])
        weights = fit(train_public, penalty, scale_of(train_public))
        how = f"JSQuAD test ({len(train_public)} groups), L2 {penalty:g}"
    elif best.startswith("JSQuAD +"):
        plan_weight = float(best.split("×")[1].split(")")[0])
        penalty = float(best.rsplit(" ", 1)[1])
        both = [*train_public, *weighted(training, plan_weight)]
        weights = fit(both, penalty, scale_of(both))
        how = (
            f"JSQuAD test ({len(train_public)} groups) + own dev and train ({len(training)} groups "
            f"×{plan_weight:g}), L2 {penalty:g}"
        )
    else:
        penalty = float(best.rsplit(" ", 1)[1])
        weights = fit(training, penalty, scale_of(training))
        how = f"own dev and train ({len(training)} groups), L2 {penalty:g}"
    lines += [
        f"Saved weights fitted on {how} (never the fresh test split nor the outside set):",
        "",
        "| feature | weight |",
        "|---|---|",
        *(f"| {name} | {w:+.3f} |" for name, w in zip(FEATURES, weights, strict=True)),
        "",
        "End to end (`planqa eval answers` figures, in-process, top_k 10; the saved model never "
        "saw fresh test nor outside):",
        "",
        *end_to_end(sets, weights, args.outside),
        "",
        "Command: `.venv/bin/python bench/fit_ranker.py"
        + (" --jsquad-train DATA/test-v1.3.json" if args.jsquad_train else "")
        + (" --jsquad-valid DATA/valid-v1.3.json" if args.jsquad_valid else "")
        + (f" --jsquad-limit {args.jsquad_limit}" if args.jsquad_limit else "")
        + (" --with-similarity" if args.with_similarity else "")
        + (" --write`" if args.write else "`"),
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        DEFAULT_MODEL.parent.mkdir(parents=True, exist_ok=True)
        DEFAULT_MODEL.write_text(
            json.dumps(
                {
                    "weights": dict(zip(FEATURES, weights.round(6).tolist(), strict=True)),
                    "provenance": f"bench/fit_ranker.py {time.strftime('%Y-%m-%d')}: conditional "
                    f"logit fitted on {how}; chosen as '{best}' by grouped 5-fold CV over own dev, "
                    "fresh test and outside (bench/results/ranker.md)",
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {DEFAULT_MODEL}")


def end_to_end(sets: dict[str, list[Labelled]], weights: np.ndarray, outside: Path) -> list[str]:
    """The answers to each labelled set with the hand-set selection and with the fitted
    ranker leading (what ``planqa eval answers`` reports), as table rows."""
    from answer.ranker import SentenceRanker
    from eval.answers import run_answer_eval

    service = build_service(Settings())
    ranker = SentenceRanker(dict(zip(FEATURES, weights.tolist(), strict=True)))
    gold = {q.id: q for q in [*load_gold(), *(load_gold(outside) if outside.is_file() else [])]}
    rows = [
        "| set | selection | facts | first statement | citation precision | citation recall "
        "| false declines | unanswerable declined | median chars |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    async def ask(question: str, history: list[dict[str, str]]) -> dict:
        request = AskRequest(question=question, history=history, top_k=10)
        return (await service.answer(request)).model_dump()

    for source, items in sets.items():
        if source in TRAINING[1:]:
            continue  # written to train, never reported as a measure
        questions = [gold[item.id] for item in items]
        for name, chosen in (("hand-set", None), ("ranker leads", ranker)):
            service.ranker = chosen
            o = asyncio.run(run_answer_eval(questions, ask, warm_up=False)).overall()
            rows.append(
                f"| {source} | {name} | {o['fact_coverage']:.3f} | {o['first_statement']:.3f} | "
                f"{o['citation_precision']:.3f} | {o['citation_recall']:.3f} | "
                f"{o['false_declines']:.3f} | {o['unanswerable_declined']:.3f} | "
                f"{o['median_answer_chars']:.0f} |"
            )
    return rows


if __name__ == "__main__":
    main()
