"""GET /health over loopback names a sentence-vector file the server could not use (and
what to do), while /ask goes on answering without its feature."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from index.build.builder import build_index
from index.dense_sentences import DENSE_SENTENCES
from index.generations import IndexDirectory
from planqa.settings import ApiSettings, PathSettings, RetrievalSettings, Settings

PLAN = Path(__file__).resolve().parents[2] / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"


def test_health_says_which_sentence_file_is_damaged_and_answers_go_on(
    tmp_path: Path, use_encoder, launch
) -> None:
    data = tmp_path / "plans"
    data.mkdir()
    shutil.copy(PLAN, data / PLAN.name)
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"),
        api=ApiSettings(api_key="test-key-0123456789abcdef"),
        retrieval=RetrievalSettings(dense_sentences=True),
    )
    build_index([data], settings, use_encoder)
    generation = IndexDirectory(settings.paths.index_dir).current()
    assert generation is not None
    damaged = generation / DENSE_SENTENCES
    damaged.write_bytes(damaged.read_bytes()[:1000])  # cut short, as by a full disk
    for server in launch(settings, use_encoder):
        health = httpx.get(f"{server.url}/health", timeout=10).json()
        assert health["status"] == "ok" and health["index_loaded"]
        (said,) = health["notices"]
        assert DENSE_SENTENCES in said and "planqa index" in said and " / " in said
        asked = httpx.post(
            f"{server.url}/ask",
            json={"question": "お客様の声をサービス改善にどう反映しますか"},
            timeout=60,
        )
        assert asked.status_code == 200 and asked.json()["answer"]
