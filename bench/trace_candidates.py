"""Content signals measured beside the trace's link model, each under grouped CV.

    python bench/trace_candidates.py [--gold eval/gold/trace.jsonl] [--folds 5] [--repeats 5]
                                     [--seeds 0,1000] [--c 0.3] [--use-m3]

The shipped model (plantrace/link_model.py) misses links where a measure continues one part
of another area's section (bench/results/trace.md). Each candidate below is added as one
more column to the model's signals (as it is, and as a share of the measure's best section,
the form of the shipped content signals), the model re-fitted on each fold's other plan
labels as bench/fit_trace_model.py fits it (bench/common/trace_model_fit.py), and scored on
the held-out labels: link precision, recall and the metric results shown. ``--seeds`` are
the first shuffle of each run of repeats (0: bench/fit_trace_model.py's folds; another
seed shows how much of a difference is the partition's).

- ``metric_named``: a metric the measure targets (応答率, 取得日数: plantrace.metrics) is
  named in the section's text, with or without a figure (the linker's ``metric`` signal
  needs the figure);
- ``shared_name``: a compound of the measure (a noun run of Sudachi's mode C, at least
  four characters: a scheme, system or document the plans name) recurs in one subsection
  over at least two kinds of slide (plan summary, result, year's plan, year's result),
  weighted by its rarity over the sections (log(1 + sections / sections naming it));
- ``chive_pair``: the best chiVe SIF cosine of a measure sentence with a section sentence
  (the best pair, not a mean: the shipped ``meaning`` is the mean of three passages);
- ``use_pair`` (``--use-m3``): the same with USE-m3 sentence vectors (embeds the ~1,550
  passage sentences, tens of seconds on a loaded machine).

Every candidate together is one more row, chosen before any was measured.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.trace_inputs import trace_inputs  # noqa: E402
from common.trace_model_fit import (  # noqa: E402
    LinkTables,
    SignalRecorder,
    fit_link_model,
    held_out_labels,
    link_tables,
    table_links,
)

from eval.trace import TRACE_GOLD, TraceGold, score_trace  # noqa: E402
from index.build.sentence_step import embed_sentences  # noqa: E402
from index.encoders import UseM3Encoder  # noqa: E402
from index.sentence_vectors import shared_chive  # noqa: E402
from ingest.model import Chunk  # noqa: E402
from ingest.sudachi import analyze, split_sentences  # noqa: E402
from plantrace import Overrides, Trace, build_trace  # noqa: E402
from plantrace.content_signals import passage_vectors  # noqa: E402
from plantrace.link_figures import block_periods, with_results  # noqa: E402
from plantrace.link_model import SIGNALS  # noqa: E402
from plantrace.store import link_parameters  # noqa: E402

_PLAN_REFS = re.compile(r"[\[【［][^\]】］]*P[^\]】］]*[\]】］]")  # [中期P14] and the like
_NOUN_POS = ("名詞", "接頭辞", "接尾辞")
_NAME_CHARS = 4
_SLIDE_KINDS = 3  # kinds of slide at which a recurring name counts fully


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", _PLAN_REFS.sub("", text))


def compounds(text: str) -> list[str]:
    """The noun runs of ``text`` (mode C), without figures, a trailing 等 or a leading suffix."""
    found: list[str] = []
    run: list = []
    for token in [*analyze(_plain(text), "C"), None]:
        if (
            token is not None
            and token.pos[0] in _NOUN_POS
            and token.pos[1] != "数詞"
            and token.surface.strip()
            and not re.search(r"[0-9%]", token.surface)
        ):
            run.append(token)
            continue
        while run and run[-1].surface in ("等", "など"):
            run.pop()
        while run and run[0].pos[0] == "接尾辞":
            run.pop(0)
        if run:
            found.append("".join(t.surface for t in run))
        run = []
    return list(dict.fromkeys(found))


def metric_named(trace: Trace, texts: list[list[str]]) -> np.ndarray:
    table = np.zeros((len(trace.measures), len(trace.sections)))
    for i, measure in enumerate(trace.measures):
        metrics = {target.metric for target in measure.targets}
        for k, passages in enumerate(texts):
            table[i, k] = float(any(m in p for m in metrics for p in passages))
    return table


def shared_name(trace: Trace, by_id: dict[str, Chunk], texts: list[list[str]]) -> np.ndarray:
    sections = trace.sections
    table = np.zeros((len(trace.measures), len(sections)))
    for i, measure in enumerate(trace.measures):
        for name in (c for c in compounds(measure.text) if len(c) >= _NAME_CHARS):
            naming = sum(any(name in p for p in passages) for passages in texts)
            if not naming:
                continue
            rarity = math.log(1 + len(sections) / naming)
            for k, section in enumerate(sections):
                kinds: dict[str, set[str]] = {}
                for cid, passage in zip(section.chunk_ids, texts[k], strict=True):
                    if name in passage:
                        chunk = by_id[cid]
                        part = chunk.heading_path[1] if len(chunk.heading_path) > 1 else ""
                        kinds.setdefault(part, set()).add(chunk.kind)
                recurring = max((len(v) for v in kinds.values()), default=0)
                if recurring >= 2:
                    value = rarity * min(recurring, _SLIDE_KINDS) / _SLIDE_KINDS
                    table[i, k] = max(table[i, k], value)
    return table


def best_pair(
    trace: Trace,
    by_id: dict[str, Chunk],
    embed: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Sections × measures: the best cosine of a measure sentence with a section sentence."""
    sentences = {
        cid: [s for s in split_sentences(by_id[cid].text) if len(s) > 1]
        for section in trace.sections
        for cid in section.chunk_ids
    }
    table = np.zeros((len(trace.measures), len(trace.sections)))
    section_vectors = [
        embed([s for cid in section.chunk_ids for s in sentences[cid]])
        for section in trace.sections
    ]
    for i, measure in enumerate(trace.measures):
        own = embed([s for s in split_sentences(_plain(measure.text)) if len(s) > 1])
        for k, vectors in enumerate(section_vectors):
            if len(vectors) and len(own):
                table[i, k] = float((own @ vectors.T).max())
    return table


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def share_of_best(table: np.ndarray) -> np.ndarray:
    best = table.max(axis=1, keepdims=True)
    best[best <= 0] = 1.0
    return table / best


def cross_validated(
    data: LinkTables,
    names: tuple[str, ...],
    gold: list[TraceGold],
    by_id: dict[str, Chunk],
    periods: dict,
    args: argparse.Namespace,
    seed: int,
) -> tuple[float, float, float, float, int, int]:
    precisions, recalls = [], []
    right = pairs = 0
    measures = list(data.measures)
    sections = list(data.sections)
    for held in held_out_labels(gold, args.folds, args.repeats, seed):
        train = [m for m in data.labelled if data.label_of[m].label not in held]
        test = [m for m in data.labelled if data.label_of[m].label in held]
        model = fit_link_model(data, train, args.c, names)
        links = [
            with_results(link, measures, sections, by_id, periods)
            for link in table_links(data, model, test, model.threshold)
        ]
        trace = Trace(data.measures, data.sections, tuple(links))
        scores = score_trace(trace, [g for g in gold if g.label in held])
        precisions.append(scores.precision)
        recalls.append(scores.recall)
        right, pairs = right + scores.right_pairs, pairs + scores.pairs
    return (
        statistics.mean(precisions),
        statistics.stdev(precisions),
        statistics.mean(recalls),
        statistics.stdev(recalls),
        right,
        pairs,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=TRACE_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seeds", default="0,1000", help="first shuffle seed of each run")
    parser.add_argument("--c", type=float, default=0.3, help="L2 inverse strength (shipped 0.3)")
    parser.add_argument("--use-m3", action="store_true", help="measure the USE-m3 best pair too")
    args = parser.parse_args()

    inputs = trace_inputs(args.gold)
    settings, gold, chunks = inputs.settings, inputs.gold, inputs.chunks
    chive = shared_chive(settings.paths.var_dir / "cache", settings.retrieval.chive_dir)
    if chive is None:
        raise SystemExit("chiVe (ja-ginza) is needed: the shipped model reads it")
    stored = embed_sentences(chunks, chive, settings.sudachi.dictionary)
    recorder = SignalRecorder()
    trace = build_trace(
        chunks,
        inputs.counts,
        inputs.analyzer.terms,
        Overrides(),
        link_parameters(settings),
        inputs.own_terms,
        recorder,  # type: ignore[arg-type]
        passage_vectors(chunks, stored.vector),
    )
    data = link_tables(trace, recorder, gold)
    by_id = {chunk.id: chunk for chunk in chunks}
    texts = [[_plain(by_id[cid].text) for cid in s.chunk_ids] for s in trace.sections]

    def chive_vectors(sentences: Sequence[str]) -> np.ndarray:
        rows = [stored.vector(s) for s in sentences]
        return unit_rows(np.vstack(rows)) if rows else np.zeros((0, 1))

    candidates = {
        "metric_named": metric_named(trace, texts),
        "shared_name": shared_name(trace, by_id, texts),
        "chive_pair": best_pair(trace, by_id, chive_vectors),
    }
    if args.use_m3:
        encoder = UseM3Encoder(workers=1, cache_dir=settings.paths.var_dir / "cache")

        def use_vectors(sentences: Sequence[str]) -> np.ndarray:
            if not sentences:
                return np.zeros((0, encoder.dim))
            return np.asarray(encoder.embed_documents(list(sentences)), dtype=np.float32)

        candidates["use_pair"] = best_pair(trace, by_id, use_vectors)

    rows: list[tuple[str, LinkTables, tuple[str, ...]]] = [("shipped signals", data, SIGNALS)]
    for name, table in candidates.items():
        rows.append((f"+ {name}", data.with_columns([table]), (*SIGNALS, name)))
        rows.append(
            (
                f"+ {name}, share of best",
                data.with_columns([share_of_best(table)]),
                (*SIGNALS, f"{name}_share"),
            )
        )
    rows.append(
        ("+ every candidate", data.with_columns(list(candidates.values())), (*SIGNALS, *candidates))
    )
    periods = block_periods(chunks)
    seeds = [int(s) for s in args.seeds.split(",")]
    print(
        f"{len(data.labelled)} labelled measures × {len(data.sections)} sections, "
        f"{int(data.targets.sum())} linked pairs; grouped CV {args.folds}-fold × {args.repeats}, "
        f"C {args.c:g}, shuffle seeds {', '.join(map(str, seeds))}"
    )
    print(f"{'signals':34} " + "  ".join(f"{'seed ' + str(s):>38}" for s in seeds))
    for label, table, names in rows:
        cells = []
        for seed in seeds:
            p, p_sd, r, r_sd, right, pairs = cross_validated(
                table, names, gold, by_id, periods, args, seed
            )
            cells.append(f"P {p:.3f}±{p_sd:.3f} R {r:.3f}±{r_sd:.3f} m {right}/{pairs}")
        print(f"{label:34} " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
