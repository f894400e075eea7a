"""The trace link model's fit under cross-validation grouped by plan label, shared by
bench/fit_trace_model.py (the shipped signals) and bench/trace_candidates.py (signals
measured beside them).

Every (measure, results section) pair of the bundled documents is a row; the linker builds
the table of its signals for each measure, read here by ``SignalRecorder`` standing in for
the model. A fold fits a logistic regression (standardised signals, L2 with inverse
strength ``C``) on the other folds' measures and picks the threshold with the best link F1
on them. Folds hold out every ● of a plan label together (two ● on one page share their
words and their links), shuffled as bench/fit_trace.py shuffles them, so the benches'
figures compare.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from eval.trace import TraceGold, find_measure, score_trace
from plantrace.link_model import LinkModel
from plantrace.model import Link, Measure, Section, Trace

THRESHOLDS = np.round(np.arange(0.1, 0.9, 0.025), 3)


class SignalRecorder:
    """Stands in for a LinkModel to read the table the linker builds for each measure."""

    threshold = 1.0

    def __init__(self) -> None:
        self.tables: list[np.ndarray] = []

    def probabilities(self, table: np.ndarray) -> np.ndarray:
        self.tables.append(table.copy())
        return np.zeros(len(table))


@dataclass
class LinkTables:
    """The signal table of every measure and the gold's answer for each labelled pair."""

    measures: tuple[Measure, ...]
    sections: tuple[Section, ...]
    tables: np.ndarray  # measures × sections × signals, in the linker's measure order
    label_of: dict[str, TraceGold]  # measure chunk id → its gold line
    labelled: list[str]  # chunk ids of the labelled measures
    targets: np.ndarray  # labelled × sections: the gold links the pair

    @property
    def row_of(self) -> dict[str, int]:
        return {m.chunk_id: i for i, m in enumerate(self.measures)}

    def with_columns(self, columns: list[np.ndarray]) -> LinkTables:
        """The same pairs with measures × sections columns added after the signals."""
        tables = np.concatenate([self.tables, *(c[:, :, None] for c in columns)], axis=2)
        return LinkTables(
            self.measures, self.sections, tables, self.label_of, self.labelled, self.targets
        )


def link_tables(skeleton: Trace, recorder: SignalRecorder, gold: list[TraceGold]) -> LinkTables:
    """The tables ``recorder`` read while the linker built ``skeleton``, with the gold."""
    label_of = {}
    for row in gold:
        found = find_measure(skeleton, row)
        if found is not None:
            label_of[found.chunk_id] = row
    labelled = [m.chunk_id for m in skeleton.measures if m.chunk_id in label_of]
    targets = np.asarray(
        [
            [bool(set(s.labels) & label_of[mid].results) for s in skeleton.sections]
            for mid in labelled
        ]
    )
    return LinkTables(
        skeleton.measures,
        skeleton.sections,
        np.stack(recorder.tables),
        label_of,
        labelled,
        targets,
    )


def held_out_labels(
    gold: list[TraceGold], folds: int, repeats: int, seed: int = 0
) -> Iterator[set[str]]:
    """The plan labels each fold holds out, ``folds`` per repeat (repeat r shuffled with
    seed ``seed + r``; seed 0 gives bench/fit_trace.py's folds)."""
    labels = list(dict.fromkeys(row.label for row in gold))
    for repeat in range(repeats):
        order = labels[:]
        random.Random(seed + repeat).shuffle(order)
        for fold in range(folds):
            yield set(order[fold::folds])


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def table_links(data: LinkTables, model: LinkModel, ids: list[str], threshold: float) -> list[Link]:
    """The links the model makes from the recorded tables (no figures read): every section
    at least ``threshold`` probable, the most probable when none is, as the linker links."""
    row_of = data.row_of
    links = []
    for mid in ids:
        probabilities = model.probabilities(data.tables[row_of[mid]])
        chosen = [k for k, p in enumerate(probabilities) if p >= threshold]
        for k in chosen or [int(np.argmax(probabilities))]:
            links.append(Link(mid, data.sections[k].key, 0.0, "content", ""))
    return links


def fit_link_model(
    data: LinkTables, ids: list[str], c: float, signals: tuple[str, ...]
) -> LinkModel:
    """The logistic model fitted on the measures ``ids``, its threshold the one with the best
    link F1 on them (ties to the higher threshold)."""
    from sklearn.linear_model import LogisticRegression

    row_of = data.row_of
    width = data.tables.shape[2]
    x = data.tables[[row_of[m] for m in ids]].reshape(-1, width)
    y = data.targets[[data.labelled.index(m) for m in ids]].reshape(-1)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    parts = (tuple(mean.tolist()), tuple(scale.tolist()), tuple(regression.coef_[0].tolist()))
    model = LinkModel(signals, *parts, float(regression.intercept_[0]), 0.5)
    rows = [data.label_of[m] for m in ids]

    def link_f1(threshold: float) -> float:
        links = table_links(data, model, ids, threshold)
        scores = score_trace(Trace(data.measures, data.sections, tuple(links)), rows)
        return f1(scores.precision, scores.recall)

    best = max(THRESHOLDS, key=lambda t: (link_f1(t), t))
    return LinkModel(signals, *parts, model.bias, float(best))
