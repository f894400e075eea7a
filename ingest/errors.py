"""Ingest errors carry the file and a reason a staff member can act on."""

from __future__ import annotations


class IngestError(Exception):
    """A plan file could not be read; the rest of the run goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
