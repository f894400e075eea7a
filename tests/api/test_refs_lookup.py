"""GET /refs for the forms users paste: a page list as the plans and answers cite it, a space
a browser or curl sent as ``+``, full-width characters; over a real server (loopback)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from question.label_lookup import labels_for_lookup


@pytest.mark.parametrize(
    ("typed", "labels"),
    [
        ("中期P46,47", ("中期P46", "中期P47")),
        ("年度P47,48", ("年度P47", "年度P48")),
        ("中期P46,年度P47,48", ("中期P46", "年度P47", "年度P48")),
        ("中期P46・年度P47", ("中期P46", "年度P47")),
        ("中期P46，47", ("中期P46", "中期P47")),
        ("年度P47~49", ("年度P47", "年度P48", "年度P49")),
        ("資料1-3 P6,7", ("資料1-3 P6", "資料1-3 P7")),
        ("資料1-3+P6", ("資料1-3 P6",)),
        ("資料1-3%20P6", ("資料1-3 P6",)),
        ("資料１－３ Ｐ６", ("資料1-3 P6",)),
        ("資料1-3P6", ("資料1-3 P6",)),
        ("中期計画の46、47ページ", ()),
    ],
)
def test_a_page_list_names_every_page_and_a_plus_is_a_space(typed, labels):
    assert labels_for_lookup(typed) == labels


def test_a_page_list_label_opens_every_page_it_names(server):
    body = httpx.get(f"{server.url}/refs/年度P47,48", timeout=30).json()
    assert body["label"] == "年度P47・年度P48"
    assert [page["label"] for page in body["pages"]] == ["年度P47", "年度P48"]
    for page in body["pages"]:
        own = httpx.get(f"{server.url}/refs/{page['label']}", timeout=30).json()
        assert page["chunk_ids"] == [chunk["chunk_id"] for chunk in own["chunks"]]
    ids = [chunk["chunk_id"] for chunk in body["chunks"]]
    assert len(ids) == len(set(ids))
    assert {i for page in body["pages"] for i in page["chunk_ids"]} == set(ids)


def test_a_page_list_across_documents_gives_each_documents_page(server):
    body = httpx.get(f"{server.url}/refs/{quote('中期P62・資料1-3 P6')}", timeout=30).json()
    pages = {page["label"]: page["chunk_ids"] for page in body["pages"]}
    assert set(pages) == {"中期P62", "資料1-3 P6"} and all(pages.values())
    refs = {label for chunk in body["chunks"] for label in chunk["refs"]}
    assert {"中期P62", "資料1-3 P6"} <= refs


@pytest.mark.parametrize("path", ["資料1-3+P6", "資料1-3%2BP6", "資料１－３　Ｐ６", "資料1-3P6"])
def test_a_label_pasted_with_plus_or_full_width_opens_the_canonical_page(server, path):
    response = httpx.get(f"{server.url}/refs/{path}", timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["label"] == "資料1-3 P6"
    assert response.json()["chunks"]


def test_an_unknown_page_list_is_a_404_saying_how_labels_look(server):
    response = httpx.get(f"{server.url}/refs/中期P998,999", timeout=30)
    assert response.status_code == 404
    japanese, _, english = response.json()["detail"].partition(" / ")
    assert "中期P46,47" in japanese and "確かめて" in japanese
    assert "several pages as 中期P46,47" in english
