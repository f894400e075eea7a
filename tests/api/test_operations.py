"""Operations: re-indexing under load releases replaced generations (issue 15 row 1), and
/health never waits for answer work (row 8). Real Sudachi, USE-m3 and embedded Chroma."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from answer.service import ANSWER_WORKERS
from api.app import build_service
from index.build.builder import build_index
from index.generations import IndexDirectory
from index.live import LiveIndex
from planqa.settings import PathSettings, RetrievalSettings, Settings
from question import analyse

REINDEXES = 50

PLAN = """# 窓口サービスの改善

## 施策
● お客様の待ち時間を短くするため、予約制の相談を全国の年金事務所で行う。【中期P10】
● ねんきんネットを使う人を増やすため、操作の案内動画を公開する。【中期P11】

## 目標
● 相談の予約率を令和8年度までに60%以上とする。【年度P12】
"""


def open_paths() -> list[str]:
    """Every file this process holds open, as the kernel names it."""
    paths = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the descriptor listdir itself used, or one closed meanwhile
            continue
    return paths


def held_generations(index_dir: Path) -> set[str]:
    """Generation folders with a file held open (including deleted ones)."""
    root = str(index_dir.resolve())
    held = set()
    for path in open_paths():
        if path.startswith(root + "/gen-"):
            held.add(path[len(root) + 1 :].split("/", 1)[0])
    return held


def deleted_open(index_dir: Path) -> list[str]:
    root = str(index_dir.resolve())
    return [p for p in open_paths() if p.startswith(root) and p.endswith("(deleted)")]


@pytest.fixture
def small_index(tmp_path: Path, use_encoder) -> Settings:
    data = tmp_path / "plans"
    data.mkdir()
    (data / "window.md").write_text(PLAN, encoding="utf-8")
    settings = Settings(
        paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"),
        retrieval=RetrievalSettings(word_vectors=False),  # a faster build; not under test
    )
    build_index([data], settings, use_encoder)
    return settings


def change_plans(settings: Settings, round_: int) -> None:
    """A new generation each round: one changed sentence (only its chunk is embedded)."""
    (settings.paths.data_dir / "extra.md").write_text(
        f"# 追記\n\n● 第{round_}回の追記として、電話相談の受付時間を延ばす。【中期P{round_ + 20}】\n",
        encoding="utf-8",
    )


def test_reindexing_under_load_releases_each_replaced_generation(small_index, use_encoder):
    live = LiveIndex(small_index, use_encoder)
    live.load()
    index_dir = small_index.paths.index_dir
    stop = threading.Event()
    answered: list[int] = []
    errors: list[BaseException] = []

    def ask() -> None:
        question = analyse("予約制の相談はどこで行いますか")
        while not stop.is_set():
            try:
                with live.lease() as searcher:
                    answered.append(len(searcher.search(question, 3)))
                time.sleep(0.002)  # let the re-index have its share of the GIL
            except BaseException as error:  # noqa: BLE001 - any failure fails the test
                errors.append(error)
                return

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for asker in askers:
        asker.start()
    try:
        for round_ in range(REINDEXES):
            change_plans(small_index, round_)
            live.rebuild()
    finally:
        stop.set()
        for asker in askers:
            asker.join()
    assert not errors
    assert answered and all(n > 0 for n in answered)
    current = live.searcher.snapshot.generation.name
    assert deleted_open(index_dir) == []
    assert held_generations(index_dir) == {current}
    assert live.open_generations() == 1
    live.close()
    assert held_generations(index_dir) == set()


def test_a_replaced_generation_stays_open_until_its_last_request_ends(small_index, use_encoder):
    live = LiveIndex(small_index, use_encoder)
    first = live.load()
    question = analyse("ねんきんネットの案内動画")
    with live.lease() as held:
        assert held is first
        change_plans(small_index, 1)
        live.rebuild()
        assert live.searcher is first  # inside the lease, the request keeps its generation
        assert live.open_generations() == 2
        hits = held.search(question, 3)  # still searchable, dense channel included
        assert hits
    assert live.open_generations() == 1
    assert first.snapshot.generation.name not in held_generations(small_index.paths.index_dir)
    assert live.searcher is not first
    live.close()


def test_reindexing_unchanged_plans_keeps_the_loaded_generation(small_index, use_encoder):
    live = LiveIndex(small_index, use_encoder)
    loaded = live.load()
    report = live.rebuild()
    assert report.unchanged
    assert live.searcher is loaded
    live.close()


async def _answers_during_health(url: str, questions: int) -> int:
    """How many answers complete while one /health request, sent with ``questions``
    questions queued, waits for its response."""
    done: list[int] = []
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:

        async def ask(n: int) -> None:
            question = f"ねんきんネットを使う人を増やす取組は？（{n}）"
            response = await client.post("/ask", json={"question": question})
            response.raise_for_status()
            done.append(n)

        async def health() -> int:
            while not done:  # the server is busy answering
                await asyncio.sleep(0.01)
            before = len(done)
            response = await client.get("/health")
            assert response.status_code == 200
            return len(done) - before

        *_, during = await asyncio.gather(*(ask(n) for n in range(questions)), health())
    return during


def test_health_does_not_queue_behind_answer_work(server):
    """With 64 questions on the bundled plans queued, /health answers while at most a few
    of them complete: it runs on the event loop and the answers in a few worker threads
    (before, it waited for nearly every queued answer)."""
    during = asyncio.run(_answers_during_health(server.url, 64))
    assert during <= 2 * ANSWER_WORKERS


def test_build_service_does_not_start_a_probe_for_embedded_chroma(small_index, use_encoder):
    service = build_service(small_index, use_encoder)
    assert service.live.probe is None
    assert service.live.dense_up
    service.live.close()


def test_a_failed_build_leaves_no_generation_folder(tmp_path: Path):
    directory = IndexDirectory(tmp_path / "index")
    with pytest.raises(OSError), directory.lock():
        directory.new_generation()
        raise OSError("the disk is full")
    published = None
    with directory.lock():
        published = directory.new_generation()
        directory.publish(published)
    assert [p.name for p in directory.root.glob("gen-*")] == [published.name]


def test_readiness_is_503_without_an_index_while_health_stays_200(tmp_path, use_encoder, launch):
    settings = Settings(paths=PathSettings(data_dir=tmp_path / "plans", var_dir=tmp_path / "var"))
    for server in launch(settings, use_encoder):
        health = httpx.get(f"{server.url}/health")
        assert health.status_code == 200 and health.json()["status"] == "no-index"
        ready = httpx.get(f"{server.url}/health/ready")
        assert ready.status_code == 503 and ready.json()["index_loaded"] is False


def test_a_generation_planqa_index_publishes_beside_the_server_is_answered_from(
    writable_copy, use_encoder, launch, tmp_path: Path
):
    """The README's way to add a file is `planqa index FILE`; run beside `planqa serve`, the
    server went on answering from the generation it had loaded (until a restart or POST
    /index), and a second run deleted that generation's folder under it."""
    settings = writable_copy(tmp_path)
    note = tmp_path / "notes" / "港町メモ.txt"
    note.parent.mkdir()
    note.write_text(
        "港町の相談会\n\n●臨時の相談会を港町の公民館で毎月第二火曜日に開く。\n", encoding="utf-8"
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
    }
    for running in launch(settings, use_encoder):
        loaded = httpx.get(f"{running.url}/health", timeout=30).json()["generation"]
        indexed = subprocess.run(
            [sys.executable, "-m", "api.cli", "index", str(note)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert indexed.returncode == 0, indexed.stderr[-2000:]
        published = IndexDirectory(settings.paths.index_dir).current()
        assert published is not None and published.name != loaded
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            health = httpx.get(f"{running.url}/health", timeout=30).json()
            if health["generation"] == published.name:
                break
            time.sleep(0.2)
        assert health["generation"] == published.name
        documents = httpx.get(f"{running.url}/documents", timeout=30).json()["documents"]
        assert "港町メモ.txt" in {d["source"] for d in documents}
        answer = httpx.post(
            f"{running.url}/ask",
            json={"question": "臨時の相談会はどこの公民館で開く？"},
            timeout=60,
        ).json()
        assert "港町の公民館" in answer["answer"], answer["answer"]
