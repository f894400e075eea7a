"""A filter value no passage carries is refused naming the values the index knows, on /search,
/ask, /ask/stream (before the stream starts) and /v1; it was answered with nothing and no
word why. Over a real server (loopback) on the indexed plans."""

from __future__ import annotations

import httpx
import openai
import pytest

from answer.errors import FilterMatchError
from answer.filter_match import check_filters_match
from index.filters import Filters

QUESTION = "国民年金の納付率の目標は？"
OVERVIEW = "jps-4th-midterm-plan-overview.txt"


def post(server, path: str, filters: dict) -> httpx.Response:
    field = "query" if path == "/search" else "question"
    return httpx.post(f"{server.url}{path}", json={field: QUESTION, "filters": filters}, timeout=60)


@pytest.mark.parametrize("path", ["/search", "/ask", "/ask/stream"])
def test_an_unknown_source_is_a_422_naming_the_files_and_their_titles(server, path):
    response = post(server, path, {"source": "第4期中期計画"})
    assert response.status_code == 422, response.text[:300]
    japanese, _, english = response.json()["detail"].partition(" / ")
    assert "絞り込み条件に合う箇所がありません" in japanese and "source '第4期中期計画'" in japanese
    assert OVERVIEW in japanese and "第4期中期計画（案）" in japanese and "送り直して" in japanese
    assert "no passage matches" in english and OVERVIEW in english and "send again" in english


def test_a_section_written_in_part_lists_the_sections_holding_it(server):
    response = post(server, "/search", {"section": "年金相談"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "Ⅰ-７．年金相談" in detail and "国民年金の適用促進対策" not in detail


def test_an_unknown_label_or_kind_is_named_with_the_known_ones(server):
    detail = post(server, "/ask", {"label": "中期P9999", "kind": "measures"}).json()["detail"]
    assert "label '中期P9999'" in detail and "中期P46" in detail
    assert "kind 'measures'" in detail and "measure" in detail


def test_values_that_exist_but_never_meet_say_so(server):
    response = post(server, "/search", {"source": OVERVIEW, "label": "資料1-3 P6"})
    assert response.status_code == 422
    japanese, _, english = response.json()["detail"].partition(" / ")
    assert "全部に合う箇所はありません" in japanese and "no passage meets them all" in english


def test_filters_some_passage_meets_still_answer(server):
    response = post(server, "/search", {"source": OVERVIEW, "label": "中期P46"})
    assert response.status_code == 200 and response.json()["results"]


def test_v1_refuses_an_unknown_filter_value_in_openais_shape(server):
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(openai.UnprocessableEntityError) as raised:
        client.chat.completions.create(
            model="planqa",
            messages=[{"role": "user", "content": QUESTION}],
            extra_body={"filters": {"kind": "measures"}},
        )
    assert raised.value.body["param"] == "filters"
    assert "kind 'measures'" in raised.value.body["message"]


def test_no_filter_is_never_refused_even_on_an_empty_index():
    check_filters_match(Filters(), [])
    with pytest.raises(FilterMatchError):
        check_filters_match(Filters(kind=("measure",)), [])


# A list means any of its values; one the index does not know is a typo, refused all the same.
LISTS_WITH_A_TYPO = [
    ({"kind": ["measure", "bogus"]}, "kind 'bogus'", "measure"),
    ({"source": [OVERVIEW, "typo.txt"]}, "source 'typo.txt'", OVERVIEW),
    ({"label": ["中期P46", "中期P9999"]}, "label '中期P9999'", "中期P46"),
]


@pytest.mark.parametrize("path", ["/search", "/ask"])
@pytest.mark.parametrize(("filters", "named", "known"), LISTS_WITH_A_TYPO)
def test_an_unknown_value_in_a_list_beside_known_ones_is_a_422(server, path, filters, named, known):
    response = post(server, path, filters)
    assert response.status_code == 422, response.text[:300]
    japanese, _, english = response.json()["detail"].partition(" / ")
    assert "絞り込み条件に合う箇所がありません" in japanese and named in japanese
    assert known in japanese and "送り直して" in japanese
    assert "no passage matches" in english and named in english and known in english


@pytest.mark.parametrize(("filters", "named", "known"), LISTS_WITH_A_TYPO)
def test_v1_refuses_an_unknown_value_in_a_list(server, filters, named, known):
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(openai.UnprocessableEntityError) as raised:
        client.chat.completions.create(
            model="planqa",
            messages=[{"role": "user", "content": QUESTION}],
            extra_body={"filters": filters},
        )
    assert raised.value.body["param"] == "filters"
    assert named in raised.value.body["message"] and known in raised.value.body["message"]


def test_a_list_of_known_values_still_answers(server):
    response = post(server, "/search", {"kind": ["measure", "result"], "label": ["中期P46"]})
    assert response.status_code == 200 and response.json()["results"]


def _own_page(server) -> str:
    """A label the overview's passages are cited by when they carry no plan page (overview
    p.2 …), as answers cite them."""
    labels = server.app.state.service.snapshot().by_label
    return next(label for label in labels if label.startswith("overview p."))


@pytest.mark.parametrize("path", ["/search", "/ask"])
def test_a_documents_own_page_as_answers_cite_it_is_a_filter_value(server, path):
    label = _own_page(server)
    response = post(server, path, {"label": label})
    assert response.status_code == 200, response.text[:300]  # before: 422, unknown label
    found = response.json()["results" if path == "/search" else "contexts"]
    assert found and all(label in hit["labels"] for hit in found)


@pytest.mark.parametrize(
    "value", ["中期P46・年度P47", "中期P46、年度P47", "中期P46,年度P47", "中期P46 ・ 年度P47"]
)
def test_a_pasted_list_of_labels_means_any_of_its_pages(server, value):
    body = {"query": QUESTION, "filters": {"label": value}, "top_k": 50}
    response = httpx.post(f"{server.url}/search", json=body, timeout=60)
    assert response.status_code == 200, response.text[:300]  # before: 422, unknown label
    labels = [set(hit["labels"]) for hit in response.json()["results"]]
    assert all(found & {"中期P46", "年度P47"} for found in labels)
    assert {"中期P46", "年度P47"} <= set().union(*labels)


def test_a_list_with_a_page_no_passage_carries_is_still_refused(server):
    detail = post(server, "/search", {"label": "中期P46・中期P9999"}).json()["detail"]
    assert "中期P9999" in detail and "中期P46" in detail
