"""Choose answer.topic_share (answer/topic_heading.py) by cross-validation over the plan
questions and JSQuAD's test split.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/topic_heading_cv.py /work/data/JGLUE/test-v1.3.json \
        [--outside FILE] [--var DIR] [--jsquad-limit N] [--out FILE]

Every labelled plan question (own dev, the questions written to train, the fresh test split,
the outside set) and every JSQuAD test question (its paragraphs indexed as
bench/jsquad_bench.py does; ``--var`` keeps that index) is answered once with the lever off;
for each answer the bench reads whether the lever could apply (the lead's heading is a short
name neither the question nor the lead says, and the question asks something) and the share
of the lead the question restates. Then, per share of the grid: how many answers it changes
(fires) and how many first statements it makes hold the gold (a plan question: every fact;
JSQuAD: an answer text). Per fold (5 folds stratified by source, 3 repeats), the share
changing fewest training plan answers (own dev, train), then with the most first statements
held on the training part of own dev, train and JSQuAD test (mean over the three sources),
then the higher share, is scored on the held-out part (``pick`` says why in that order). The fresh split and the outside set are only
scored; the JSQuAD valid split is never read here.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.options import add_jsquad_cv_options  # noqa: E402
from common.report import machine  # noqa: E402
from jsquad_bench import (  # noqa: E402
    _answer_service,
    _outside_project,
    contains_gold,
    load_jsquad,
    write_paragraphs,
)
from results_out import add_out_option, documented_cv, results_path, write_results  # noqa: E402

import answer.compose as compose  # noqa: E402
from answer.schemas import AskRequest  # noqa: E402
from answer.topic_heading import eligible_topic  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answer_metrics import first_statement, missing_facts  # noqa: E402
from eval.gold import TRAIN_DIR, load_gold  # noqa: E402
from index.build.builder import build_index  # noqa: E402
from index.encoders import build_encoder  # noqa: E402
from planqa.settings import PROJECT_ROOT, PathSettings, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "topic_heading.md"
GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 2.0)  # 2.0: off
SOURCES = ("own dev", "own train", "fresh test", "outside", "JSQuAD test")
TRAINING = ("own dev", "own train", "JSQuAD test")


@dataclass
class Row:
    source: str
    share: float | None  # the lead's restated share when the lever could apply
    held: bool  # the first statement holds the gold as it is
    held_with_topic: bool  # ... once shown after its heading


class Watch:
    """Wraps compose.name_topic: records what the lever would read, changes nothing."""

    def __init__(self) -> None:
        self.seen: tuple[str, float] | None = None
        self.original = compose.name_topic

    def __call__(self, question, picked, share):  # type: ignore[no-untyped-def]
        self.seen = eligible_topic(question, picked[0]) if picked else None
        return self.original(question, picked, 2.0)


def ask_all(service, items, source: str, watch: Watch, holds) -> list[Row]:  # type: ignore[no-untyped-def]
    rows = []
    for question, history, gold in items:
        watch.seen = None
        request = AskRequest(question=question, history=history, top_k=10)
        response = asyncio.run(service.answer(request))
        if not response.answered or not gold:
            continue
        lead = first_statement(response.answer)
        found = watch.seen
        with_topic = f"{found[0]}：{lead}" if found else lead
        rows.append(
            Row(source, found[1] if found else None, holds(lead, gold), holds(with_topic, gold))
        )
    return rows


def plan_rows(outside: Path, watch: Watch) -> list[Row]:
    own = load_gold()
    sets = {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "own train": load_gold(TRAIN_DIR) if TRAIN_DIR.is_dir() else [],
        "outside": load_gold(outside) if outside.is_file() else [],
    }
    service = build_service(Settings())
    rows = []
    for source, questions in sets.items():
        items = [(q.question, q.history_messages(), tuple(q.facts)) for q in questions]
        rows += ask_all(service, items, source, watch, lambda t, f: not missing_facts(t, f))
    return rows


def jsquad_rows(dataset: Path, root: Path, limit: int | None, watch: Watch) -> list[Row]:
    corpus = load_jsquad(dataset)
    questions = corpus.questions[:limit] if limit else corpus.questions
    settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
    write_paragraphs(corpus, settings.paths.data_dir)
    encoder = build_encoder(settings.embedding.backend)
    build_index([settings.paths.data_dir], settings, encoder)
    service, _ = _answer_service(settings, encoder)
    items = [(q.text, [], q.answers) for q in questions]
    return ask_all(service, items, "JSQuAD test", watch, contains_gold)


def table(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source index per row, first statement held per share × row, fired per share × row)."""
    source = np.asarray([SOURCES.index(r.source) for r in rows])
    held = np.asarray(
        [[r.held_with_topic if fires(r, s) else r.held for r in rows] for s in GRID], dtype=float
    )
    fired = np.asarray([[fires(r, s) for r in rows] for s in GRID], dtype=float)
    return source, held, fired


def fires(row: Row, share: float) -> bool:
    return row.share is not None and share <= 1.0 and row.share >= share


def pick(source: np.ndarray, held: np.ndarray, fired: np.ndarray, train: np.ndarray) -> int:
    """The share changing fewest training plan answers (own dev, train), then holding the
    gold in most first statements (mean over the training sources), then the higher one.

    Changes come first: a plan answer shown after its heading with no fact gained is only
    longer (the keep rule counts length), and no share below 0.5 gained a plan fact; with
    first statements first, the lowest share of the grid always won (JSQuAD gains at
    every share, and nothing in the count weighs length), so the plans must stay as they
    are."""
    training = [SOURCES.index(s) for s in TRAINING]
    mean = np.mean([held[:, train[source[train] == s]].mean(axis=1) for s in training], axis=0)
    plan = train[np.isin(source[train], [SOURCES.index("own dev"), SOURCES.index("own train")])]
    changed = fired[:, plan].sum(axis=1)
    keys = (-np.asarray(GRID), -np.round(mean, 9), changed)
    return int(np.lexsort(keys)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_jsquad_cv_options(parser)
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    watch = Watch()
    compose.name_topic = watch
    rows = plan_rows(args.outside, watch)
    root = _outside_project(args.var, "--var") if args.var else Path(tempfile.mkdtemp("-jsquad"))
    rows += jsquad_rows(args.dataset, root, args.jsquad_limit, watch)
    source, held, fired = table(rows)
    from sklearn.model_selection import StratifiedKFold

    picks: list[int] = []
    scored: dict[str, list[float]] = {s: [] for s in SOURCES}
    for repeat in range(args.repeats):
        splitter = StratifiedKFold(args.folds, shuffle=True, random_state=repeat)
        out = np.zeros(len(rows))
        for train, test in splitter.split(source, source):
            picks.append(pick(source, held, fired, train))
            out[test] = held[picks[-1], test]
        for k, s in enumerate(SOURCES):
            scored[s].append(float(out[source == k].mean()))
    chosen, times = Counter(picks).most_common(1)[0]
    off = GRID.index(2.0)

    def cell(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.fmean(values):.3f} ± {sd:.3f}"

    n = Counter(r.source for r in rows)
    lines = [
        "# answer.topic_share by cross-validation (plan questions and JSQuAD test)",
        "",
        "Answered questions with gold: " + ", ".join(f"{s} {n[s]}" for s in SOURCES) + ". "
        f"{args.folds}-fold CV stratified by source, {args.repeats} repeats; a fold picks the "
        "share changing fewest training plan answers (own dev, own train), then with the most "
        "first statements holding the gold on its training part of "
        + ", ".join(TRAINING)
        + " (mean over them), then the higher share; 2.0 = off.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "## Held out (share chosen on the training folds): first statement holds the gold",
        "",
        "| source | off | cross-validated |",
        "|---|---|---|",
        *(
            f"| {s} | {held[off, source == k].mean():.3f} | {cell(scored[s])} |"
            for k, s in enumerate(SOURCES)
        ),
        "",
        f"Picked per fold: {', '.join(f'{GRID[c]} ×{k}' for c, k in Counter(picks).most_common())}"
        f"; chosen most often: **{GRID[chosen]}** ({times}/{len(picks)}).",
        "",
        "## Every share on every question: first statement holds the gold (answers changed)",
        "",
        "| share | " + " | ".join(SOURCES) + " |",
        "|---" * (len(SOURCES) + 1) + "|",
    ]
    for i, share in enumerate(GRID):
        cells = [
            f"{held[i, source == k].mean():.3f} ({int(fired[i, source == k].sum())})"
            for k in range(len(SOURCES))
        ]
        lines.append(f"| {share} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    documented = documented_cv(args) and args.jsquad_limit is None
    write_results(text, results_path(RESULTS, args.out, documented))


if __name__ == "__main__":
    main()
