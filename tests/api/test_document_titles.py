"""One title per document everywhere (api: /documents, /ask citations and contexts, a
decline's passages, filter errors), the one the document gives itself; a filter's
``source`` takes that title or the report a 資料 label's page belongs to as the file.
A real uvicorn over loopback."""

from __future__ import annotations

import httpx
import pytest

RESULTS = "jps-3rd-midterm-fy2023-results.txt"
OWN_TITLE = "第3期中期計画の取組及び令和5年度の取組のポイント"
QUESTION = "令和5年度に起きた事務処理のミスは何件？"


def test_citations_name_a_document_as_documents_lists_it(server):
    listed = httpx.get(f"{server.url}/documents", timeout=30).json()["documents"]
    titles = {document["source"]: document["title"] for document in listed}
    assert titles[RESULTS] == OWN_TITLE
    body = httpx.post(f"{server.url}/ask", json={"question": QUESTION}, timeout=60).json()
    by_id = {context["chunk_id"]: context for context in body["contexts"]}
    assert body["citations"], body
    for citation in body["citations"]:
        source = by_id[citation["chunk_id"]]["source"]
        assert citation["document_title"] == titles[source], citation


@pytest.mark.parametrize(
    "named",
    [
        OWN_TITLE,
        "第３期中期計画の取組及び令和５年度の取組のポイント",
        "令和5年度業務実績報告書（案）",
    ],
)
def test_a_document_title_is_accepted_as_its_source_filter(server, named):
    body = {"question": QUESTION, "filters": {"source": named}}
    response = httpx.post(f"{server.url}/ask", json=body, timeout=60)
    assert response.status_code == 200, response.text
    assert {context["source"] for context in response.json()["contexts"]} == {RESULTS}
