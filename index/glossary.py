"""The domain glossary: staff-editable groups of equivalent terms (call-centre ↔ plan wording).

Format of ``data/glossary.txt``: one group per line, terms separated by ``=`` (or ``,``
``、``); ``#`` starts a comment. A question containing one term of a group is searched with
the other terms of the group as well, at a lower weight.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_SEPARATORS = re.compile(r"\s*[=＝,，、]\s*")


class GlossaryError(Exception):
    """A glossary line cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Glossary:
    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def load(cls, path: Path | None) -> Glossary:
        if path is None or not path.exists():
            return cls()
        groups = []
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            terms = tuple(dict.fromkeys(t for t in _SEPARATORS.split(line) if t))
            if len(terms) < 2:
                raise GlossaryError(
                    f"{path}:{number}: a group needs at least two terms separated by '='"
                )
            groups.append(terms)
        return cls(tuple(groups))

    def expansions(self, question: str) -> list[str]:
        """Other terms of every group one of whose terms occurs in the question."""
        normalized = _norm(question)
        found: list[str] = []
        for group in self.groups:
            if any(_norm(term) in normalized for term in group):
                found.extend(t for t in group if _norm(t) not in normalized and t not in found)
        return found


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
