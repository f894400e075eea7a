"""Whether a chat question goes on from the conversation or stands alone.

A follow-up takes its topic from the conversation when it opens with a demonstrative or a
connective that takes the topic as given (それの目標は？ / じゃあ…は？), when it has no topic
word of its own (every content word changes only the aspect: 前の年は？ / 目標は？), when it
names only what the last exchange said, points at an earlier exchange by its order, ends on
its topic with no predicate, or names one term of a comparison. A short question that names
its own topic (電子申請とは？) stands alone, as does one that announces a new topic.
The cue patterns are data (``data/question/rules.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from question.conversation import answered_turns, last_exchange
from question.demonstrative import demonstrative
from question.morphemes import morphemes
from question.normal import nfkc
from question.page_refs import page_references
from question.rules import rules
from question.topic_words import subject_of, topic_words


def leans_on_history(question: str) -> bool:
    """True when ``question`` takes its topic from the conversation: it opens with a
    demonstrative or a connective, holds a demonstrative standing for a thing anywhere
    (なぜそれに力を入れるの？ / 令和5年度のその数は？: question/demonstrative.py), or names
    no topic of its own."""
    text = nfkc(question).strip()
    found = rules()
    if found.pointing.match(text) or found.follow_on.match(text) or demonstrative(text):
        return True
    return not subject_of(text)


def repeats_last_exchange(question: str, history: Sequence[object]) -> bool:
    """True when every topic word of ``question`` was already said in the last exchange
    (the last user turn or the answer to it): a speaker who goes on about what was just
    said repeats its noun as the topic of the next question (訪問しました → 訪問はいつから？,
    外国人の対策 → 外国人向けの対策はなぜ？) rather than a new subject. A word counts as said
    when each noun it is built of was (外国人向け → 外国, 被保険者数 → 保険), a page when it
    was named in any of its written forms (中期計画の46ページ, 【中期P46】)."""
    text = nfkc(question)
    if page_references(text) and not rules().asks_else.search(text):
        # A page named is a subject of its own (年度P47を見せて), even one the last answer
        # cited: it asks for that page, not about what was just said (unless 他に).
        return False
    words = subject_of(text)
    said = nfkc(" ".join(last_exchange(history)))
    if not words or not said.strip():
        return False
    pages = {ref.label for ref in page_references(said)}
    return all(
        word in pages or all(noun in said for noun in _nouns_of(word) or [word]) for word in words
    )


def _nouns_of(word: str) -> list[str]:
    """The nouns ``word`` is built of, without a last one-character noun that names what is
    measured of the ones before it (被保険者数, 納付率, 削減額): the measure is what the
    question asks, not its subject."""
    nouns = [t.surface for t in morphemes(word, "A") if t.pos[0] == "名詞"]
    return nouns[:-1] if len(nouns) > 1 and len(nouns[-1]) == 1 else nouns


_OPENING = re.compile(r"^[、,\s]*")


def changes_topic(question: str) -> bool:
    """Whether ``question`` opens with a marker of a new topic (話は変わりますが, ところで),
    after a connective too (じゃあ、話が変わるけど…): it announces that it does not lean on
    the turns before it, so it stands alone."""
    text = nfkc(question).strip()
    found = rules()
    opening = found.follow_on.match(text)
    if opening:
        text = text[opening.end() :]
    return bool(found.topic_change.match(text[_OPENING.match(text).end() :]))


def continues(question: str, history: Sequence[object]) -> bool:
    """True when ``question`` goes on from the conversation: it leans on it
    (``leans_on_history``) or names only what its last exchange said, unless it opens by
    changing the topic (``changes_topic``)."""
    return (
        bool(history)
        and not changes_topic(question)
        and (
            leans_on_history(question)
            or repeats_last_exchange(question, history)
            or pointed_exchange(question, history) is not None
            or leaves_out_predicate(question)
            or compares_with_said(question)
        )
    )


def compares_with_said(question: str) -> bool:
    """Whether ``question`` names one term of a comparison only (第3期全体と比べると？): the
    other is what was just said (rules.toml compares_with_said); AとBを比べると names both,
    and its を比べ is no such cue."""
    return bool(rules().compares_with_said.search(nfkc(question)))


def leaves_out_predicate(question: str) -> bool:
    """Whether ``question`` ends on its topic with no predicate (役割分担については？ /
    女性は？): it asks what the question before it asked, of that topic (rules.toml
    predicate_left_out). A topic ending on what is measured (利用者数は？, 納付率は？) or a
    phrase with a bare は (年金事務所の体制は？) asks its own question."""
    text = nfkc(question).strip()
    marked = rules().predicate_left_out.search(text)
    words = topic_words(text)
    if not marked or not words:
        return False
    last = words[-1]
    if len(_nouns_of(last)) < len([t for t in morphemes(last, "A") if t.pos[0] == "名詞"]):
        return False  # 利用者数, 納付率: the measure asked is named
    if marked.group(0).startswith("は"):
        return len(words) == 1 and text[: marked.start()] == last
    return True


_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def pointed_exchange(question: str, history: Sequence[object]) -> int | None:
    """The place in ``answered_turns(history)`` of the user turn ``question`` points at by
    its order (最初の県のほうは？ / 2つ目の件は？: rules.toml nth_exchange), None when it
    points at none, or the conversation holds fewer than two exchanges to choose from."""
    said = rules().nth_exchange.search(nfkc(question))
    if not said:
        return None
    turns = answered_turns(history)
    asked = [
        place
        for place, turn in enumerate(turns)
        if getattr(turn, "role", None) == "user" and str(getattr(turn, "content", "")).strip()
    ]
    written = said.group("n")
    order = 1 if not written else _ORDINALS.get(written) or int(written)
    return asked[order - 1] if len(asked) >= 2 and order <= len(asked) else None
