"""Fit the answer-or-decline model (answer.decline) and print its cross-validated rates.

    .venv/bin/python bench/fit_decline.py [GOLD …] [--folds 5] [--repeats 5] [--write]

GOLD: jsonl files or folders of labelled questions (default: eval/gold/ and, when present,
../shared/eval/outside-questions.jsonl); the own gold's test split is never fitted on. Every question is asked through the in-process
answer service; the signals it computes are the features and "answerable" the label. The
figures printed are stratified k-fold cross-validated (each question scored by a model that
never saw it), repeated with shuffled folds; ``--write`` then fits on every question and
writes data/decline_model.json with the figures beside the weights.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402

from answer.decline import MODEL_PATH, DeclineSignals  # noqa: E402
from answer.schemas import AskRequest, Turn  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from planqa.settings import Settings  # noqa: E402

OUTSIDE = ROOT.parent / "shared" / "eval" / "outside-questions.jsonl"


async def collect(paths: list[Path]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    service = build_service(Settings())
    features, labels, ids = [], [], []
    for path in paths:
        for question in load_gold(path):
            if question.split == "test":  # the fresh test split stays unseen by any fit
                continue
            request = AskRequest(
                question=question.question,
                top_k=10,
                history=[Turn(**turn) for turn in question.history_messages()],
            )
            _, signals = await service.assess(request)
            if signals is None:  # a named page: answered without the model
                continue
            features.append(signals.vector())
            labels.append(int(question.answerable))
            ids.append(question.id)
    return np.asarray(features, dtype=float), np.asarray(labels), ids


def fit(features: np.ndarray, labels: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000)
    return model.fit(features, labels)


def rates(labels: np.ndarray, answered: np.ndarray) -> tuple[float, float]:
    """(false declines among answerable, declined among unanswerable)."""
    answerable = labels == 1
    false_declines = float((~answered[answerable]).mean()) if answerable.any() else 0.0
    declined = float((~answered[~answerable]).mean()) if (~answerable).any() else 0.0
    return false_declines, declined


def cross_validate(
    features: np.ndarray, labels: np.ndarray, c: float, folds: int, repeats: int
) -> tuple[list[float], list[float]]:
    from sklearn.model_selection import StratifiedKFold

    false_declines, declined = [], []
    for seed in range(repeats):
        answered = np.zeros(len(labels), dtype=bool)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train, test in splitter.split(features, labels):
            model = fit(features[train], labels[train], c)
            answered[test] = model.predict_proba(features[test])[:, 1] >= 0.5
        fd, dc = rates(labels, answered)
        false_declines.append(fd)
        declined.append(dc)
    return false_declines, declined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write data/decline_model.json")
    parser.add_argument("--show", action="store_true", help="print each question's signals")
    args = parser.parse_args()
    paths = args.gold or [ROOT / "eval" / "gold", *([OUTSIDE] if OUTSIDE.exists() else [])]
    started = time.perf_counter()
    features, labels, ids = asyncio.run(collect(paths))
    if args.show:
        print("id answerable " + " ".join(DeclineSignals.names()))
        for row, label, qid in zip(features, labels, ids, strict=True):
            print(qid, label, " ".join(f"{v:.2f}" for v in row))
    print(f"# decline model: {len(labels)} questions ({int((labels == 0).sum())} unanswerable)")
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; command: {' '.join(sys.argv)}"
    )
    print("\n| C | false declines (CV) | unanswerable declined (CV) |\n|---|---|---|")
    best: tuple[float, float] | None = None
    for c in (0.1, 0.3, 1.0, 3.0, 10.0):
        fd, dc = cross_validate(features, labels, c, args.folds, args.repeats)
        fd_m, dc_m = statistics.fmean(fd), statistics.fmean(dc)
        print(
            f"| {c} | {fd_m:.3f} (± {statistics.pstdev(fd):.3f}) | "
            f"{dc_m:.3f} (± {statistics.pstdev(dc):.3f}) |"
        )
        # Balanced error: a false decline and an answered unanswerable cost the same.
        if best is None or fd_m + (1 - dc_m) < best[1]:
            best = (c, fd_m + (1 - dc_m))
    assert best is not None
    c = best[0]
    model = fit(features, labels, c)
    weights = dict(zip(DeclineSignals.names(), map(float, model.coef_[0]), strict=True))
    fd, dc = cross_validate(features, labels, c, args.folds, args.repeats)
    print(
        f"\nchosen C={c}: weights "
        + ", ".join(f"{k} {v:+.2f}" for k, v in weights.items())
        + f", bias {float(model.intercept_[0]):+.2f}"
    )
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.write:
        payload = {
            "weights": weights,
            "bias": float(model.intercept_[0]),
            "threshold": 0.5,
            "fitted_on": [str(p.name) for p in paths],
            "questions": len(labels),
            "unanswerable": int((labels == 0).sum()),
            "regularisation_C": c,
            "cross_validated": {
                "folds": args.folds,
                "repeats": args.repeats,
                "false_declines": round(statistics.fmean(fd), 3),
                "unanswerable_declined": round(statistics.fmean(dc), 3),
            },
        }
        MODEL_PATH.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
