"""A typed label that opens nothing names the held label it was probably meant as
(api/label_suggest.py): /refs/中期46 says 中期P46, and every suggestion opens."""

from __future__ import annotations

import httpx
import pytest

from api.label_suggest import suggested_labels


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("中期46", "中期P46"),
        ("年度47", "年度P47"),
        ("資料1-3 6", "資料1-3 P6"),
        ("中記P46", "中期P46"),
    ],
)
def test_a_close_miss_is_a_404_naming_the_label_meant_which_opens(server, typed, meant):
    response = httpx.get(f"{server.url}/refs/{typed}", timeout=30)
    assert response.status_code == 404, response.text
    japanese, _, english = response.json()["detail"].partition(" / ")
    assert meant in japanese and f"did you mean {meant}" in english, response.text
    assert httpx.get(f"{server.url}/refs/{meant}", timeout=30).status_code == 200


def test_a_page_no_document_has_gets_no_suggestion(server):
    detail = httpx.get(f"{server.url}/refs/中期P999", timeout=30).json()["detail"]
    assert "did you mean" not in detail and "check the page number" in detail


def test_only_held_labels_are_suggested_page_first_then_prefix():
    held = ["中期P46", "年度P46", "資料1-3 P46", "中期P47", "results p.46"]
    assert suggested_labels("46", held) == ["中期P46", "年度P46", "資料1-3 P46"]
    assert suggested_labels("ｐ.46", held) == ["中期P46", "年度P46", "資料1-3 P46"]
    assert suggested_labels("中期48", held) == []
    assert suggested_labels("資料13 P46", held) == ["資料1-3 P46"]
    assert suggested_labels("なにか", held) == []
