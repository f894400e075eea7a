"""The worker side of a parallel USE-m3 embedding (index.encoders.UseM3Encoder.map_documents).

Workers are forked with the parent's model already loaded (``model``). A worker started any
other way (``start``: spawn, forkserver) loads its own; ``index/__init__`` imports nothing,
so that costs only numpy, the encoder wheel and sentencepiece.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

model = None  # this process's USE model: loaded by ``start``, or inherited through fork


def start(cache_dir: Path | None = None) -> None:
    global model
    from index.use_model import UseModel

    model = UseModel(threads=1, cache_dir=cache_dir)


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def encode(texts: list[str]) -> np.ndarray:
    return normalise(np.asarray(model.encode(texts), dtype=np.float32))
