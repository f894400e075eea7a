"""What the chiVe similarity costs a query process: loading the chiVe table and the
generation's sentence vectors (time, resident memory), and one question against its
candidates (the first time and warm).

    .venv/bin/python bench/chive_query_cost.py
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.generations import IndexDirectory  # noqa: E402
from index.manifest import read_chunks  # noqa: E402
from index.sentence_vectors import LazySentenceVectors  # noqa: E402
from ingest.sudachi import analyze, split_sentences  # noqa: E402
from planqa.settings import Settings  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    settings = Settings()
    generation = IndexDirectory(settings.paths.index_dir).current()
    if generation is None:
        sys.exit("no index: run 'planqa index' first")
    chunks = read_chunks(generation)
    analyze("準備")  # Sudachi's dictionary, which a server has loaded anyway
    before, started = rss_mb(), time.perf_counter()
    lazy = LazySentenceVectors(generation, settings.paths.var_dir / "cache")
    vectors = lazy.vectors
    load_s, after = time.perf_counter() - started, rss_mb()
    assert vectors is not None
    sentences = [s for c in chunks[:10] for s in split_sentences(c.text)][:40]
    questions = [
        "保険料を納めやすくする取組は？",
        "相談の待ち時間を短くするには？",
        "職員の育成は？",
    ]
    first, warm = [], []
    for question in questions:
        t = time.perf_counter()
        for sentence in sentences:
            lazy.similarity(question, sentence)
        first.append(time.perf_counter() - t)
        t = time.perf_counter()
        for sentence in sentences:
            lazy.similarity(question, sentence)
        warm.append(time.perf_counter() - t)
    print(f"generation {generation.name}: {len(vectors.texts)} sentence vectors")
    print(
        f"load chiVe + sentence vectors: {load_s * 1000:.0f} ms, resident +{after - before:.0f} MB"
    )
    print(
        f"one question × {len(sentences)} candidate sentences: first "
        f"{statistics.median(first) * 1000:.1f} ms, warm {statistics.median(warm) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
