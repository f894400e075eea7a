"""What a question asks that the plans never state, whatever topic they cover.

The plans state one organisation's measures, targets and figures. Three kinds of question
about a topic they cover still ask what they never give: a ranking (いちばん高い都道府県:
the sentence quoted gives one figure, no order), the amount or age of a benefit a person
receives or pays (set by pension law), and a comparison with another party (他の省庁と比べ
て). Each is read from the question's grammar; the cues are data
(``data/question/scope.toml``) with their reasons. The decline model weighs them
(answer/decline.py), each as one weight among the others.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from question.normal import nfkc

SCOPE_PATH = Path(__file__).resolve().parent.parent / "data" / "question" / "scope.toml"


@dataclass(frozen=True)
class ScopeCues:
    asks_ranking: re.Pattern[str]
    states_ranking: re.Pattern[str]
    benefit_quantity: re.Pattern[str]
    benefit_receiving: re.Pattern[str]
    others_compared: re.Pattern[str]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def scope_cues(path: Path = SCOPE_PATH) -> ScopeCues:
    """The cues of ``path``, read once per process."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return ScopeCues(
        asks_ranking=_any(raw["ranking"]["asks"]),
        states_ranking=_any(raw["ranking"]["stated"] + raw["ranking"]["listed_figures"]),
        benefit_quantity=_any(raw["benefit_amount"]["quantity"]),
        benefit_receiving=re.compile(
            f"(?:{_any(raw['benefit_amount']['receiving']).pattern})"
            f"(?![ぁ-ん]{{0,3}}(?:{_any(raw['benefit_amount']['counted_after']).pattern}))"
        ),
        others_compared=_any(raw["others_compared"]["asks"]),
    )


def ranking_unstated(question: str, quotes: Iterable[str]) -> bool:
    """Whether the question asks a superlative or a rank and no quoted sentence states one."""
    cues = scope_cues()
    if not cues.asks_ranking.search(nfkc(question)):
        return False
    return not any(cues.states_ranking.search(nfkc(quote)) for quote in quotes)


def asks_benefit_amount(question: str) -> bool:
    """Whether the question asks a quantity of what a person receives or pays (the verb as
    the predicate, not in a relative clause before a noun that counts: 納める割合)."""
    cues = scope_cues()
    text = nfkc(question)
    return bool(cues.benefit_quantity.search(text) and cues.benefit_receiving.search(text))


def compares_with_others(question: str) -> bool:
    """Whether the question compares with another party (他の省庁と比べて, 民間より)."""
    return bool(scope_cues().others_compared.search(nfkc(question)))
