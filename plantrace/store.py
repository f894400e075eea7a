"""The trace is saved inside its index generation, so it is rebuilt and published with the
rest of the index and an old generation never shows the links of a new one."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import astuple
from pathlib import Path

import numpy as np

from ingest.model import Chunk
from planqa.settings import Settings
from plantrace.link_model import LinkModel
from plantrace.linker import LinkParameters, build_trace
from plantrace.model import Trace
from plantrace.overrides import Overrides

TRACE_FILE = "trace.json"
TRACE_VERSION = 5  # raise when the linker changes what it builds from the same inputs


def link_parameters(settings: Settings) -> LinkParameters:
    """The linker's fitted parameters as configured (``PLANQA_TRACE__…``)."""
    trace = settings.trace
    return LinkParameters(
        trace.structure_weight, trace.keep, trace.cross, trace.depth, page=trace.page
    )


class TraceBuild:
    """What one index build needs of the trace: the overrides read (and refused, with their
    line) before a generation is started, the fitted link model (read and refused the same
    way), and a key that changes when they or the link parameters do, so an edit of
    data/trace.txt or a re-fitted model alone rebuilds the index."""

    def __init__(self, settings: Settings) -> None:
        self.overrides = Overrides.load(settings.trace.overrides)
        self.parameters = link_parameters(settings)
        path = settings.trace.model
        self.model = LinkModel.load(path) if path is not None else None
        parameters = list(astuple(self.parameters))
        model = self.model.to_json() if self.model is not None else None
        payload = json.dumps(
            [TRACE_VERSION, self.overrides.added, self.overrides.removed, parameters, model]
        )
        self.key = hashlib.sha1(payload.encode()).hexdigest()[:16]

    def is_current(self, generation: Path) -> bool:
        try:
            saved = json.loads((generation / TRACE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return saved.get("key") == self.key

    def write(
        self,
        generation: Path,
        chunks: Sequence[Chunk],
        counts: Sequence[Counter[str]],
        terms: Callable[[str], list[str]],
        own_terms: Sequence[Sequence[str]] | None = None,
        chive_vectors: np.ndarray | None = None,
    ) -> Trace:
        trace = build_trace(
            chunks,
            counts,
            terms,
            self.overrides,
            self.parameters,
            own_terms,
            self.model,
            chive_vectors,
        )
        payload = {"key": self.key, **trace.to_json()}
        (generation / TRACE_FILE).write_text(
            json.dumps(payload, ensure_ascii=False), encoding="utf-8"
        )
        return trace


def load_trace(generation: Path) -> Trace:
    """The generation's trace; an index built before the trace existed has none (empty)."""
    path = generation / TRACE_FILE
    if not path.exists():
        return Trace()
    return Trace.from_json(json.loads(path.read_text(encoding="utf-8")))
