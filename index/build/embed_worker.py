"""The worker side of a parallel USE-m3 embedding (index.encoders.UseM3Encoder.map_documents).

Workers are forked with the parent's model already loaded (``model``). A worker started any
other way (``start``: spawn, forkserver) loads its own; ``index/__init__`` and
``index/build/__init__`` import nothing, so that costs only numpy, the encoder wheel and
sentencepiece.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.encoders import normalise

model = None  # this process's USE model: loaded by ``start``, or inherited through fork


def start(cache_dir: Path | None = None) -> None:
    global model
    from index.use_model import UseModel

    model = UseModel(threads=1, cache_dir=cache_dir)


def encode(texts: list[str]) -> np.ndarray:
    return normalise(np.asarray(model.encode(texts), dtype=np.float32))
