"""Schema-driven fuzzing: every route of the OpenAPI document, requests generated from its
schemas (valid and invalid), sent to the real server over loopback; no answer may be a 5xx.

Bounded and deterministic for CI: Hypothesis is derandomized and each operation gets a few
dozen cases (a few hundred in all). The write key is sent, so the write routes are fuzzed
past their key check; ``POST /index`` is left out (it takes no input but the key, and each
case would re-index the whole folder: test_routes.py covers it), and ``POST /documents``
runs on a server of its own with a copy of the plans, with fewer cases since each file it
accepts re-indexes.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from planqa.settings import ApiSettings, Settings

API_KEY = "test-key-0123456789abcdef"
KEY = {"Authorization": f"Bearer {API_KEY}"}

CASES_PER_READ_ROUTE = 25
CASES_FOR_UPLOADS = 10
FUZZ = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@pytest.fixture(scope="module")
def writable_url(writable_copy, use_encoder, launch, tmp_path_factory):
    writable = writable_copy(tmp_path_factory.mktemp("fuzz-writes"), max_upload_bytes=50_000)
    yield from (running.url for running in launch(writable, use_encoder))


def _openapi_document() -> dict:
    """The app's OpenAPI document, read at import time as schemathesis needs it. Building
    the document needs no index, so the app is given a placeholder service; every request
    then goes to the real server (``base_url``) over its real index."""
    placeholder_service = object()
    app = create_app(Settings(api=ApiSettings(api_key=API_KEY)), service=placeholder_service)
    return app.openapi()


schema = schemathesis.openapi.from_dict(_openapi_document())
reads = schema.exclude(method="POST", path_regex=r"^/(index|documents)$")
uploads = schema.include(method="POST", path="/documents")


@reads.parametrize()
@settings(max_examples=CASES_PER_READ_ROUTE, **FUZZ)
def test_no_route_answers_a_server_error(case, server):
    response = case.call(base_url=server.url, headers=KEY, timeout=60)
    case.validate_response(response, checks=[not_a_server_error])


@uploads.parametrize()
@settings(max_examples=CASES_FOR_UPLOADS, **FUZZ)
def test_uploads_never_answer_a_server_error(case, writable_url):
    response = case.call(base_url=writable_url, headers=KEY, timeout=180)
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzed_document_is_the_one_the_server_serves(server):
    served = httpx.get(f"{server.url}/openapi.json").json()["paths"]
    assert set(_openapi_document()["paths"]) == set(served)
    assert {"/ask", "/ask/stream", "/search", "/refs/{label}", "/documents"} <= set(served)
