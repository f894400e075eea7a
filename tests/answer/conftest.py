"""The answer service over the session's real index (both plans, USE-m3, Chroma on disk),
built once per test module: seventeen modules here ask it questions. A module needing
other plans or settings defines its own ``service`` fixture, which takes precedence."""

from __future__ import annotations

import pytest

from answer import AnswerService
from api.app import build_service
from planqa.settings import Settings


@pytest.fixture(scope="module")
def service(indexed_settings: Settings, use_encoder) -> AnswerService:
    return build_service(indexed_settings, use_encoder)
