"""DELETE /documents/{name}: an upload can be taken back over HTTP with the upload's key; its
file and passages go, an unknown name says where the names are, a bundled plan is refused
with how to change the bundled set. A real uvicorn over loopback on a writable copy."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import httpx
import pytest

from api.document_removal import bundled_names

KEY = {"Authorization": "Bearer test-key-0123456789abcdef"}
# Own wording, on a topic the bundled plans do not cover, so an answer from it is its own.
MEMO = "# 訪問メモ\n\n移動相談車は毎月第三木曜日に南浜地区の公民館前に止まる。\n".encode()
MEMO_QUESTION = "移動相談車は南浜地区にいつ止まる？"


def is_bilingual(detail: str) -> bool:
    japanese, separator, english = detail.partition(" / ")
    kana_or_kanji = any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in japanese)
    return bool(separator) and kana_or_kanji and sum(w.isascii() for w in english.split()) >= 2


def upload(server, name: str, content: bytes) -> httpx.Response:
    files = {"file": (name, content, "text/plain")}
    return httpx.post(f"{server.url}/documents", files=files, headers=KEY, timeout=180)


def documents(server) -> set[str]:
    body = httpx.get(f"{server.url}/documents", timeout=30).json()
    return {document["source"] for document in body["documents"]}


@pytest.fixture()
def writable(writable_copy, use_encoder, launch, tmp_path: Path):
    yield from launch(writable_copy(tmp_path), use_encoder)


def delete(server, name: str, headers: dict[str, str] | None = KEY) -> httpx.Response:
    return httpx.delete(f"{server.url}/documents/{quote(name)}", headers=headers or {}, timeout=180)


def test_a_deleted_upload_leaves_the_folder_and_is_no_longer_cited(writable):
    assert upload(writable, "巡回メモ.md", MEMO).status_code == 200
    response = delete(writable, "巡回メモ.md")
    assert response.status_code == 200, response.text
    assert "巡回メモ.md" not in documents(writable)
    assert not (writable.settings.paths.data_dir / "巡回メモ.md").exists()
    answer = httpx.post(f"{writable.url}/ask", json={"question": MEMO_QUESTION}, timeout=60)
    assert all(c["source"] != "巡回メモ.md" for c in answer.json()["contexts"]), answer.text
    assert all(c["label"].find("巡回メモ") < 0 for c in answer.json()["citations"])


def test_deleting_needs_the_upload_key(writable):
    assert upload(writable, "memo.md", MEMO).status_code == 200
    response = delete(writable, "memo.md", headers=None)
    assert response.status_code == 401, response.text
    assert "memo.md" in documents(writable)


def test_an_unknown_name_is_a_bilingual_404_saying_where_the_names_are(writable):
    response = delete(writable, "ないファイル.txt")
    assert response.status_code == 404, response.text
    detail = response.json()["detail"]
    assert is_bilingual(detail) and "GET /documents" in detail, detail


def test_a_bundled_plan_is_refused_with_how_to_change_the_bundled_set(writable):
    bundled = "jps-4th-midterm-plan-overview.txt"
    response = delete(writable, bundled)
    assert response.status_code == 403, response.text
    detail = response.json()["detail"]
    assert is_bilingual(detail) and "planqa remove" in detail, detail
    assert bundled in documents(writable)
    assert (writable.settings.paths.data_dir / bundled).is_file()


def test_a_file_stored_beside_the_bundled_plans_is_not_one_of_them():
    """`make run` serves the repository's data/plans/, and uploads are stored there: a file
    is not a bundled plan for lying in that folder, else no upload could be deleted."""
    folder = Path(__file__).resolve().parents[2] / "data" / "plans"
    stored = folder / f"zz-upload-{uuid4().hex}.txt"
    stored.write_text("窓口メモ。\n", encoding="utf-8")
    try:
        assert stored.name not in bundled_names()
    finally:
        stored.unlink()
    assert bundled_names() == {
        "jps-4th-midterm-plan-overview.txt",
        "jps-3rd-midterm-fy2023-results.txt",
    }
