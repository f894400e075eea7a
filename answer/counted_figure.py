"""The asked figure read by its noun: what answers a count asked with いくつ or 何個.

Japanese counts a thing by its own name as well as by a counter: asked いくつの州 or 州は
何個, the plans (and any text) may answer 12の州, 12州 or 12個, a number with no unit the
figure patterns know (answer/figures.py reads a figure by its unit). The admission's rule
for a lead stating the asked figure (answer/admission.py, ``figure_stated``) reads a
statement stating such a count as adding the asked figure. And a question asking where, who
or what (どこ, 誰, 何 not before a counter) asks for a place, a person or a thing, not a
figure, even when it names one (どこの割合が高い): the rule does not read it as a figure
question. Grammar only: no fitted number.
"""

from __future__ import annotations

import re

from question.counters import NATIVE, counted_in, natively_counted, quantity_counter
from question.normal import nfkc

# いくつ / 幾つ, or 何 before the generic counters 個 and つ: a count of a thing.
_GENERIC = frozenset({"個", "つ"})
_NOUN = r"[\u4e00-\u9fff\u30a1-\u30faー々A-Za-z]+"
# The noun counted: the topic or subject before 何個 (州は何個), or the noun after 何個の.
_GENERIC_SUBJECT = re.compile(rf"({_NOUN})(?:は|が|って|も)[^、。?？は]{{0,12}}?何(?:個|つ)")
_GENERIC_NOUN = re.compile(rf"何(?:個|つ)の({_NOUN})")
# A question word asking a place, a person or a thing (何 is read apart: before a counter
# it asks a count).
_OTHER_WORD = re.compile(r"どこ|何処|誰|だれ|どなた|何|なに")


def counted_noun(question: str) -> str | None:
    """The noun ``question`` asks how many of with いくつ or 何個 / 何つ, None for none."""
    text = nfkc(question)
    if counted_in(text) in _GENERIC:
        found = _GENERIC_NOUN.search(text) or _GENERIC_SUBJECT.search(text)
        return found.group(1) if found else None
    if NATIVE in text or "幾つ" in text:
        return natively_counted(text)
    return None


def counted_figure(question: str) -> re.Pattern[str] | None:
    """A count of what ``question`` asks how many of, written by its noun or a generic
    counter (12の州, 12州, 3つ, 5個); None when it asks no such count."""
    text = nfkc(question)
    generic = counted_in(text) in _GENERIC or NATIVE in text or "幾つ" in text
    if not generic:
        return None
    noun = counted_noun(text)
    units = "つ|個" + (f"|の?\\s*{re.escape(noun)}" if noun else "")
    return re.compile(rf"\d[\d,.]*\s*(?:{units})")


def asks_other_than_figure(question: str) -> bool:
    """Whether ``question`` asks where, who or what (どこ, 誰, 何 not before a counter)."""
    text = nfkc(question)
    words = _OTHER_WORD.findall(text)
    if not words:
        return False
    counted = quantity_counter(text) is not None
    # One 何 before a counter (何人, 何年) is the count asked; any other word asks a thing.
    others = [w for w in words if w not in ("何", "なに")]
    return bool(others) or (words.count("何") + words.count("なに") > (1 if counted else 0))
