"""The shared loopback server answers /health and /ask."""

import httpx


def test_server_answers_health_and_a_question(server):
    health = httpx.get(f"{server.url}/health").json()
    assert health["status"] == "ok" and health["chunks"] > 600
    response = httpx.post(f"{server.url}/ask", json={"question": "中期P62には何が書いてある？"})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] and any(c["label"] == "中期P62" for c in body["citations"])
