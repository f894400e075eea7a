"""The base a change is counted from names neither the year nor the measure a sentence
states its figure for.

The results report states a rate by its change from an earlier point and the level reached
(…は平成30年度末の受講率から＋4.2ポイントの61.0％, …は令和元年度から20％増): the figure is
of the report's own year and of its topic, the year and the measure written before から are
the base's. Japanese marks the base with から right before the signed change (＋, －, ▲, △)
or the change with its direction (…ポイント向上, …％増). Read as the sentence's, the
ranker's year features (answer/ranker.py: year_differs) took such a sentence for another
year's statement, and its compound features for a statement of the base's measure.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A year (with its month and 末, and the measure の names: 平成30年度末の受講率) and から,
# followed by a signed change or a change with its direction.
_CHANGE_BASE = re.compile(
    r"(?:令和|平成|昭和)\s*(?:元|\d{1,2})\s*年度?(?:\s*\d{1,2}\s*月)?\s*末?"
    r"(?:の[^、。]{0,12}?)?から\s*"
    r"(?=[+\-−－▲△]\s*\d|\d[\d,.]*\s*(?:ポイント|%|割|件|人|万)\s*(?:の\s*)?"
    r"(?:増|減|向上|上昇|低下|改善|短縮))"
)


@lru_cache(maxsize=8192)
def without_change_bases(text: str) -> str:
    """``text`` (NFKC) with each base of a change (its year, its measure, から) blanked out
    (the same length: offsets into it hold)."""
    return _CHANGE_BASE.sub(lambda m: " " * len(m.group()), text)
