"""PLANQA_RETRIEVAL__SENTENCE_VECTORS=true without the chiVe vectors (the ja-ginza wheel):
`planqa index` and GET /health `notices` say that no sentence-vector file is written and the
chiVe features read 0, and what to do (Japanese and English).

The absence is SIMULATED: ``chive_dir()`` finds the wheel through the import path
(``importlib.util.find_spec("ja_ginza")``), so an empty ``ja_ginza`` package put first on
that path (no ``ja_ginza-*/vocab`` folder) stands in for an install without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from index.build.builder import build_index
from index.chive import chive_dir
from index.generations import IndexDirectory
from index.sentence_vectors import SENTENCE_VECTORS
from planqa.settings import ApiSettings, PathSettings, RetrievalSettings, Settings

ROOT = Path(__file__).resolve().parents[2]
PLAN = "窓口の案内.md"
TEXT = (
    "# 窓口の案内\n\n"
    "年金相談の窓口は平日の午前8時30分から午後5時15分まで開く。\n\n"
    "予約相談は電話かインターネットで受け付ける。\n"
)


@pytest.fixture
def simulated_chive_absence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding an empty ``ja_ginza`` package, first on the import path (this
    process's, and returned for a subprocess's PYTHONPATH): chiVe is not found."""
    shadow = tmp_path / "no-chive"
    (shadow / "ja_ginza").mkdir(parents=True)
    (shadow / "ja_ginza" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "ja_ginza", raising=False)
    monkeypatch.syspath_prepend(str(shadow))
    assert chive_dir() is None
    return shadow


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "plans"
    data.mkdir()
    (data / PLAN).write_text(TEXT, encoding="utf-8")
    return data


def _says_it(text: str) -> None:
    assert "ja-ginza" in text and "sentence_vectors.npz" in text and "planqa index" in text
    assert "chiVe の文類似度特徴量は 0" in text and "the chiVe sentence features read 0" in text


def test_planqa_index_says_chive_is_missing(tmp_path: Path, simulated_chive_absence: Path) -> None:
    data = _data(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(simulated_chive_absence), str(ROOT)]),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(data),
        "PLANQA_PATHS__VAR_DIR": str(tmp_path / "var"),
        "PLANQA_RETRIEVAL__SENTENCE_VECTORS": "true",
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "index"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    _says_it(done.stdout)
    generation = IndexDirectory(tmp_path / "var" / "index").current()
    assert generation is not None and not (generation / SENTENCE_VECTORS).exists()


def test_health_notices_chive_is_missing(
    tmp_path: Path, simulated_chive_absence: Path, use_encoder, launch
) -> None:
    settings = Settings(
        paths=PathSettings(data_dir=_data(tmp_path), var_dir=tmp_path / "var"),
        api=ApiSettings(api_key="test-key-0123456789abcdef"),
        retrieval=RetrievalSettings(sentence_vectors=True),
    )
    build_index([settings.paths.data_dir], settings, use_encoder)
    for server in launch(settings, use_encoder):
        health = httpx.get(f"{server.url}/health", timeout=10).json()
        assert health["status"] == "ok" and health["index_loaded"]
        (said,) = health["notices"]
        _says_it(said)
