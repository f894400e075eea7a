"""Where JSQuAD's retrieval R@1 misses come from, on the test split (the valid split reports).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/jsquad_misses.py /work/data/JGLUE/test-v1.3.json \
        --var /tmp/NAME-jsq-test [--limit N]

Every question is searched over its split's paragraphs (indexed as bench/jsquad_bench.py
does, kept under ``--var``) with the configured retrieval, and each miss at rank 1 is put in
categories: the gold paragraph at rank 2-5 or lower; what ranks first (a paragraph of the
gold's title, one sharing a rare question term the gold lacks); whether a channel alone
(BM25, character bigrams, dense) put the gold first. Counts only: the data is CC BY-SA and
its questions stay out of this repository (``--examples`` prints a few to stdout).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from common.retrieval_runs import cached_encoder, jsquad_index  # noqa: E402
from jsquad_bench import _outside_project, load_jsquad  # noqa: E402

from index.ngrams import normalized_bigrams  # noqa: E402
from index.retriever import HybridSearcher  # noqa: E402
from planqa.settings import Settings  # noqa: E402
from question import analyse  # noqa: E402

RARE_IDF = 5.0  # a question term this rare in the paragraphs names its topic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--var", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()
    root = _outside_project(args.var, "--var")
    settings = Settings()
    encoder = cached_encoder(settings)
    questions, snapshot = jsquad_index(args.dataset, root, encoder, args.limit)
    corpus = load_jsquad(args.dataset)
    searcher = HybridSearcher(snapshot, encoder, settings.retrieval)
    lexical = snapshot.lexical
    title = {name: t for name, (t, _) in corpus.paragraphs.items()}
    counts: Counter[str] = Counter()
    shown = 0
    for q in questions:
        analysis = analyse(q.text)
        hits = searcher.search(analysis, 10)
        sources = [h.chunk.source for h in hits]
        rank = sources.index(q.paragraph) + 1 if q.paragraph in sources else None
        counts["asked"] += 1
        if rank == 1:
            continue
        counts["miss"] += 1
        counts["gold rank 2-5" if rank and rank <= 5 else "gold rank > 5"] += 1
        top = hits[0].chunk
        counts[
            "first has the gold's title"
            if title.get(top.source) == title[q.paragraph]
            else "first has another title"
        ] += 1
        query = analysis.search_text
        rare = {t for t in lexical.query_weights(query) if lexical.bm25.idf(t) >= RARE_IDF}
        gold_terms = set().union(
            *(
                set(lexical.cached_terms(c.text)) | set(lexical.cached_terms(c.title or ""))
                for c in snapshot.chunks
                if c.source == q.paragraph
            )
        )
        top_terms = set(lexical.cached_terms(top.text)) | set(lexical.cached_terms(top.title or ""))
        if rare & top_terms - gold_terms:
            counts["first holds a rare question term the gold lacks"] += 1
        if rare & gold_terms - top_terms:
            counts["gold holds a rare question term the first lacks"] += 1
        channel_first = {}
        scores = {
            "bm25": lexical.scores(query),
            "bigram": snapshot.ngram.scores(dict(normalized_bigrams(analysis.searched)))
            if snapshot.ngram is not None
            else None,
        }
        vector = searcher.query_vector(query)
        if vector is not None and snapshot.vectors is not None:
            scores["dense"] = snapshot.vectors @ vector
        for name, values in scores.items():
            if values is None:
                continue
            best = int(values.argmax())
            channel_first[name] = snapshot.chunks[best].source == q.paragraph
            if channel_first[name]:
                counts[f"{name} alone has the gold first"] += 1
        if not any(channel_first.values()):
            counts["no channel alone has the gold first"] += 1
        if shown < args.examples:
            shown += 1
            print(
                f"- {q.id} {q.text} | gold {q.paragraph} ({title[q.paragraph]}) rank {rank}"
                f" | first {top.source} ({title.get(top.source)}) | alone {channel_first}"
            )
    asked = counts.pop("asked")
    print(f"asked {asked}, R@1 {1 - counts['miss'] / asked:.3f}", file=sys.stderr)
    for key, value in counts.most_common():
        print(f"| {key} | {value} | {value / asked:.3f} |")


if __name__ == "__main__":
    main()
