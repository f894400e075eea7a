"""How well the plan ↔ results trace matches hand-labelled links (eval/gold/trace.jsonl).

A gold line names one ● of the plan (its first plan label and its first words), the
results labels it should link to, and, where both sides state a figure on one metric, the
target and a result. Scores: link precision and recall over (measure, results label)
pairs; metric-pair accuracy over the gold pairs (the metric's target as the plan states it,
and the result among the linked figures, both verbatim up to width).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from eval.gold import GOLD_DIR, TRACE_GOLD_NAME
from plantrace.model import Measure, Trace

TRACE_GOLD = GOLD_DIR / TRACE_GOLD_NAME


@dataclass(frozen=True)
class TraceGold:
    measure: str  # the measure's first words after ●
    label: str  # its first plan label
    results: frozenset[str]
    metrics: tuple[dict, ...] = ()


@dataclass
class TraceScores:
    true_links: int = 0
    false_links: int = 0
    missed_links: int = 0
    pairs: int = 0
    right_pairs: int = 0
    unmatched: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_links + self.false_links
        return self.true_links / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_links + self.missed_links
        return self.true_links / wanted if wanted else 0.0

    @property
    def pair_accuracy(self) -> float:
        return self.right_pairs / self.pairs if self.pairs else 0.0

    def table(self) -> str:
        return "\n".join(
            [
                f"link precision       {self.precision:.3f}  (target ≥ 0.90)",
                f"link recall          {self.recall:.3f}  (target ≥ 0.85)",
                f"metric pairs right   {self.pair_accuracy:.3f}  ({self.right_pairs}/{self.pairs},"
                " target ≥ 0.85)",
                f"gold measures not found in the index: {len(self.unmatched)}",
            ]
        )

    def to_json(self) -> dict:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "pair_accuracy": self.pair_accuracy,
            "pairs": self.pairs,
            "unmatched": self.unmatched,
            "errors": self.errors,
        }


def load_trace_gold(path: Path = TRACE_GOLD) -> list[TraceGold]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            rows.append(
                TraceGold(
                    measure=raw["measure"],
                    label=raw["label"],
                    results=frozenset(raw["results"]),
                    metrics=tuple(raw.get("metrics", ())),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: bad trace gold line ({error})") from error
    return rows


def find_measure(trace: Trace, gold: TraceGold) -> Measure | None:
    start = _fold(gold.measure)
    for measure in trace.measures_with_label(gold.label):
        if _fold(measure.text).lstrip("●").startswith(start):
            return measure
    return None


def score_trace(trace: Trace, gold: list[TraceGold]) -> TraceScores:
    scores = TraceScores()
    for row in gold:
        measure = find_measure(trace, row)
        if measure is None:
            scores.unmatched.append(f"{row.label} {row.measure}")
            scores.missed_links += len(row.results)
            scores.pairs += len(row.metrics)
            continue
        links = trace.links_of_measure(measure.chunk_id)
        found = {label for link in links for label in trace.section[link.section_key].labels}
        scores.true_links += len(found & row.results)
        scores.false_links += len(found - row.results)
        scores.missed_links += len(row.results - found)
        wrong_pairs = []
        for pair in row.metrics:
            scores.pairs += 1
            targets = {_fold(f.value) for f in measure.targets if f.metric == pair["metric"]}
            results = {
                _fold(f.value) for link in links for f in link.results if f.metric == pair["metric"]
            }
            if _fold(pair["target"]) in targets and _fold(pair["result"]) in results:
                scores.right_pairs += 1
            else:
                wrong_pairs.append(pair["metric"])
        if found != row.results or wrong_pairs:
            scores.errors.append(
                {
                    "measure": f"{row.label} {row.measure}",
                    "missed": sorted(row.results - found),
                    "extra": sorted(found - row.results),
                    "wrong_metric_pairs": wrong_pairs,
                }
            )
    return scores


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")
