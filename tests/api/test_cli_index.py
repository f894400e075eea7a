"""`planqa index PATH…`, `--prune` and `planqa remove` as a person runs them: real
subprocesses over a real index (Sudachi, USE-m3, Chroma on disk), stdout piped (not a TTY).

Issue 15 row 7: `planqa index one.txt` used to drop every other document silently."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.snapshot import open_snapshot
from ingest.pipeline import ingest_file
from planqa.settings import PathSettings, Settings

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
OVERVIEW = PLANS / "jps-4th-midterm-plan-overview.txt"
EXTRA = "出張相談の案内.md"
EXTRA_TEXT = (
    "# 出張相談の案内\n\n"
    "出張相談会は毎月第2水曜日に市民会館の小ホールで開く。\n\n"
    "相談会では基礎年金番号通知書の再交付の申請も受け付ける。\n"
)
QUESTION = "出張相談会はどこで開かれますか？"


def planqa(workspace: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(workspace["data"]),
        "PLANQA_PATHS__VAR_DIR": str(workspace["var"]),
    }
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def settings_of(workspace: dict[str, Path]) -> Settings:
    return Settings(paths=PathSettings(data_dir=workspace["data"], var_dir=workspace["var"]))


@pytest.fixture(scope="module")
def first_index(tmp_path_factory: pytest.TempPathFactory):
    """The data folder (one plan) indexed once by `planqa index`; its output kept."""
    root = tmp_path_factory.mktemp("cli-index")
    data = root / "plans"
    data.mkdir()
    shutil.copy(OVERVIEW, data / OVERVIEW.name)
    workspace = {"root": root, "data": data, "var": root / "var"}
    result = planqa(workspace, "index")
    assert result.returncode == 0, result.stderr
    return workspace, result.stdout


@pytest.fixture()
def workspace(first_index, tmp_path: Path) -> dict[str, Path]:
    """A copy of the first index (and its embedding cache) for one test to change."""
    base, _ = first_index
    data, var, outside = tmp_path / "plans", tmp_path / "var", tmp_path / "elsewhere"
    shutil.copytree(base["data"], data)
    shutil.copytree(base["var"], var)
    outside.mkdir()
    (outside / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    return {"root": tmp_path, "data": data, "var": var, "outside": outside}


def sources(workspace: dict[str, Path]) -> list[str]:
    settings = settings_of(workspace)
    return sorted({c.source for c in open_snapshot(settings, "use-m3").chunks})


def chunk_count(workspace: dict[str, Path]) -> int:
    return len(open_snapshot(settings_of(workspace), "use-m3").chunks)


def test_index_off_a_terminal_prints_each_phase_with_counts_and_tenths_of_embed(first_index):
    _, stdout = first_index
    chunks = len(ingest_file(OVERVIEW).chunks)
    assert "index read: 1 files done in" in stdout
    assert f"index analyse: {chunks} chunks done in" in stdout
    assert re.search(r"index embed: \d+ texts done in [\d.]+ s \([\d.]+ texts/s\)", stdout)
    assert f"index write: {chunks} chunks done in" in stdout
    tenths = re.findall(r"index embed: \d+/\d+ texts \((\d+)%\) [\d.]+ texts/s", stdout)
    assert len(tenths) >= 5 and tenths == sorted(tenths, key=int)
    assert f"documents added 1: {OVERVIEW.name}" in stdout
    assert "\x1b[" not in stdout  # no bar drawing when piped


def test_indexing_one_more_file_keeps_every_other_document(workspace):
    before = chunk_count(workspace)
    extra = workspace["outside"] / EXTRA
    result = planqa(workspace, "index", str(extra))
    assert result.returncode == 0, result.stderr
    assert chunk_count(workspace) == before + len(ingest_file(extra).chunks)
    assert sources(workspace) == sorted([OVERVIEW.name, EXTRA])
    assert f"documents added 1: {EXTRA}" in result.stdout
    assert f"documents kept 1: {OVERVIEW.name}" in result.stdout
    # The data folder indexed again keeps the file from elsewhere (no --prune).
    again = planqa(workspace, "index")
    assert again.returncode == 0, again.stderr
    assert sources(workspace) == sorted([OVERVIEW.name, EXTRA])
    assert f"documents kept 1: {EXTRA}" in again.stdout


def test_an_edited_file_is_updated_in_place(workspace):
    extra = workspace["outside"] / EXTRA
    assert planqa(workspace, "index", str(extra)).returncode == 0
    before, old = chunk_count(workspace), len(ingest_file(extra).chunks)
    extra.write_text(EXTRA_TEXT + "\n予約は前日までに電話で受け付ける。\n", encoding="utf-8")
    result = planqa(workspace, "index", str(extra))
    assert result.returncode == 0, result.stderr
    assert f"documents updated 1: {EXTRA}" in result.stdout
    assert "documents added 0" in result.stdout
    assert chunk_count(workspace) == before - old + len(ingest_file(extra).chunks)
    texts = [c.text for c in open_snapshot(settings_of(workspace), "use-m3").chunks]
    assert any("前日までに電話" in t for t in texts)


def _answer_sources(workspace: dict[str, Path], use_encoder) -> set[str]:
    from answer import AskRequest
    from api.app import build_service

    service = build_service(settings_of(workspace), use_encoder)
    response = asyncio.run(service.answer(AskRequest(question=QUESTION, top_k=5)))
    cited = {c.chunk_id for c in response.citations}
    return {ctx.source for ctx in response.contexts if ctx.chunk_id in cited}


def test_remove_drops_a_document_and_answers_stop_citing_it(workspace, use_encoder):
    extra = workspace["outside"] / EXTRA
    assert planqa(workspace, "index", str(extra)).returncode == 0
    assert EXTRA in _answer_sources(workspace, use_encoder)
    result = planqa(workspace, "remove", EXTRA)
    assert result.returncode == 0, result.stderr
    assert f"documents removed 1: {EXTRA}" in result.stdout
    assert sources(workspace) == [OVERVIEW.name]
    assert EXTRA not in _answer_sources(workspace, use_encoder)
    assert extra.exists()  # the file itself is left alone


def test_remove_of_an_unknown_name_changes_nothing_and_fails(workspace):
    before = chunk_count(workspace)
    result = planqa(workspace, "remove", "存在しない.txt")
    assert result.returncode != 0
    assert "索引にない文書です" in result.stderr and "not in the index" in result.stderr
    assert chunk_count(workspace) == before


def test_remove_with_delete_file_deletes_it_from_the_data_folder(workspace):
    inside = workspace["data"] / EXTRA
    shutil.copy(workspace["outside"] / EXTRA, inside)
    assert planqa(workspace, "index").returncode == 0
    kept = planqa(workspace, "remove", EXTRA)
    assert kept.returncode == 0 and inside.exists()
    assert "still in the data folder" in kept.stdout
    assert planqa(workspace, "index").returncode == 0  # so it comes back
    assert EXTRA in sources(workspace)
    deleted = planqa(workspace, "remove", "--delete-file", EXTRA)
    assert deleted.returncode == 0 and not inside.exists()
    assert sources(workspace) == [OVERVIEW.name]


def test_prune_drops_documents_whose_file_is_gone(workspace):
    extra = workspace["outside"] / EXTRA
    assert planqa(workspace, "index", str(extra)).returncode == 0
    extra.unlink()
    kept = planqa(workspace, "index")
    assert kept.returncode == 0 and EXTRA in sources(workspace)
    pruned = planqa(workspace, "index", "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert f"documents removed 1: {EXTRA}" in pruned.stdout
    assert sources(workspace) == [OVERVIEW.name]
