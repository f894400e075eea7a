"""JSQuAD retrieval with e5-small-q4 replacing USE-m3's dense list, or beside it.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/e5_jsquad.py DATA/valid-v1.3.json \\
        --var DIR [--limit N]

DIR is a ``bench/jsquad_bench.py --var DIR`` folder whose index was built with USE-m3 (the
default); each chunk's e5 vector comes from that folder's embedding cache (a jsquad_bench
run with ``PLANQA_EMBEDDING__BACKEND=e5-small-q4`` over the same folder fills it) or is
embedded here. Every question (or a seeded sample of N, jsquad_bench's) is searched with
each fusion setting; R@1 / R@5: the gold paragraph's file is the first / among the first
five hits. Search only, no answer stage (jsquad_bench's R@1 is over the answer's contexts,
which the answer stage may reorder). Prints a table; the dataset stays out of the repository.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import time
from pathlib import Path

from common.report import machine
from e5_levers import WithE5, e5_chunk_vectors
from jsquad_bench import load_jsquad

import index.retriever as retriever_module
from index.e5_encoder import E5SmallEncoder
from index.encoders import build_encoder
from index.fusion import weighted_scores
from index.loader import load_searcher
from planqa.settings import PathSettings, Settings

SETTINGS = (  # USE-m3 weight, e5 weight, e5 added after the coverage rescale
    (0.1, 0.0, False),  # as is
    (0.0, 0.1, False),
    (0.0, 0.2, False),
    (0.0, 0.5, False),
    (0.0, 1.0, False),
    (0.1, 0.1, False),
    (0.1, 0.2, False),
    (0.1, 0.3, False),
    (0.1, 0.05, True),
    (0.1, 0.1, True),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--var", type=Path, required=True, help="a jsquad_bench --var folder")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    corpus = load_jsquad(args.dataset)
    questions = list(corpus.questions)
    random.Random(13).shuffle(questions)  # jsquad_bench's sample
    questions = questions[: args.limit] if args.limit else questions
    root = args.var.resolve()
    settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
    use = build_encoder("use-m3")
    plain = load_searcher(settings, use)
    e5 = E5SmallEncoder()
    e5._query = functools.lru_cache(maxsize=None)(e5._query_vector)  # once for all settings
    searcher = WithE5(plain.snapshot, use, settings.retrieval)
    searcher.e5 = e5
    searcher.e5_vectors, embedded, seconds = e5_chunk_vectors(plain, e5, settings.paths.var_dir)

    def fuse(scored, weights):  # noqa: ANN001, ANN202
        return weighted_scores(scored, {**weights, "e5": searcher.e5_weight})

    retriever_module.weighted_scores = fuse
    print(
        f"{len(questions)} questions, {len(plain.snapshot.chunks)} chunks; {len(embedded)} "
        f"e5 texts embedded now in {seconds:.0f} s. Machine: {machine()}.",
        file=sys.stderr,
    )
    lines = [
        f"JSQuAD valid, {len(questions)} questions (seed 13 sample when limited), index "
        f"`{plain.snapshot.generation.name}` (USE-m3), search only.",
        "",
        "| USE-m3 weight | e5 weight | e5 added | R@1 | R@5 |",
        "|---|---|---|---|---|",
    ]
    for use_weight, e5_weight, late in SETTINGS:
        searcher.dense_weight, searcher.e5_weight, searcher.late = use_weight, e5_weight, late
        first, five = 0, 0
        for question in questions:
            files = [hit.chunk.source for hit in searcher.search(question.text, 5)]
            first += bool(files) and files[0] == question.paragraph
            five += question.paragraph in files
        n = len(questions)
        mark = " (as is)" if (use_weight, e5_weight, late) == SETTINGS[0] else ""
        where = "after the coverage rescale" if late else "in the fusion"
        lines.append(
            f"| {use_weight}{mark} | {e5_weight} | {where} | {first / n:.3f} | {five / n:.3f} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    lines.append(f"\nWall time {time.perf_counter() - started:.0f} s.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
