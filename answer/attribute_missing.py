"""Where the asked attribute goes missing: the best sentence, the top passages, the plans.

An attribute the question's grammar asks (回収率 of アンケートの回収率は？) that the best
sentence lacks but a top passage writes is a selection miss; one no top passage writes is
missing from the answer; one the plans never write, in any equivalent wording, is a thing
they do not state at all, and the rarer the plans write it the more its absence weighs
(the decline model reads each, answer/signals.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from answer.asked_terms import compounds_missing, times_written, unwritten_share
from ingest.model import Chunk


def attribute_missing(
    attribute: str | None,
    best: str,
    passages: Sequence[Chunk],
    plain_text: str,
    equivalents: Callable[[str], list[str]],
) -> str:
    """Where the asked attribute goes missing, as written and in every equivalent: ""
    (no attribute read, or the best sentence gives it), "best" (the best sentence does not,
    a top passage does), "passages" (no top passage does, the plans do somewhere), "plans"
    (the plans never write it)."""
    texts = [f"{c.headings} {c.text}" for c in passages]
    return attribute_missing_in(attribute, best, texts, plain_text, equivalents)


def attribute_missing_in(
    attribute: str | None,
    best: str,
    texts: Sequence[str],
    plain_text: str,
    equivalents: Callable[[str], list[str]],
) -> str:
    """``attribute_missing`` over the top passages' texts (headings and text) as given."""
    if not attribute or not compounds_missing([attribute], best, equivalents):
        return ""
    if any(not compounds_missing([attribute], text, equivalents) for text in texts):
        return "best"
    return "plans" if unwritten_share([attribute], plain_text, equivalents) else "passages"


def rarity(attribute: str, plain_text: str, equivalents: Callable[[str], list[str]]) -> float:
    """1 / (1 + ln(1 + n)), n the times the plans write ``attribute`` or its most written
    equivalent (``plain_text``: Snapshot.plain_text): 1 for one they never write."""
    forms = [attribute, *(o for o in equivalents(attribute) if o)]
    times = max(times_written(form, plain_text) for form in forms)
    return 1.0 / (1.0 + math.log1p(times))
