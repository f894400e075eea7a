"""A full disk (issue 21 row 2): `POST /documents` and `POST /index` answer a bilingual 507
naming the full disk and `planqa index` prints one `Error:` line, while the previous index
keeps answering and nothing is half-written (no generation folder, no file in the data
folder, no half line in HISTORY).

The disk is full for real: the data and var folders are copied onto a small tmpfs mounted
for the test (root only; skipped with the reason where mounting is not permitted) and a
filler file leaves a given number of bytes free. Several amounts are tried so that the build
fails at different writes: SQLite's embedding cache ("disk I/O error"), the chunks file, the
vectors, Chroma's copy in the forked writer of `planqa index`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from index.generations import HISTORY, IndexDirectory
from planqa.settings import Settings

API_KEY = "test-key-0123456789abcdef"
KEY = {"Authorization": f"Bearer {API_KEY}"}
MEMO = "# 相談メモ\n\n巡回相談バスは毎月第二火曜日に北港地区の集会所へ停車する。\n".encode()
MEMO_QUESTION = "巡回相談バスはいつ北港地区に停車する？"
FILLER = "filler"


def is_bilingual(detail: str) -> bool:
    japanese, separator, english = detail.partition(" / ")
    kana_or_kanji = any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in japanese)
    return bool(separator) and kana_or_kanji and len(english.split()) >= 2


def names_the_full_disk(detail: str, folder: Path) -> bool:
    return "ディスク" in detail and "disk" in detail and "full" in detail and str(folder) in detail


def tree_bytes(*folders: Path) -> int:
    """What the folders take on a tmpfs (whole 4 KiB pages per file)."""
    total = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                total += -(-path.stat().st_size // 4096) * 4096 + 4096
            else:
                total += 4096
    return total


def free_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def fill(disk: Path, leave: int) -> None:
    """Write a filler file until only ``leave`` bytes are free on ``disk``."""
    missing = free_bytes(disk) - leave
    block = b"\0" * (1 << 20)
    with (disk / FILLER).open("ab") as handle:
        while missing > 0:
            handle.write(block[: min(missing, len(block))])
            missing -= len(block)
    assert free_bytes(disk) <= leave + 4096


@pytest.fixture
def small_disk() -> Iterator[Callable[[Path, int], Path]]:
    """A function mounting a tmpfs of ``size`` bytes on a folder; unmounted after the test."""
    mounted: list[Path] = []

    def mount(folder: Path, size: int) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        command = ["mount", "-t", "tmpfs", "-o", f"size={size // 1024 + 1}k", "tmpfs", str(folder)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(
                "a full disk is tested on a small tmpfs, and mounting one is not permitted "
                f"here (run the tests as root): {result.stderr.strip()}"
            )
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)  # a file still open


@pytest.fixture
def copy_on_small_disk(small_disk, writable_copy, indexed_settings: Settings, tmp_path: Path):
    """A function: the indexed plans and their index copied onto a tmpfs with room for a
    few more MiB, as settings with the write key."""

    def copy(headroom: int = 32 << 20) -> Settings:
        paths = indexed_settings.paths
        size = tree_bytes(paths.data_dir, paths.var_dir) + headroom
        return writable_copy(small_disk(tmp_path / "disk", size))

    return copy


def generations(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.paths.index_dir.glob("gen-*"))


def data_files(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.paths.data_dir.iterdir() if not p.name.startswith("."))


def nothing_half_written(settings: Settings, before: dict) -> None:
    """The index and the data folder exactly as they were before the write that failed."""
    directory = IndexDirectory(settings.paths.index_dir)
    assert directory.current() == before["current"]
    assert generations(settings) == before["generations"]
    assert (settings.paths.index_dir / HISTORY).read_text() == before["history"]
    assert not [p for p in settings.paths.index_dir.iterdir() if p.name.startswith(".CURRENT")]
    assert data_files(settings) == before["files"]
    assert not list(settings.paths.data_dir.glob(".uploads/*"))


def state_of(settings: Settings) -> dict:
    return {
        "current": IndexDirectory(settings.paths.index_dir).current(),
        "generations": generations(settings),
        "history": (settings.paths.index_dir / HISTORY).read_text(),
        "files": data_files(settings),
    }


def upload(url: str, name: str, content: bytes) -> httpx.Response:
    return httpx.post(
        f"{url}/documents", files={"file": (name, content, "text/plain")}, headers=KEY, timeout=180
    )


def answers_from_the_plans(url: str) -> None:
    response = httpx.post(f"{url}/search", json={"query": "お客様の声"}, timeout=60)
    assert response.status_code == 200 and response.json()["results"], response.text
    assert httpx.get(f"{url}/health", timeout=10).json()["status"] == "ok"


# Bytes left free: none (the upload cannot even be staged), then room for the upload but
# not for the new generation (the build fails at the embedding cache or a later write).
@pytest.mark.parametrize("leave", [0, 64 << 10, 4 << 20])
def test_a_full_disk_is_a_bilingual_507_and_the_previous_index_answers(
    copy_on_small_disk, use_encoder, launch, leave: int
):
    settings = copy_on_small_disk()
    disk = settings.paths.data_dir.parent
    for server in launch(settings, use_encoder):
        fill(disk, leave)
        before = state_of(settings)
        documents_before = httpx.get(f"{server.url}/documents", timeout=30).json()

        refused = upload(server.url, "相談メモ.txt", MEMO)
        assert refused.status_code == 507, refused.text
        detail = refused.json()["detail"]
        assert is_bilingual(detail) and "try again" in detail
        assert names_the_full_disk(detail, disk / "plans") or names_the_full_disk(
            detail, disk / "var"
        )
        nothing_half_written(settings, before)
        answers_from_the_plans(server.url)
        assert httpx.get(f"{server.url}/documents", timeout=30).json() == documents_before

        (disk / FILLER).unlink()  # a file put in the data folder by hand, then the disk fills
        (settings.paths.data_dir / "手作業.txt").write_bytes(MEMO)
        fill(disk, leave)
        before = state_of(settings)
        reindex = httpx.post(f"{server.url}/index", headers=KEY, timeout=180)
        assert reindex.status_code == 507, reindex.text
        assert is_bilingual(reindex.json()["detail"])
        assert names_the_full_disk(reindex.json()["detail"], disk / "var")
        nothing_half_written(settings, before)
        answers_from_the_plans(server.url)

        (disk / FILLER).unlink()  # space freed: the same requests succeed
        (settings.paths.data_dir / "手作業.txt").unlink()
        stored = upload(server.url, "相談メモ.txt", MEMO)
        assert stored.status_code == 200, stored.text
        answer = httpx.post(f"{server.url}/ask", json={"question": MEMO_QUESTION}, timeout=60)
        assert answer.json()["contexts"][0]["source"] == "相談メモ.txt", answer.text


def planqa(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_planqa_index_on_a_full_disk_prints_one_error_line_and_keeps_the_index(
    copy_on_small_disk,
):
    settings = copy_on_small_disk()
    disk = settings.paths.data_dir.parent
    (settings.paths.data_dir / "相談メモ.txt").write_bytes(MEMO)  # something to build
    live = IndexDirectory(settings.paths.index_dir).current()
    assert live is not None
    generation_bytes = tree_bytes(live)
    # Fractions of a generation: the build runs out at the cache, the chunks, the vectors
    # and Chroma's copy (written by the forked process).
    for fraction in (0, 0.15, 0.5, 0.85):
        fill(disk, int(generation_bytes * fraction))
        before = state_of(settings)
        result = planqa(settings, "index")
        assert result.returncode == 1, (fraction, result.stdout[-2000:], result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (fraction, result.stdout)
        assert is_bilingual(lines[0]) and names_the_full_disk(lines[0], disk / "var")
        assert "Traceback" not in result.stdout
        nothing_half_written(settings, before)
        (disk / FILLER).unlink()
    result = planqa(settings, "index")  # with the space back, the same command indexes the file
    assert result.returncode == 0, result.stderr
    assert "added 1: 相談メモ.txt" in result.stdout


def test_serve_on_a_full_disk_prints_one_error_line(copy_on_small_disk, port_factory):
    """Opening the index writes (Chroma replays its log): a full disk stops the start-up
    with one line, not a traceback."""
    settings = copy_on_small_disk()
    disk = settings.paths.data_dir.parent
    fill(disk, 0)
    result = planqa(settings, "serve", "--port", str(port_factory()))
    assert result.returncode == 1, result.stdout[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert is_bilingual(lines[0]) and names_the_full_disk(lines[0], disk / "var")
