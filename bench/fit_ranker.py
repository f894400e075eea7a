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
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from results_out import add_out_option, results_path, write_results  # noqa: E402

from answer.extractive import hand_set_score  # noqa: E402
from answer.ranker import (  # noqa: E402
    DEFAULT_MODEL,
    FEATURES,
    SIMILARITY_FEATURES,
    Candidate,
    QuestionText,
    features,
)
from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answer_metrics import matchable  # noqa: E402
from eval.gold import OUTSIDE_SET, TRAIN_DIR, GoldQuestion, load_gold  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "ranker.md"
PENALTIES = (0.001, 0.01, 0.1, 1.0)
PLAN_WEIGHTS = (3.0, 10.0, 30.0)
# The labelled plan sets the saved weights learn from: own dev and the questions written
# to train (eval/gold/train/); the fresh test split and the outside set are only scored.
TRAINING = ("own dev", "own train")
FOLDS = 5


@dataclass
class Group:
    question_id: str
    source: str  # which labelled set
    x: np.ndarray  # candidates × features
    positive: np.ndarray  # bool per candidate
    hand: np.ndarray  # hand-set score per candidate
    weight: float = 1.0  # in the loss


@dataclass
class Labelled:
    """A question with what a sentence must state to answer it."""

    id: str
    question: str
    history: list[dict[str, str]]
    facts: tuple[str, ...]
    every_fact: bool  # gold facts: all of them; JSQuAD answer texts: any one


@dataclass
class Recorder:
    """Records each selection's candidates; scores them as the hand-set selection does."""

    groups: list[Group] = field(default_factory=list)
    question: Labelled | None = None
    source: str = ""
    uses_similarity: bool = True  # candidates carry the chiVe similarities to record
    uses_dense: bool = True  # and the dense ones (index/dense_sentences.py)

    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        hand = [hand_set_score(c) for c in candidates]
        gold = self.question
        if gold is not None and gold.facts:
            asked = QuestionText.of(question)
            facts = [matchable(f) for f in gold.facts]
            needed = all if gold.every_fact else any
            positive = [needed(f in matchable(c.shown) for f in facts) for c in candidates]
            self.groups.append(
                Group(
                    gold.id,
                    self.source,
                    np.asarray([features(c, asked) for c in candidates], dtype=np.float64),
                    np.asarray(positive),
                    np.asarray(hand),
                )
            )
        # The hand-set order, so recording leaves the answers as they are without a ranker.
        return [float(np.log(max(h, 1e-9))) for h in hand]


def labelled(questions: Sequence[GoldQuestion]) -> list[Labelled]:
    return [
        Labelled(q.id, q.question, q.history_messages(), tuple(q.facts), True) for q in questions
    ]


def labelled_sets(outside: Path, *, train: bool = True) -> dict[str, list[Labelled]]:
    """The labelled plan sets the ranker benches record: own dev, the fresh test split, the
    questions written to train (with ``train``, when eval/gold/train/ is there) and the
    outside set (when its file is there)."""
    own = load_gold()
    sets = {
        "own dev": labelled([q for q in own if q.split == "dev"]),
        "fresh test": labelled([q for q in own if q.split == "test"]),
    }
    if train and TRAIN_DIR.is_dir():
        sets["own train"] = labelled(load_gold(TRAIN_DIR))
    if outside.is_file():
        sets["outside"] = labelled(load_gold(outside))
    return sets


def record(sets: dict[str, list[Labelled]], service) -> list[Group]:
    recorder = Recorder()
    service.ranker = recorder
    for source, questions in sets.items():
        recorder.source = source
        for question in questions:
            recorder.question = question
            request = AskRequest(question=question.question, history=question.history, top_k=10)
            asyncio.run(service.answer(request))
    return [g for g in recorder.groups if g.positive.any() and not g.positive.all()]


def record_jsquad(path: Path, source: str, limit: int | None) -> list[Group]:
    """Groups from JSQuAD: its paragraphs indexed as plan files in a temporary folder (as
    bench/jsquad_bench.py does), each question answered over them; a sentence holding a
    gold answer text is positive."""
    from jsquad_bench import _answer_service, load_jsquad, write_paragraphs

    from index.build.builder import build_index
    from index.encoders import build_encoder
    from planqa.settings import PathSettings

    corpus = load_jsquad(path)
    questions = corpus.questions
    random.Random(7).shuffle(questions)
    questions = questions[:limit] if limit else questions
    with tempfile.TemporaryDirectory(suffix="-jsquad") as folder:
        root = Path(folder)
        settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
        settings.answer.ranker_model = None
        settings.retrieval.sentence_vectors = True  # the chiVe features read them
        settings.retrieval.dense_sentences = True  # the dense ones read these
        write_paragraphs(corpus, settings.paths.data_dir)
        encoder = build_encoder(settings.embedding.backend)
        build_index([settings.paths.data_dir], settings, encoder)
        service, _ = _answer_service(settings, encoder)
        items = [Labelled(q.id, q.text, [], q.answers, False) for q in questions]
        return record({source: items}, service)


def _loss(weights: np.ndarray, groups: Sequence[Group], penalty: float) -> tuple[float, np.ndarray]:
    total = penalty * float(weights @ weights)
    grad = 2 * penalty * weights
    mass = sum(group.weight for group in groups)
    for group in groups:
        s = group.x @ weights
        s -= s.max()
        p = np.exp(s)
        p /= p.sum()
        pos = p[group.positive].sum()
        total -= group.weight * np.log(max(pos, 1e-12)) / mass
        q = np.where(group.positive, p, 0.0) / max(pos, 1e-12)
        grad -= group.weight * (group.x.T @ (q - p)) / mass
    return total, grad


def fit(groups: Sequence[Group], penalty: float, scale: np.ndarray) -> np.ndarray:
    scaled = [
        Group(g.question_id, g.source, g.x / scale, g.positive, g.hand, g.weight) for g in groups
    ]
    start = np.zeros(groups[0].x.shape[1])
    result = minimize(_loss, start, args=(scaled, penalty), jac=True, method="L-BFGS-B")
    return result.x / scale


def held_parts(
    groups: Sequence[Group], held: np.ndarray, directions: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per group (held score, fitted columns, positives) for ``fit_held``: the weights are
    ``held`` (with 0 wherever a direction moves them) plus ``directions @ w``."""
    moved = np.abs(directions).sum(axis=1) > 0
    base = np.where(moved, 0.0, held)
    return [(g.x @ base, g.x @ directions, g.positive) for g in groups]


def fit_held(
    groups: Sequence[Group], held: np.ndarray, directions: np.ndarray, penalty: float
) -> np.ndarray:
    """The weights w of new features fitted with every other weight held at ``held``.

    ``directions`` (features × k) says what each fitted weight moves: a column with one 1
    fits one feature's weight; asked_side − other_side fits the pair as one. The held
    weights keep the ranker's score scale, which the admission margin and the decline
    model were fitted to (a full refit moved it and lost end to end:
    bench/results/ranker-train.md); L2 ``penalty`` on w only, a conditional logit over
    each group's candidates as ``fit``."""
    parts = held_parts(groups, held, directions)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total = penalty * float(w @ w)
        grad = 2 * penalty * w
        for offset, z, positive in parts:
            s = offset + z @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            pos = p[positive].sum()
            total -= np.log(max(pos, 1e-12)) / len(parts)
            q = np.where(positive, p, 0.0) / max(pos, 1e-12)
            grad -= (z.T @ (q - p)) / len(parts)
        return total, grad

    start = np.zeros(directions.shape[1])
    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def cross_validate_held(
    groups: list[Group],
    held: np.ndarray,
    directions: np.ndarray,
    penalty: float,
    seeds: int = 3,
    train_on: Sequence[str] | None = None,
) -> tuple[dict[str, float], list[np.ndarray]]:
    """``cross_validate`` for ``fit_held``: per source, the first-ranked accuracy of held
    weights plus new ones fitted on the other folds (of the sources ``train_on`` only, when
    given: the sets the saved weight learns from); also the new weights of each fold."""
    moved = np.abs(directions).sum(axis=1) > 0
    base = np.where(moved, 0.0, held)
    by_source: dict[str, list[bool]] = {}
    chosen = []
    for seed in range(seeds):
        for fold in folds_by_question(groups, FOLDS, seed):
            out = set(fold)
            train = [
                g
                for i, g in enumerate(groups)
                if i not in out and (train_on is None or g.source in train_on)
            ]
            w = fit_held(train, held, directions, penalty)
            chosen.append(w)
            weights = base + directions @ w
            for i in fold:
                g = groups[i]
                by_source.setdefault(g.source, []).append(
                    bool(g.positive[int(np.argmax(g.x @ weights))])
                )
    return {source: float(np.mean(hits)) for source, hits in by_source.items()}, chosen


def first_right(groups: Sequence[Group], weights: np.ndarray | None) -> float:
    hits = []
    for group in groups:
        scores = group.hand if weights is None else group.x @ weights
        hits.append(bool(group.positive[int(np.argmax(scores))]))
    return float(np.mean(hits)) if hits else float("nan")


def folds_by_question(groups: Sequence[Group], k: int, seed: int) -> list[list[int]]:
    ids = sorted({g.question_id for g in groups})
    random.Random(seed).shuffle(ids)
    fold_of = {qid: i % k for i, qid in enumerate(ids)}
    return [[i for i, g in enumerate(groups) if fold_of[g.question_id] == f] for f in range(k)]


def scale_of(groups: Sequence[Group]) -> np.ndarray:
    stacked = np.vstack([g.x for g in groups])
    return np.maximum(np.abs(stacked).max(axis=0), 1e-6)


def cross_validate(
    groups: list[Group],
    penalty: float,
    seeds: int = 3,
    extra: Sequence[Group] = (),
    plan_weight: float = 1.0,
) -> dict[str, float]:
    """Per source, the first-ranked accuracy of models that never saw the question; each
    fold's model also learns from ``extra`` (public data), the plan groups weighted."""
    by_source: dict[str, list[bool]] = {}
    for seed in range(seeds):
        for fold in folds_by_question(groups, FOLDS, seed):
            held = set(fold)
            train = [
                *extra,
                *_weighted([g for i, g in enumerate(groups) if i not in held], plan_weight),
            ]
            weights = fit(train, penalty, scale_of(train))
            for i in fold:
                g = groups[i]
                by_source.setdefault(g.source, []).append(
                    bool(g.positive[int(np.argmax(g.x @ weights))])
                )
    return {source: float(np.mean(hits)) for source, hits in by_source.items()}


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
    settings = Settings()
    settings.answer.ranker_model = None
    sets = labelled_sets(args.outside)
    started = time.perf_counter()
    groups = record(sets, build_service(settings))
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
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d %H:%M')} UTC. A group is one selection's candidate sentences "
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
                    both = [*train_public, *(_weighted(groups, plan_weight))]
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
        both = [*train_public, *_weighted(training, plan_weight)]
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


def _weighted(groups: Sequence[Group], weight: float) -> list[Group]:
    return [Group(g.question_id, g.source, g.x, g.positive, g.hand, weight) for g in groups]


if __name__ == "__main__":
    main()
