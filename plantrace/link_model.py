"""The fitted linker: a logistic model over each (measure, results section) pair's signals.

The rule linker (plantrace/linker.py, ``LinkParameters``) links by the structure prior and
two hand-shaped content rules; it finds the home section and few others. This model weighs
the same signals (the structure prior among them) with the content signals of
plantrace/content_signals.py, and links a measure to every section whose probability
reaches ``threshold`` (and to its most probable one when none does, as the rule links its
best). Weights, standardisation and threshold are data (``data/trace_model.json``), fitted
under cross-validation grouped by plan label by bench/fit_trace_model.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from plantrace.content_signals import SIGNALS as CONTENT_SIGNALS
from plantrace.model import Link

# The rule linker's signals, in the order the linker computes them: the structure prior
# (how much of the section's name the area repeats), the best slide's TF-IDF cosine, that
# score (structure included) as a share of the measure's best, the content score and its
# share of the home section's, the closest report page's cosine, the section being the
# measure's best by score, a figure on a metric the measure targets.
RULE_SIGNALS = (
    "structure",
    "cosine",
    "relative",
    "content",
    "content_share",
    "page",
    "best",
    "metric",
)
SIGNALS = RULE_SIGNALS + CONTENT_SIGNALS


class LinkModelError(ValueError):
    """The model file cannot be used; the message names it and what to do."""


@dataclass(frozen=True)
class LinkModel:
    signals: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: str = ""

    def probabilities(self, table: np.ndarray) -> np.ndarray:
        """The link probability of each row of ``table`` (columns in ``SIGNALS`` order)."""
        z = (table - np.asarray(self.mean)) / np.asarray(self.scale) @ np.asarray(self.weights)
        z = z + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return asdict(self)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> LinkModel:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            rows = {name: tuple(raw[name]) for name in ("signals", "mean", "scale", "weights")}
            numbers = {name: float(raw[name]) for name in ("bias", "threshold")}
            model = cls(**rows, **numbers, fitted_on=str(raw.get("fitted_on", "")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise LinkModelError(
                f"{path}: the trace model cannot be read ({error}); re-fit it with "
                "bench/fit_trace_model.py --write, or set PLANQA_TRACE__MODEL= to link by rule"
            ) from error
        if model.signals != SIGNALS or not len(model.mean) == len(model.scale) == len(
            model.weights
        ) == len(SIGNALS):
            raise LinkModelError(
                f"{path}: the trace model was fitted on signals {list(model.signals)}, the "
                f"linker reads {list(SIGNALS)}; re-fit it with bench/fit_trace_model.py --write"
            )
        return model


def rule_signals(
    signals: list[tuple[float, float, float, float, bool]],
    pages: list[float],
    top: float,
    reference: float,
) -> np.ndarray:
    """Sections × RULE_SIGNALS of one measure, from the rule linker's per-section (structure
    share, best slide cosine, score, content score, metric aimed) and its page cosines."""
    scores = np.asarray([score for _, _, score, _, _ in signals])
    return np.column_stack(
        [
            [named for named, *_ in signals],
            [cosine for _, cosine, *_ in signals],
            scores / top if top > 0 else np.zeros(len(signals)),
            [content for *_, content, _ in signals],
            [content / reference if reference > 0 else 0.0 for *_, content, _ in signals],
            pages,
            (np.arange(len(signals)) == int(np.argmax(scores))).astype(float),
            [float(aims) for *_, aims in signals],
        ]
    )


def model_links(
    measure_id: str, scored: Sequence[tuple], probabilities: np.ndarray, threshold: float
) -> list[Link]:
    """Every section at least ``threshold`` probable; the most probable when none is."""
    chosen = [k for k, p in enumerate(probabilities) if p >= threshold]
    chosen = chosen or [int(np.argmax(probabilities))]
    links = []
    for k in chosen:
        _, _, section, slide, by_structure = scored[k]
        source = "structure" if by_structure else "content"
        links.append(
            Link(measure_id, section.key, round(float(probabilities[k]), 4), source, slide)
        )
    return links
