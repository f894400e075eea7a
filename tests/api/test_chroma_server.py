"""A real Chroma server (``chroma run`` from the installed chromadb) on a free loopback
port: the index goes into it, answers match embedded Chroma, and when the server stops the
service degrades honestly (issue 15 row 2). No mocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from index.build.builder import build_index
from planqa.settings import ApiSettings, ChromaSettings, PathSettings, Settings

API_KEY = "test-key-0123456789abcdef"
PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
CHROMA = Path(sys.executable).with_name("chroma")
PLANQA = Path(sys.executable).with_name("planqa")
PLAN = PLANS / "jps-4th-midterm-plan-overview.txt"
QUESTIONS = [
    "ねんきんネットを使ってもらうための施策は？",
    "中期P46には何が書いてある？",
    "年金事務所の相談の予約について教えて",
    "新しい中期計画はどの年度から始まる？",
]
PLAN_ADDED = "# 追加の施策\n\n● 電話相談の受付時間を平日夜まで延ばす。【中期P70】\n"


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("chroma run did not start")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
            return httpx.get(url, timeout=1).is_success
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def plans_settings(root: Path, chroma: ChromaSettings | None = None) -> Settings:
    data = root / "plans"
    data.mkdir(parents=True)
    (data / PLAN.name).write_bytes(PLAN.read_bytes())
    return Settings(
        paths=PathSettings(data_dir=data, var_dir=root / "var"),
        api=ApiSettings(api_key=API_KEY),
        chroma=chroma or ChromaSettings(),
    )


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory, port_factory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-data"), port_factory())
    yield server
    server.stop()


def answers_of(url: str) -> list[tuple[str, list[tuple[str, str]]]]:
    found = []
    for question in QUESTIONS:
        response = httpx.post(f"{url}/ask", json={"question": question}, timeout=60)
        assert response.status_code == 200, response.text
        body = response.json()
        citations = [(c["label"], c["chunk_id"]) for c in body["citations"]]
        found.append((body["answer"], citations))
    return found


def wait_for_health(url: str, status: str) -> dict:
    """The heartbeat is refreshed every second in the background."""
    deadline = time.monotonic() + 20
    while True:
        body = httpx.get(f"{url}/health", timeout=5).json()
        if body["status"] == status or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def generations(settings: Settings) -> set[str]:
    return {p.name for p in settings.paths.index_dir.glob("gen-*")}


def planqa(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PLANQA_PATHS__DATA_DIR": str(settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
        "PLANQA_CHROMA__HOST": settings.chroma.host or "",
        "PLANQA_CHROMA__PORT": str(settings.chroma.port),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.run(
        [str(PLANQA), *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_an_embedded_index_moves_to_a_configured_chroma_server(
    tmp_path, chroma_server, use_encoder
):
    """Same files, but a Chroma server configured since the last build: the index is not
    'up to date' (its vectors are in the local store), it is written to the server.
    Runs before the test below, which stops the module's server."""
    embedded = plans_settings(tmp_path)
    first = build_index([embedded.paths.data_dir], embedded, use_encoder)
    remote = embedded.model_copy(
        update={"chroma": ChromaSettings(host="127.0.0.1", port=chroma_server.port)}
    )
    moved = build_index([remote.paths.data_dir], remote, use_encoder)
    assert not moved.unchanged and moved.generation != first.generation
    manifest = json.loads((moved.generation / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["chroma"] == "http"
    assert not (moved.generation / "chroma").exists()
    again = build_index([remote.paths.data_dir], remote, use_encoder)
    assert again.unchanged and again.generation == moved.generation


def test_a_chroma_server_answers_like_embedded_and_degrades_when_it_stops(
    tmp_path, chroma_server, use_encoder, launch
):
    embedded = plans_settings(tmp_path / "embedded")
    build_index([embedded.paths.data_dir], embedded, use_encoder)
    for server in launch(embedded, use_encoder):
        expected = answers_of(server.url)
        server.app.state.service.live.close()

    remote = plans_settings(
        tmp_path / "remote", ChromaSettings(host="127.0.0.1", port=chroma_server.port)
    )
    build_index([remote.paths.data_dir], remote, use_encoder)
    manifest = (remote.paths.index_dir / "CURRENT").read_text().strip()
    assert not (remote.paths.index_dir / manifest / "chroma").exists()  # vectors on the server
    for server in launch(remote, use_encoder):
        url = server.url
        assert answers_of(url) == expected
        health = httpx.get(f"{url}/health").json()
        assert health["status"] == "ok" and health["channels"]["dense"] == "ok"
        assert httpx.get(f"{url}/health/ready").status_code == 200

        chroma_server.stop()
        health = wait_for_health(url, "degraded")
        assert health["status"] == "degraded"
        assert health["channels"] == {"lexical": "ok", "dense": "down"}
        assert "Chroma" in health["detail"]
        ready = httpx.get(f"{url}/health/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "degraded"

        assert answers_of(url) == expected  # answering goes on from the loaded index

        before = generations(remote)
        reindex = httpx.post(
            f"{url}/index", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120
        )
        assert reindex.status_code == 503
        detail = reindex.json()["detail"]
        assert "接続できません" in detail and "unreachable" in detail
        assert generations(remote) == before
        server.app.state.service.live.close()

    # A changed plan, so that 'planqa index' has vectors to write.
    (remote.paths.data_dir / "added.md").write_text(PLAN_ADDED, encoding="utf-8")
    for command in (["index"], ["serve", "--port", "1"]):
        before = generations(remote)
        result = planqa(remote, *command)
        assert result.returncode != 0
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and "unreachable" in errors[0], result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert generations(remote) == before
