"""The two sentence-vector files of a generation (chiVe: sentence_vectors.npz, the dense
encoder's: dense_sentences.npz) with their settings on: a file that is missing, damaged, of
another format version or not made from the generation's sentences by its encoder makes
`planqa index` rebuild the generation (its vectors from the embedding cache), and a server
over such a file starts, answers without the file's feature and says so, never crashes.

Every damage is done to the real files of a real build, copied under tmp_path."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from answer import AskRequest
from api.app import build_service
from index import sentence_vectors
from index.build.builder import build_index
from index.dense_sentences import DENSE_SENTENCES, DenseSentences
from index.generations import IndexDirectory
from index.sentence_vectors import SENTENCE_VECTORS
from planqa.settings import PathSettings, RetrievalSettings, Settings

QUESTION = "お客様の声をサービス改善にどう反映しますか"
OVERVIEW = (
    Path(__file__).resolve().parents[2] / "data" / "plans" / "jps-4th-midterm-plan-overview.txt"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, use_encoder) -> Settings:
    """The plan overview indexed with both sentence-vector files (built once, copied)."""
    root = tmp_path_factory.mktemp("sentence-files")
    data = root / "plans"
    data.mkdir()
    shutil.copy(OVERVIEW, data / OVERVIEW.name)
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=root / "var"),
        retrieval=RetrievalSettings(sentence_vectors=True, dense_sentences=True),
    )
    build_index([data], settings, use_encoder)
    generation = IndexDirectory(settings.paths.index_dir).current()
    assert generation is not None
    assert (generation / SENTENCE_VECTORS).exists() and (generation / DENSE_SENTENCES).exists()
    return settings


def _copy(built: Settings, root: Path) -> tuple[Settings, Path]:
    """The built index copied under ``root`` (over the same, unchanged, plans: the index
    records where each was read), and the copy's live generation."""
    var = root / "var"
    shutil.copytree(built.paths.var_dir, var)
    paths = PathSettings(data_dir=built.paths.data_dir, var_dir=var)
    settings = built.model_copy(update={"paths": paths})
    generation = IndexDirectory(settings.paths.index_dir).current()
    assert generation is not None
    return settings, generation


def _rewrite(path: Path, change: Callable[[dict[str, np.ndarray]], None]) -> None:
    """The archive's arrays, changed by ``change``, written back as a valid .npz."""
    with np.load(path, allow_pickle=True) as data:
        arrays = {key: data[key] for key in data.files}
    change(arrays)
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def _missing(path: Path) -> None:
    path.unlink()


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _wrong_dtype(path: Path) -> None:
    def change(arrays: dict[str, np.ndarray]) -> None:
        arrays["vectors"] = (arrays["vectors"] * 100).astype(np.int64)

    _rewrite(path, change)


def _other_format(path: Path) -> None:
    def change(arrays: dict[str, np.ndarray]) -> None:
        arrays["format"] = np.asarray(99)

    _rewrite(path, change)


def _fewer_rows(path: Path) -> None:
    def change(arrays: dict[str, np.ndarray]) -> None:
        arrays["vectors"] = arrays["vectors"][:-1]

    _rewrite(path, change)


def _other_encoder(path: Path) -> None:
    def change(arrays: dict[str, np.ndarray]) -> None:
        arrays["encoder"] = np.asarray("another-encoder\x1f")

    _rewrite(path, change)


def _other_sif(path: Path) -> None:
    def change(arrays: dict[str, np.ndarray]) -> None:
        arrays["a"] = np.asarray(0.5)

    _rewrite(path, change)


DAMAGE = {
    "missing": _missing,
    "truncated": _truncated,
    "zero bytes": _zero_bytes,
    "garbage": _garbage,
    "wrong dtype": _wrong_dtype,
}
OUT_OF_DATE = {
    **DAMAGE,
    "other format version": _other_format,
    "fewer rows than sentences": _fewer_rows,
}
BUILD_CASES = [
    *((DENSE_SENTENCES, name) for name in [*OUT_OF_DATE, "other encoder"]),
    *((SENTENCE_VECTORS, name) for name in [*OUT_OF_DATE, "other SIF parameters"]),
]
CHANGES = {**OUT_OF_DATE, "other encoder": _other_encoder, "other SIF parameters": _other_sif}


def test_an_intact_index_is_up_to_date(built: Settings, tmp_path: Path, use_encoder) -> None:
    settings, generation = _copy(built, tmp_path)
    report = build_index([settings.paths.data_dir], settings, use_encoder)
    assert report.unchanged and report.generation.name == generation.name
    assert build_service(settings, use_encoder).live.searcher.snapshot.notices == []


@pytest.mark.parametrize(("file", "damage"), BUILD_CASES)
def test_planqa_index_rebuilds_a_generation_whose_sentence_file_is_wrong(
    built: Settings, tmp_path: Path, use_encoder, file: str, damage: str
) -> None:
    settings, generation = _copy(built, tmp_path)
    CHANGES[damage](generation / file)
    report = build_index([settings.paths.data_dir], settings, use_encoder)
    assert not report.unchanged
    assert report.generation.name != generation.name
    assert report.embedded == 0  # every vector from the embedding cache
    # The rebuilt files read back whole, made for this generation.
    dense = DenseSentences.read(report.generation, use_encoder.name, use_encoder.revision)
    texts, _ = sentence_vectors.read_sentence_file(report.generation, settings.sudachi.dictionary)
    assert len(dense) == len(texts) > 100
    assert build_index([settings.paths.data_dir], settings, use_encoder).unchanged


@pytest.mark.parametrize("file", [DENSE_SENTENCES, SENTENCE_VECTORS])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_server_over_a_damaged_sentence_file_answers_without_it_and_says_so(
    built: Settings, tmp_path: Path, use_encoder, caplog, file: str, damage: str
) -> None:
    settings, generation = _copy(built, tmp_path)
    DAMAGE[damage](generation / file)
    with caplog.at_level(logging.WARNING, logger="planqa.index"):
        service = build_service(settings, use_encoder)
        snapshot = service.live.searcher.snapshot
        if file == DENSE_SENTENCES:
            assert snapshot.dense_sentences is None
        else:
            assert snapshot.lexical.sentence_vectors is None
        for _ in range(2):
            answer = asyncio.run(service.answer(AskRequest(question=QUESTION)))
            assert answer.answer
    (said,) = snapshot.notices
    assert file in said and "planqa index" in said and " / " in said
    assert "なしで回答しています" in said and "answers are served without" in said
    # Said once, in the log as in GET /health.
    logged = [r.getMessage() for r in caplog.records if r.name == "planqa.index"]
    assert len([m for m in logged if said in m]) == 1
