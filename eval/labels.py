"""The labels an answer cites: its citations and the 【…】 groups written in its text.

Labels are told apart in matchable form (NFKC, tags and whitespace removed), so
``資料１－３ P6`` and ``資料1-3 P6`` are one label, as in the outside set's scorer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ingest.clean import normalize_for_match

# A 【中期P62・資料1-3 P6】 group of labels, and what separates the labels inside it.
LABEL_GROUP = re.compile(r"【([^】]*)】")
_LABEL_SEPARATOR = re.compile(r"[・、,，]")
# A plan-page label in matchable form (NFKC, no whitespace): 中期P46, 年度P47, 資料1-3P6.
_PLAN_PAGE = re.compile(r"(?:中期|年度)P[0-9]+|資料[0-9]+-[0-9]+P[0-9]+")
_PAGE_PREFIX = re.compile(r"^(.*P\s*)[0-9]+$")


def matchable(text: str) -> str:
    """The form facts, evidence and labels are compared in: NFKC, tags and whitespace gone."""
    return normalize_for_match(text)


def is_plan_page(label: str) -> bool:
    """Whether ``label`` names a plan page (中期P46, 資料1-3 P6), not a document page."""
    return _PLAN_PAGE.fullmatch(matchable(label)) is not None


def label_groups(answer: str) -> list[list[str]]:
    """The labels of each 【…】 group of ``answer``, as written.

    Parts are split at ・ 、 and commas; a bare number continues the page label before it,
    as the plans write them (【中期P40,41】 is 中期P40 and 中期P41). A group with no part is
    skipped.
    """
    groups: list[list[str]] = []
    for match in LABEL_GROUP.finditer(answer):
        labels: list[str] = []
        for part in _LABEL_SEPARATOR.split(match.group(1)):
            part = part.strip()
            plain = matchable(part)
            if not plain:
                continue
            previous = (
                _PAGE_PREFIX.match(unicodedata.normalize("NFKC", labels[-1])) if labels else None
            )
            if plain.isdigit() and previous:
                part = previous.group(1) + plain
            labels.append(part)
        if labels:
            groups.append(labels)
    return groups


def answer_labels(answer: str) -> list[str]:
    """Distinct labels written in the answer's 【…】 groups, in order."""
    return _distinct(label for group in label_groups(answer) for label in group)


def cited_labels(response: Mapping[str, Any]) -> list[str]:
    """Distinct cited labels: ``citations[].label``, then those only written in 【…】.

    Labels are told apart in matchable form (``資料１－３ P6`` is ``資料1-3 P6``); the first
    spelling is kept."""
    from_citations = (c["label"] for c in response.get("citations", []))
    return _distinct([*from_citations, *answer_labels(response.get("answer", ""))])


def _distinct(labels: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for label in labels:
        seen.setdefault(matchable(label), label)
    return list(seen.values())


__all__ = [
    "LABEL_GROUP",
    "answer_labels",
    "cited_labels",
    "is_plan_page",
    "label_groups",
    "matchable",
]
