"""``PLANQA_RETRIEVAL__CHIVE_DIR``: a chiVe vocab folder read instead of the ja-ginza wheel's.

A folder that is not a chiVe vocab is refused when the settings are read (the features would
otherwise be silently off); a change of folder rebuilds the index, and the neighbour table
is then made from the new vectors, not grown from the old table. Real builds (Sudachi,
USE-m3, Chroma on disk) of a small plan under tmp_path; the configured folder links the
wheel's own files, so it is real chiVe under another name."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from index.build.builder import build_index
from index.chive import chive_dir
from index.generations import IndexDirectory
from index.manifest import read_manifest
from planqa.settings import PathSettings, RetrievalSettings, Settings

WHEEL = chive_dir()
needs_chive = pytest.mark.skipif(WHEEL is None, reason="the ja-ginza wheel is not installed")


def test_a_folder_without_chive_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "vectors").write_bytes(b"")
    with pytest.raises(ValidationError) as raised:
        RetrievalSettings(chive_dir=tmp_path)
    message = str(raised.value)
    assert "key2row がありません" in message and "has no key2row" in message
    assert RetrievalSettings(chive_dir="").chive_dir is None  # an empty variable is unset


@needs_chive
def test_a_configured_folder_is_read_and_its_change_rebuilds(tmp_path: Path, use_encoder) -> None:
    folder = tmp_path / "chive-1.3-mc90" / "vocab"
    folder.mkdir(parents=True)
    for name in ("vectors", "key2row"):
        (folder / name).symlink_to(WHEEL / name)
    data = tmp_path / "plans"
    data.mkdir()
    (data / "窓口.md").write_text(
        "# 窓口の案内\n\n年金相談の窓口は平日に開く。予約相談は電話で受け付ける。\n",
        encoding="utf-8",
    )
    paths = PathSettings(data_dir=data, var_dir=tmp_path / "var")
    wheel = Settings(paths=paths)
    configured = Settings(paths=paths, retrieval=RetrievalSettings(chive_dir=folder))
    assert chive_dir(configured.retrieval.chive_dir) == folder

    build_index([data], wheel, use_encoder)
    first = read_manifest(IndexDirectory(paths.index_dir).current())
    assert first["word_vectors"] and first["chive"] == WHEEL.parent.name

    report = build_index([data], configured, use_encoder)
    assert "settings changed (retrieval.chive_dir)" in report.reason
    manifest = read_manifest(IndexDirectory(paths.index_dir).current())
    assert manifest["word_vectors"] and manifest["chive"] == "chive-1.3-mc90"
    assert build_index([data], configured, use_encoder).unchanged
    assert "retrieval.chive_dir" in build_index([data], wheel, use_encoder).reason
