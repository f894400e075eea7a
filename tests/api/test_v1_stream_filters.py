"""/v1/chat/completions with ``stream: true`` refuses a filter no passage meets before the
stream starts, with the 422 and OpenAI-shaped body of the unstreamed request, never a 200
whose stream ends in an error event. A real uvicorn over loopback."""

from __future__ import annotations

import httpx
import pytest

QUESTION = {"role": "user", "content": "お客様の声はどう集めている？"}


@pytest.mark.parametrize(
    "filters",
    [{"source": "no-such-plan.txt"}, {"label": ["中期P46", "中期P9999"]}],
)
def test_a_filter_no_passage_meets_is_a_422_before_the_stream_starts(server, filters):
    body = {"model": "planqa", "messages": [QUESTION], "filters": filters}
    url = f"{server.url}/v1/chat/completions"
    unstreamed = httpx.post(url, json=body, timeout=60)
    streamed = httpx.post(url, json={**body, "stream": True}, timeout=60)
    assert unstreamed.status_code == 422, unstreamed.text
    assert streamed.status_code == 422, streamed.text
    assert streamed.headers["content-type"].startswith("application/json")
    assert streamed.json() == unstreamed.json()
    assert streamed.json()["error"]["param"] == "filters"
