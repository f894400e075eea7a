"""The filter values an index knows are kept per generation (answer/filter_match.py): a new
upload or POST /index is a new generation, and its new values are accepted at once (and a
removed file's refused) — kept values must never outlive their generation. Over a real
server (loopback) on a writable copy of the indexed plans, and on the module directly."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from answer.errors import FilterMatchError
from answer.filter_match import check_filters_match
from index.filters import Filters
from ingest.model import Chunk

API_KEY = "test-key-0123456789abcdef"
KEY = {"Authorization": f"Bearer {API_KEY}"}
# Own wording, on a topic the plans do not cover.
NOTE = "# 巡回メモ\n\n移動窓口車は毎月第三木曜日に南浜地区の公民館へ立ち寄る。\n"


def chunk(source: str, kind: str = "measure") -> Chunk:
    return Chunk(id=f"{source}-{kind}", text="本文。", source=source, page=1, kind=kind)


def test_another_chunk_list_is_read_afresh_not_served_from_the_last():
    first = [chunk("a.txt")]
    check_filters_match(Filters(source=("a.txt",)), first)
    with pytest.raises(FilterMatchError):
        check_filters_match(Filters(source=("b.txt",)), first)
    with pytest.raises(FilterMatchError):  # a.txt holds no result passage
        check_filters_match(
            Filters(source=("a.txt",), kind=("result",)), [*first, chunk("b.txt", "result")]
        )
    second = [chunk("a.txt"), chunk("b.txt"), chunk("a.txt", "result")]
    check_filters_match(Filters(source=("b.txt",)), second)
    check_filters_match(Filters(source=("a.txt",), kind=("result",)), second)
    with pytest.raises(FilterMatchError):  # and back: the first list's values are its own
        check_filters_match(Filters(source=("b.txt",)), first)


@pytest.fixture()
def writable(writable_copy, use_encoder, launch, tmp_path: Path):
    yield from launch(writable_copy(tmp_path), use_encoder)


def search(server, source: str) -> httpx.Response:
    body = {"query": "移動窓口車はいつ立ち寄る？", "filters": {"source": source}}
    return httpx.post(f"{server.url}/search", json=body, timeout=60)


def test_an_uploaded_file_is_a_filter_value_at_once_and_a_removed_one_is_not(writable):
    assert search(writable, "junkai.txt").status_code == 422  # its generation's values kept
    response = httpx.post(
        f"{writable.url}/documents",
        files={"file": ("junkai.txt", NOTE.encode(), "text/plain")},
        headers=KEY,
        timeout=180,
    )
    assert response.status_code == 200, response.text
    found = search(writable, "junkai.txt")
    assert found.status_code == 200, found.text[:300]
    assert found.json()["results"]
    (writable.settings.paths.data_dir / "junkai.txt").unlink()
    assert httpx.post(f"{writable.url}/index", headers=KEY, timeout=180).status_code == 200
    assert search(writable, "junkai.txt").status_code == 422
