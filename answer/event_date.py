"""いつ + an event verb (いつ届く, いつ始まる, いつ変わる, いつ設置された) asks the date of that event.

Japanese binds a date to the event it dates within one clause: the date before the event's
predicate or its nominalisation (令和２年７月に送付, 令和元年４月に設置, 令和２年10月から実施),
or, in the plans' notes, in parentheses right after it (改修を実施（令和２年11月）,
送付を開始（令和６年度）). A date in the same sentence bound to something else does not
answer: the time point of a figure (令和２年３月末で120万人), the date of another step, a
negated event (通知の届かない方が閲覧できるよう改修を実施（令和２年11月）: the date is the
実施's,
and 届かない happens at no date).

So a question asking when an event happens leads with a sentence binding a date to that
event, read in the picked sentences first, then in the top passages' sentences that name
the question's subject; when none does, the plans state no date of it, and the answer says
so (answer/signals.py: the kind of answer asked is missing; answer/decline_subject.py
names it その時期) instead of quoting an unrelated dated sentence. Only the event verbs
below are read: each with the words the plans use for it (届く is a 送付 or 発送 in an
administration's words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from answer.asked_terms import asked_compounds
from answer.extractive import Picked
from answer.kind_lead import led_by, statement
from answer.sentences import is_statement, sentences_of
from answer.start_date import asks_end, asks_start, states_start
from ingest.model import Chunk
from question.normal import nfkc

# The top passages read for a dated sentence selection did not pick: the decline signals
# read as many (answer/signals.py).
DATED_PASSAGES = 3


@dataclass(frozen=True, slots=True)
class Event:
    """An event a question can ask the date of: how a question names it, how the plans do."""

    name: str
    asked: re.Pattern[str]
    stated: str  # a regex alternation of the plans' words for it


# Grammar (the verb and its Sino-Japanese nominalisation) and the documents' own words for
# each event: a notice reaches its reader by 送付 / 発送 / 郵送; a scheme starts by 開始,
# 導入, 実施 (a date in parentheses after 実施 dates when it was put in place); a rule
# changes by 変更, 改正, 見直し, 改定, 切替; an office is set up by 設置, 新設, 創設, 開設,
# 設立 (or by 再編 of an older one).
_START = "開始|始め|始ま|導入|スタート|着手|創設|開設|稼働|実施|施行"
EVENTS: tuple[Event, ...] = (
    Event(
        "delivery",
        re.compile(r"届(?:く|き|いた|いて|けられ)|送られ|送って|送付|発送|郵送"),
        "送付|発送|郵送|送ら|送り|送る|届け|届く|届き",
    ),
    Event("start", re.compile(r"始ま|始め|開始|スタート|導入|施行"), _START),
    Event(
        "change",
        re.compile(r"変わ|変え|変更|改正|見直|改定|切り?替"),
        "変更|改正|見直|改定|変わ|変え|切り?替",
    ),
    Event(
        "establishment",
        # いつできた: できる of coming into being, not the potential (選択できるようになった).
        re.compile(r"設置|設け|新設|創設|設立|開設|いつ\s*でき(?:た|る|ま)"),
        "設置|設け|新設|創設|設立|開設|再編",
    ),
)

# いつ as a word (not the end of くらい before つ), as answer/start_date reads it.
_ASKS_WHEN = re.compile(r"(?<!くら|ぐら)いつ")
# A date: a year, fiscal year, month or day in figures, or an era's first year, with what
# narrows it (上旬, 末, 中).
_DATE = (
    r"(?:(?:令和|平成|昭和)\s*(?:\d+|元)\s*年度?|\d{4}\s*年度?)"
    r"(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:\s*(?:上旬|中旬|下旬|末|中|頃|以降))?"
    r"|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:\s*(?:上旬|中旬|下旬|末|頃))?"
    # A century or a time counted back from now (9世紀頃, 35,000年前): dates in any text.
    r"|(?:紀元前\s*)?\d+\s*世紀(?:\s*(?:初頭|前半|後半|半ば|末|頃))?|\d[\d,]*\s*年前"
)
# What may stand between a date and the event it dates within its clause: a time of day,
# the particle and a comma of a date put first (1921年、…が設置された; 令和３年４月に、),
# then the event's object with its modifiers, quotes and short notes in brackets
# (令和２年７月に「…」を送付, …王国（…）に変えられた), never a clause end.
_BETWEEN = (
    r"(?:\s*\d{1,2}:\d{2})?\s*(?:に|には|から|より)?\s*、?"
    r"(?:[^、。\s()（）]|[(（][^()（）、。]{0,12}[)）]){0,40}?"
)
# A negated or prevented event (届かない, 送付されず, 実施できなかった) happens at no date.
_NEGATED = re.compile(r"^[^、。]{0,4}?(?:ない|なかっ|ず|ぬ)")
# A time point of a figure (令和２年３月末で120万人, 令和2年度は80.1%): the date measures,
# it dates no event; nor does the baseline of a comparison (令和元年度末時点と比較し,
# 令和元年度比: answer/start_date reads the same).
# A time of day after the date (2016年3月28日 13:00に) is part of it, no figure.
_FIGURE_AT = re.compile(r"^\s*(?:で|は|に|時点で|現在で?)?\s*[\d,.]+(?![\d,.]*\s*:)")
_BASELINE_AT = re.compile(r"^\s*(?:時点)?\s*(?:比|と比べ|に比べ|と比較|から[\d,.]|より[\d,.])")
_ANY_DATE = re.compile(_DATE)
# An event noun as the point since which something holds (小選挙区制導入以降, 設立以来).
_SINCE_EVENT = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{2,}(?:以降|以来)")


def asked_event(question: str) -> Event | None:
    """The event ``question`` (NFKC) asks the date of: it asks when with いつ (not by when,
    answered by answer/start_date's end; 何年 may ask a span as well: 何年に見直した of a
    保存期間 asks 150年) and names one of ``EVENTS``; いつから asks a start whatever its
    verb (いつから使える: from when it is in place)."""
    if not _ASKS_WHEN.search(question) or asks_end(question):
        return None
    if asks_start(question):
        return EVENTS[1]
    return next((e for e in EVENTS if e.asked.search(question)), None)


@lru_cache(maxsize=1024)
def _binding(stated: str) -> re.Pattern[str]:
    """A date before the event's word in one clause, or the date in parentheses right after
    it (実施（令和２年11月）, 開始予定（令和８年１月）)."""
    return re.compile(
        rf"(?P<date>{_DATE})(?P<between>{_BETWEEN})(?P<event>{stated})"
        rf"|(?P<event2>{stated})[^、。\n（(]{{0,6}}[（(]\s*(?P<date2>{_DATE})"
    )


def dates_event(sentence: str, event: Event) -> bool:
    """Whether ``sentence`` (NFKC) binds a date to ``event``: a start also by …から/より
    (answer/start_date.states_start); a negated event or a date that is a figure's time
    point binds none."""
    if event is EVENTS[1] and states_start(sentence):
        return True
    for match in _binding(event.stated).finditer(sentence):
        end = match.end("event") if match.group("event") else match.end("event2")
        if _NEGATED.match(sentence[end:]):
            continue
        if match.group("date") and _FIGURE_AT.match(match.group("between")):
            continue
        return True
    return False


def _head(question: str, event: Event) -> str:
    """The last of the question's compounds besides the event's own words and its question
    words: the noun its subject phrase ends in, what it is about ("" when none)."""
    subject = [
        nfkc(c) for c in asked_compounds(question) if not event.asked.search(c) and "いつ" not in c
    ]
    return subject[-1] if subject else ""


def dates_something(sentence: str) -> bool:
    """Whether ``sentence`` (NFKC) names a date that is neither a figure's time point nor a
    comparison's baseline: the date of some event, whatever the verb (導入, 確立, 運用); or
    an event as the point since which (…制導入以降, …以来), which dates what follows it."""
    if _SINCE_EVENT.search(sentence):
        return True
    for match in _ANY_DATE.finditer(sentence):
        after = sentence[match.end() :]
        if not _FIGURE_AT.match(after) and not _BASELINE_AT.match(after):
            return True
    return False


def _lenient(event: Event) -> bool:
    """A start is stated by many verbs (導入, 確立, 運用, 構築): the date of any event of a
    sentence on the subject may be when it began. The other events are named by their own
    words."""
    return event is EVENTS[1]


def names_dated_event(sentence: str, event: Event) -> bool:
    """Whether ``sentence`` (NFKC) names ``event`` (not negated) and a date of some event,
    wherever in it: what the plans' or any text's longer sentences bind across a clause
    (…は1806年、…王国に変えられた) is not read as stating no date; a start is named by any
    event's date (``_lenient``)."""
    if not dates_something(sentence):
        return False
    if _lenient(event):
        return True
    return any(not _NEGATED.match(sentence[m.end() :]) for m in re.finditer(event.stated, sentence))


def dated_candidates(
    question: str, event: Event, picked: Sequence[Picked], passages: Iterable[Chunk]
) -> list[Picked]:
    """The sentences binding a date to ``event``: the picked ones in their order (selection
    read them as on the question's subject), then the statements of ``passages`` naming
    the head of the question's subject (its last compound besides the event's words: 通知書
    of 電子版の年金通知書; any, when it names none): a passage holds several measures,
    and a date bound to another's event is not the one asked."""
    head = _head(question, event)
    found = [p for p in picked if dates_event(nfkc(p.quote), event)]
    seen = {p.shown for p in picked}
    for chunk in passages:
        for sentence in sentences_of(chunk):
            text = nfkc(sentence)
            if not is_statement(sentence) or head not in text or not dates_event(text, event):
                continue
            said = statement(sentence, chunk)
            if said.shown not in seen:
                seen.add(said.shown)
                found.append(said)
    return found


def event_dated_lead(
    question: str, picked: list[Picked], passages: Sequence[Chunk]
) -> list[Picked]:
    """``picked`` led by the sentence binding a date to the event ``question`` asks the
    date of, the ranker's first-statement score kept on the lead; ``picked`` as it is when
    the question asks no event's date, the lead dates it (for a start: dates any event),
    or no sentence dates it (the decline reads that)."""
    event = asked_event(question)
    if event is None or not picked:
        return picked
    lead = nfkc(picked[0].quote)
    if dates_event(lead, event) or names_dated_event(lead, event):
        return picked
    found = dated_candidates(question, event, picked, passages)
    if not found:
        return picked
    return led_by(found[0], picked)


def event_undated(question: str, picked: Sequence[Picked], passages: Iterable[Chunk]) -> bool:
    """Whether ``question`` asks the date of an event and no picked sentence nor top
    passage's statement on its subject names that event with a date (``names_dated_event``):
    the plans state none. Read more loosely than the lead, which prefers a date bound in
    the event's clause: a decline needs no sentence to come near."""
    event = asked_event(question)
    if event is None or not picked:
        return False
    if any(names_dated_event(nfkc(p.quote), event) for p in picked):
        return False
    head = _head(question, event)
    for chunk in passages:
        for sentence in sentences_of(chunk):
            text = nfkc(sentence)
            if head in text and is_statement(sentence) and names_dated_event(text, event):
                return False
    return True
