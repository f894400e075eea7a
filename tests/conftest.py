"""Shared test setup: offline model hubs, no telemetry, and the bundled plan files."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def use_encoder():
    """The real default encoder (USE multilingual v3 from its PyPI wheel), loaded once."""
    from index.encoders import UseM3Encoder

    return UseM3Encoder()
