"""How many of a thing there are (年金事務所は何か所, 相談窓口の数はいくつ) is answered
by a figure counting all of it, not a part.

Japanese asks the count of the noun it marks as topic or subject (年金事務所は何か所,
相談窓口の数はいくつ, 相談ブースが何ブース), and a figure counts that noun when it is
written in its own name (312年金事務所: the noun is the counter), in parentheses after it
(相談窓口（15か所）) or before it through の (15か所の相談窓口). Such a figure counts
all of them only when the sentence says so: a word of totality before it in its phrase
(全拠点（312年金事務所、15事務センター…）, 全国の年金相談ブース（1,688ブース）, 合計, 総数).
A figure of a part (利用の多い相談窓口（15か所）, …のうち15か所, 全拠点配置（12拠点は…）:
some of all the 拠点) answers only a question naming the part, which then names the words
that qualify it.

So a question asking how many of a noun there are, naming nothing that narrows it, leads
with a sentence stating the whole count: from the picked sentences, the top passages, or
any passage of the index (a list of every office is often in a passage on another
measure: the search does not find it by the question's words). When none states one, the
answer is left as selection made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from answer.extractive import Picked
from answer.kind_lead import led_by, statement
from answer.sentences import is_statement, sentences_of
from index.snapshot import Snapshot
from ingest.model import Chunk
from question.counters import NATIVE, counted_in, counter_units
from question.normal import nfkc

_NOUN = r"[\u4e00-\u9fff\u30a1-\u30faー々A-Za-z]{2,}"
# The noun whose count is asked: the topic or subject right before the question word
# (年金事務所は何か所, 相談窓口の数はいくつ, 拠点がいくつ); a noun that is itself a
# value (目標はいくつ: a level) or a measure of something (納付率) counts nothing.
_ASKED = re.compile(
    rf"({_NOUN})(?:の(?:総|合計の?)?数)?(?:は|が|って|も)(?:全部で|全国[でに]|全体で|合計で|現在|今|[\s、])*"
    r"(?:いくつ|幾つ|何\s*[^\s、。?？]{1,3}?(?:ある|あり|[?？]|です|$))"
)
_VALUE_NOUNS = re.compile(r"(?:目標|率|割合|額|値|数値|水準|件数|人数|数)$")
_NUMBER = r"\d[\d,]*\s*(?:[万千百]\s*)?"
# A word saying the figure after it counts all of them.
_WHOLE = re.compile(r"全|合計|総数|総計|計")
# A word saying the figure after it counts a part (…のうち15か所, 内訳).
_PART = re.compile(r"うち|内訳|一部")
BEFORE = 16  # characters read before a figure for a word of totality, within its sentence


def counted_asked(question: str) -> str | None:
    """The noun ``question`` (NFKC) asks how many of there are, None when it asks no count
    of a noun it marks (a value asked, a figure of a measure), or of a noun it qualifies
    (利用の多い相談窓口は何か所, 本部の職員は何人: a part, which the figure of a part
    answers)."""
    found = _ASKED.search(question)
    if found is None or question[: found.start(1)].strip(" 、,"):
        return None  # a noun qualified (利用の多い相談窓口): the part is asked
    noun = found.group(1)
    return None if _VALUE_NOUNS.search(noun) else noun


def _units(question: str) -> str:
    """The counters a figure answering ``question`` may be written in (か所 → か所|ヶ所…;
    いくつ → the native and generic counters)."""
    counter = counted_in(question)
    return counter_units(counter if counter is not None else NATIVE)


@lru_cache(maxsize=1024)
def _counting(noun: str, units: str) -> re.Pattern[str]:
    """A figure counting ``noun``: in its own name, in parentheses after it, before it
    through の, or after it as its topic (年金事務所数は312か所)."""
    name = re.escape(noun)
    return re.compile(
        rf"(?P<own>{_NUMBER}){name}"
        rf"|{name}[(（]\s*(?P<paren>{_NUMBER})(?:{units})"
        rf"|(?P<of>{_NUMBER})(?:{units})の{name}"
        rf"|{name}数?(?:は|が)[^、。]{{0,6}}?(?P<topic>{_NUMBER})(?:{units})"
    )


def states_whole_count(sentence: str, noun: str, units: str) -> bool:
    """Whether ``sentence`` (NFKC) states a figure counting all of ``noun``: a word of
    totality before it in its sentence, none of a part, and not the total of the noun
    itself the figure is a part of (全拠点配置（12拠点は…）)."""
    for match in _counting(noun, units).finditer(sentence):
        start = next(match.start(g) for g in ("own", "paren", "of", "topic") if match.group(g))
        before = re.split(r"[。\n]", sentence[max(0, match.start() - BEFORE) : start])[-1]
        if not _WHOLE.search(before) or _PART.search(before):
            continue
        if re.search(rf"全{re.escape(noun)}", before) and match.group("own"):
            continue  # a part in parentheses after the whole: 全拠点配置（12拠点は…）
        return True
    return False


def _whole(noun: str, units: str, chunks: Iterable[Chunk]) -> Picked | None:
    """The first statement of ``chunks`` stating the whole count of ``noun``."""
    for chunk in chunks:
        if noun not in nfkc(chunk.text):
            continue
        for sentence in sentences_of(chunk):
            if is_statement(sentence) and states_whole_count(nfkc(sentence), noun, units):
                return statement(sentence, chunk)
    return None


def whole_count_lead(
    question: str,
    picked: list[Picked],
    passages: Sequence[Chunk],
    snapshot: Snapshot,
) -> list[Picked]:
    """``picked`` led by a sentence stating how many of the asked noun there are in all,
    from ``picked``, ``passages`` or any passage of the index in that order (the ranker's
    first-statement score kept on the lead); as it is when no count is asked, the lead
    states one, or no sentence does."""
    noun = counted_asked(question)
    if noun is None or not picked:
        return picked
    units = _units(question)
    if states_whole_count(nfkc(picked[0].quote), noun, units):
        return picked
    found = _whole(noun, units, [p.chunk for p in picked[1:]])
    found = found or _whole(noun, units, passages) or _whole(noun, units, _naming(noun, snapshot))
    if found is None:
        return picked
    # A figure of a part (利用の多い相談窓口（15か所）) does not answer after it either.
    led = led_by(found, picked)
    return [led[0], *(p for p in led[1:] if not _counts_part(nfkc(p.quote), noun, units))]


def _naming(noun: str, snapshot: Snapshot) -> list[Chunk]:
    """The index's passages that write ``noun``, read from the generation's NFKC passage
    texts (one per chunk, in order) instead of normalising every chunk per question."""
    return [
        chunk
        for chunk, text in zip(snapshot.chunks, snapshot.plain_text.passages, strict=True)
        if noun in text
    ]


def _counts_part(sentence: str, noun: str, units: str) -> bool:
    """Whether ``sentence`` (NFKC) counts ``noun`` only in part: it states a figure of it,
    none of all of it."""
    found = _counting(noun, units).search(sentence) is not None
    return found and not states_whole_count(sentence, noun, units)
