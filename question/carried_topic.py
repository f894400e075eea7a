"""The topic a follow-up carries from the conversation.

The topic carried is what the last user turn that named one was about, so a chain of
follow-ups keeps the first subject: the plan pages it named, as their labels (中期計画の46ページ
→ 中期P46), then its topic words; a thing that turn described by a clause is renamed by
the plans' own name the answer to it gave (電話がつながる割合 → 応答率).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from question.continuation import continues, leans_on_history, pointed_exchange
from question.conversation import ANSWER_LABELS, answer_after, answered_turns
from question.normal import nfkc
from question.topic_phrases import names_a_quantity, topic_phrases
from question.topic_words import ERA_OR_NUMBER, subject_of, topic_words


def carried_topic(question: str, history: Sequence[object]) -> str:
    """The topic ``question`` takes from ``history`` ('' when it stands alone): the subject
    of the last user turn that named one (its page labels and topic words, a noun named by
    a clause as the whole phrase: ``topic_phrases``); for a thing described by a clause,
    the subject of the figure the answer to that turn gave (``answered_subject``) in
    place of the clause: the plans' own name for what a caller described
    (電話がつながる割合 → 応答率)."""
    if not continues(question, history):
        return ""
    turns = answered_turns(history)
    pointed = pointed_exchange(question, history)
    latest_first = list(range(len(turns) - 1, -1, -1))
    # A turn pointed at by its order (最初の…) gives the topic; else the latest naming one.
    for place in [pointed, *latest_first] if pointed is not None else latest_first:
        turn = turns[place]
        content = str(getattr(turn, "content", ""))
        if getattr(turn, "role", None) != "user" or not _JAPANESE.search(content):
            continue  # a turn in another language names its topic in words no plan holds
        subject = subject_of(content, stems=True)
        if not subject:
            continue
        phrases = topic_phrases(content)
        asked = _with_phrases(content, subject, phrases)
        # Only a quantity described by a clause is renamed: a noun the caller chose (ミス) is
        # searched as said, and the answer's figure may be of an attribute (発生件数); so
        # may that of a measure described by one (…を減らす取組 → 管理職's hours).
        renamed = any(names_a_quantity(phrase) for phrase in phrases)
        named = answered_subject(answer_after(turns, place), content) if renamed else ""
        if named:
            # The answer's name stands for the caller's description of the thing: the
            # clause's own words (電話, つながる) are in no sentence that answers.
            words = [w for w in subject if not any(w in phrase for phrase in phrases)]
            words = [*words, named] if not any(named in w for w in words) else words
        else:
            words = asked
        if leans_on_history(content):
            # That turn was itself a follow-up (それの利用者数は？): its topic was carried
            # from the turns before it, and the conversation is still about that.
            earlier = carried_topic(content, turns[:place]).split()
            words = [*earlier, *(w for w in words if not any(w in e for e in earlier))]
        return " ".join(dict.fromkeys(words))
    return ""


# The plans are written in Japanese (kana, kanji): a question with none of it (an English
# one) is declined, whether or not the client sends that decline back.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _with_phrases(text: str, words: list[str], phrases: list[str]) -> list[str]:
    """``words`` (a turn's subject) with the topic words a clause phrase of ``text`` holds
    replaced by the phrase, in the order the text says them."""
    if not phrases:
        return words
    normalized = nfkc(text)
    kept = [w for w in words if not any(w in phrase for phrase in phrases)]
    # In the order the text says them; a word written otherwise there (NFKC) goes last.
    return sorted([*kept, *phrases], key=lambda w: (w not in normalized, normalized.find(w)))


# The subject a figure is stated of: the noun compound right before は / が / も (or right
# before the figure), the figure within the same clause; a date's digits are no figure. A
# noun as written: kanji, katakana, Latin letters, okurigana inside it (待ち時間).
_NOUN = r"(?:[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]|(?<=[\u4e00-\u9fff])[いきしちみりれ](?=[\u4e00-\u9fff]))"
_SUBJECT_OF_FIGURE = re.compile(
    rf"({_NOUN}{{2,}})(?:[はがも]、?[^。、【]{{0,12}}?)?(?<![\d.,])\d[\d,.]*(?![\d年月])"
)


def answered_subject(answer: str, asked: str = "") -> str:
    """What the first statement of ``answer`` gives a figure of (窓口の予約率は90%以上 →
    予約率), '' when it states none: a follow-up asks the next thing about the
    thing the answer named, in the plans' own words. Of several, the one whose characters
    stand latest in the question ``asked`` (summed by place): Japanese puts the head of a
    noun phrase last, so 予約しないで…待つ時間 asks 待ち時間, not the 来所相談予約率 before it."""
    first = next((line for line in nfkc(answer).split("\n") if line.strip()), "")
    first = ANSWER_LABELS.sub(" ", first.split("。")[0])
    subjects = [
        found.group(1)
        for found in _SUBJECT_OF_FIGURE.finditer(first)
        if not ERA_OR_NUMBER.match(found.group(1)) and topic_words(found.group(1))
    ]
    if not subjects:
        return ""
    text = nfkc(asked)
    return max(subjects, key=lambda subject: sum(text.rfind(c) + 1 for c in set(subject)))
