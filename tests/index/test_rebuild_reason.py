"""`planqa index` says why it rebuilds rather than keeping the live index: one line, the
first reason found, in Japanese and English (index/build/rebuild_reason.py). Real builds
(Sudachi, USE-m3, Chroma on disk) of a small plan file under tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console

from api.cli_index import print_report
from index.build.builder import BuildReport, build_index
from index.dense_sentences import DENSE_SENTENCES
from index.generations import IndexDirectory
from planqa.settings import PathSettings, RetrievalSettings, Settings, SudachiSettings

PLAN = "窓口の案内.md"
TEXT = (
    "# 窓口の案内\n\n"
    "年金相談の窓口は平日の午前8時30分から午後5時15分まで開く。\n\n"
    "予約相談は電話かインターネットで受け付ける。\n"
)


def _printed(report: BuildReport, encoder) -> str:
    out = Console(width=160, record=True)
    print_report(report, encoder, out)
    return out.export_text()


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    data = tmp_path / "plans"
    data.mkdir()
    (data / PLAN).write_text(TEXT, encoding="utf-8")
    return Settings(paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"))


def test_each_rebuild_says_its_first_reason(workspace: Settings, use_encoder) -> None:
    data = workspace.paths.data_dir

    def build(settings: Settings) -> BuildReport:
        return build_index([data], settings, use_encoder)

    first = build(workspace)
    assert (
        first.reason
        == "作り直す理由: 索引がまだありません / rebuilding because there is no index yet"
    )
    kept = build(workspace)
    assert kept.unchanged and kept.reason == ""
    assert "作り直す理由" not in _printed(kept, use_encoder)

    weighted = workspace.model_copy(update={"retrieval": RetrievalSettings(continued_weight=0.25)})
    report = build(weighted)
    assert "設定が変わりました（retrieval.continued_weight）" in report.reason
    assert "settings changed (retrieval.continued_weight)" in report.reason
    printed = _printed(report, use_encoder)
    assert printed.splitlines()[0] == report.reason  # one line, before the counts

    split = weighted.model_copy(update={"sudachi": SudachiSettings(split_mode="C")})
    assert "settings changed (sudachi.split_mode)" in build(split).reason
    assert "settings changed (sudachi.split_mode)" in build(weighted).reason

    (data / PLAN).write_text(TEXT + "\n郵送の相談は受け付けない。\n", encoding="utf-8")
    report = build(weighted)
    assert "文書が変わりました / rebuilding because the documents changed" in report.reason

    dense = weighted.model_copy(
        update={"retrieval": RetrievalSettings(continued_weight=0.25, dense_sentences=True)}
    )
    assert "settings changed (retrieval.dense_sentences)" in build(dense).reason
    assert build(dense).unchanged
    generation = IndexDirectory(dense.paths.index_dir).current()
    assert generation is not None
    (generation / DENSE_SENTENCES).unlink()
    report = build(dense)
    assert "dense sentence-vector file" in report.reason
    assert "the file is missing" in report.reason and "ファイルがありません" in report.reason


def test_a_changed_encoder_is_named(workspace: Settings, use_encoder, tmp_path: Path) -> None:
    build_index([workspace.paths.data_dir], workspace, use_encoder)
    index_dir = workspace.paths.index_dir
    generation = IndexDirectory(index_dir).current()
    assert generation is not None
    manifest = generation / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    # The manifest as an index built by another encoder would have written it.
    manifest.write_text(text.replace(use_encoder.name, "other-encoder", 1), encoding="utf-8")
    report = build_index([workspace.paths.data_dir], workspace, use_encoder)
    assert f"the encoder changed (other-encoder → {use_encoder.name})" in report.reason
    shutil.rmtree(tmp_path / "var", ignore_errors=True)
