"""The generation a server answers from is deleted from disk while it serves: by two
``planqa index`` runs elsewhere (each keeps only the live generation and the one before
it), or by a person removing ``var/index``. A real server over loopback on a copy of the
indexed plans; the builds are the ones ``planqa index`` runs.

Before, /health stayed ``ok`` and answers came from the deleted generation's memory (the
plans as they were), and /trace, read on first use, failed on the missing folder.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from index.build.builder import build_index

# Own wording: a line added to a plan between the two runs, found only in the new index.
ADDED = "\n\n●北港支所では、受付の横に来所予約の案内札を掲示する。\n"
LATER = "\n\n●北港支所では、案内札の文字を大きくする。\n"
HEALTH_WAIT = 60  # s: loading the newer generation on a loaded machine


@pytest.fixture()
def writable(writable_copy, use_encoder, launch, tmp_path: Path):
    yield from launch(writable_copy(tmp_path), use_encoder)


def health(server) -> dict:
    response = httpx.get(f"{server.url}/health", timeout=10)
    assert response.status_code == 200  # liveness: always 200 while the process runs
    return response.json()


def index_elsewhere(server, use_encoder, text: str) -> str:
    """Edit a plan and build, as ``planqa index`` in another shell does: a new generation."""
    settings = server.settings
    plan = sorted(Path(settings.paths.data_dir).glob("*.txt"))[0]
    plan.write_text(plan.read_text(encoding="utf-8") + text, encoding="utf-8")
    return build_index([settings.paths.data_dir], settings, use_encoder).generation.name


def test_a_deleted_generation_is_reported_then_the_published_one_is_served(writable, use_encoder):
    served = health(writable)["generation"]
    index_elsewhere(writable, use_encoder, ADDED)
    newest = index_elsewhere(writable, use_encoder, LATER)
    assert not (Path(writable.settings.paths.index_dir) / served).exists()

    # Never ok while serving the deleted generation. The server may already have loaded the
    # first of the two new generations (it follows what another process publishes), which
    # still exists: that is served, not stale.
    first = health(writable)
    assert first["status"] != "ok" or first["generation"] != served
    deadline = time.monotonic() + HEALTH_WAIT
    while time.monotonic() < deadline:
        report = health(writable)
        if report["status"] == "ok" and report["generation"] == newest:
            break
        assert report["generation"] != served or report["status"] != "ok"
        time.sleep(0.5)
    assert health(writable)["generation"] == newest
    found = httpx.post(
        f"{writable.url}/search", json={"query": "北港支所の案内札", "top_k": 3}, timeout=60
    ).json()["results"]
    assert any("北港支所" in result["text"] for result in found)  # the new index, not stale


def test_a_removed_index_is_refused_with_what_to_do_and_served_again_after_indexing(
    writable, use_encoder
):
    shutil.rmtree(writable.settings.paths.index_dir)

    report = health(writable)
    assert report["status"] == "no-index" and not report["index_loaded"]
    japanese, english = report["detail"].split(" / ")
    assert "削除されました" in japanese and "planqa index を実行" in japanese
    assert "再起動" in japanese and "restart the server" in english
    ready = httpx.get(f"{writable.url}/health/ready", timeout=10)
    assert ready.status_code == 503
    question = {"question": "電話がつながる割合の目標は？"}
    for method, path, body in [
        ("POST", "/ask", question),
        ("POST", "/ask/stream", question),
        ("POST", "/search", {"query": "応答率"}),
        ("GET", f"/refs/{quote('中期P46')}", None),
        ("GET", f"/trace/{quote('中期P46')}", None),
        ("GET", "/documents", None),
    ]:
        response = httpx.request(method, f"{writable.url}{path}", json=body, timeout=60)
        assert response.status_code == 503, (path, response.status_code, response.text)
        assert "planqa index" in response.json()["detail"], path

    chat = {"model": "planqa", "stream": True, "messages": [{"role": "user", "content": "応答率"}]}
    refused = httpx.post(f"{writable.url}/v1/chat/completions", json=chat, timeout=60)
    assert refused.status_code == 503 and "planqa index" in refused.json()["error"]["message"]

    index_elsewhere(writable, use_encoder, LATER)  # what the detail says to do
    answered = httpx.post(f"{writable.url}/ask", json=question, timeout=60)
    assert answered.status_code == 200 and answered.json()["answered"]
    assert health(writable)["status"] == "ok"


def test_with_no_index_the_stream_is_refused_before_it_starts(tmp_path, use_encoder, launch):
    """Before, /ask/stream answered 200 and then cut the stream: the chat page said only
    that the connection broke, never what to do."""
    from planqa.settings import PathSettings, Settings

    settings = Settings(paths=PathSettings(data_dir=tmp_path / "plans", var_dir=tmp_path / "var"))
    for server in launch(settings, use_encoder):
        response = httpx.post(
            f"{server.url}/ask/stream", json={"question": "応答率の目標は？"}, timeout=60
        )
        assert response.status_code == 503, response.text
        japanese, english = response.json()["detail"].split(" / ")
        assert "planqa index を実行" in japanese and "run 'planqa index'" in english
