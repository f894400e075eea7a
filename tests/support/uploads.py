"""Uploading a file to a test server as a user with the write key does (POST /documents)."""

from __future__ import annotations

import httpx


def upload(server, name: str, content: bytes, media_type: str = "text/plain") -> httpx.Response:
    """``content`` sent as the multipart ``file`` ``name``, with the key ``server`` was
    started with (``tests/api/conftest.py``: writable copies carry the write key)."""
    key = server.settings.api.api_key.get_secret_value()
    return httpx.post(
        f"{server.url}/documents",
        files={"file": (name, content, media_type)},
        headers={"Authorization": f"Bearer {key}"},
        timeout=180,
    )
