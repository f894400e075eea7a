"""The embedding cache: each text embedded once per encoder and prefix, across generations,
and never left torn by a build killed while it writes."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

from index.build.builder import build_index
from index.build.embedding_cache import EmbeddingCache, cache_path, model_key
from index.build.embedding_step import chunk_vectors
from index.snapshot import open_snapshot
from ingest.model import Chunk
from planqa.settings import PathSettings, Settings

PLANS = Path(__file__).resolve().parents[3] / "data" / "plans"
OVERVIEW = PLANS / "jps-4th-midterm-plan-overview.txt"


def _vector(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=512).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_vectors_are_found_by_model_prefix_and_exact_text(tmp_path: Path):
    path = cache_path(tmp_path)
    with EmbeddingCache(path, model_key("use-m3")) as cache:
        assert cache.put_many([("年金", _vector(1)), ("保険料", _vector(2))]) == 2
    with EmbeddingCache(path, model_key("use-m3")) as cache:
        found = cache.get_many(["年金", "保険料", "年金 ", "未登録"])
        assert set(found) == {"年金", "保険料"} and len(cache) == 2
        assert np.array_equal(found["年金"], _vector(1))
    with EmbeddingCache(path, model_key("use-m3", "passage: ")) as other_prefix:
        assert other_prefix.get_many(["年金"]) == {}
    with EmbeddingCache(path, model_key("sentence-transformers:/m")) as other_model:
        assert other_model.get_many(["年金"]) == {}


def test_a_writer_killed_mid_transaction_leaves_the_cache_as_it_was(tmp_path: Path):
    path = cache_path(tmp_path)
    with EmbeddingCache(path, model_key("use-m3")) as cache:
        cache.put_many([("既存", _vector(3))])
    # A second process starts writing thousands of vectors and is killed before it commits.
    code = (
        "import sys, os, signal, numpy as np\n"
        "from pathlib import Path\n"
        "from index.build.embedding_cache import EmbeddingCache, model_key\n"
        "cache = EmbeddingCache(Path(sys.argv[1]), model_key('use-m3'))\n"
        "cache._db.execute('BEGIN IMMEDIATE')\n"
        "rows = [('use-m3\\x1f', str(i).encode(), 512, np.ones(512, np.float32).tobytes())\n"
        "        for i in range(5000)]\n"
        "cache._db.executemany('INSERT INTO vectors VALUES (?, ?, ?, ?)', rows)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True)
    assert result.returncode == -signal.SIGKILL
    with EmbeddingCache(path, model_key("use-m3")) as cache:
        assert len(cache) == 1
        assert np.array_equal(cache.get_many(["既存"])["既存"], _vector(3))
        cache.put_many([("新規", _vector(4))])  # and it is writable again
        assert len(cache) == 2


def test_an_index_rebuilt_from_scratch_embeds_nothing_already_embedded(tmp_path: Path, use_encoder):
    data = tmp_path / "plans"
    data.mkdir()
    shutil.copy(OVERVIEW, data / OVERVIEW.name)
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"))
    first = build_index([data], settings, use_encoder)
    assert first.embedded == first.chunks > 90
    first_vectors = np.load(first.generation / "embeddings.npy")
    shutil.rmtree(settings.paths.index_dir)  # no previous generation to take vectors from
    again = build_index([data], settings, use_encoder)
    assert again.embedded == 0 and again.reused == first.chunks
    assert np.array_equal(np.load(again.generation / "embeddings.npy"), first_vectors)
    assert len(open_snapshot(settings, use_encoder.name).chunks) == first.chunks


def test_a_text_carried_by_several_chunks_is_encoded_once(tmp_path: Path, use_encoder):
    calls: list[int] = []

    class Counting:
        """The real encoder, counting the texts it is asked to encode."""

        name = use_encoder.name
        dim = use_encoder.dim

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            calls.append(len(texts))
            return use_encoder.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return use_encoder.embed_query(text)

    chunks = [
        Chunk.build(
            text="窓口の待ち時間を短くする。",
            source=f"{name}.md",
            locator="p1",
            page=1,
            kind="text",
        )
        for name in ("甲", "乙", "丙")
    ]
    vectors, embedded = chunk_vectors(chunks, Counting(), tmp_path, None)
    assert sum(calls) == 1 and embedded == 3
    assert np.array_equal(vectors[0], vectors[2])
    again, embedded_again = chunk_vectors(chunks, Counting(), tmp_path, None)
    assert sum(calls) == 1 and embedded_again == 0 and np.array_equal(again, vectors)
