"""The parts of a question that asks two things at once.

"年金セミナーの質を上げるために何をする？あと、普及・啓発はどんな団体と連携する？" asks two
questions; scoring sentences against the whole lets the part with more words take every
slot of the answer. Each part is answered on its own, then the answers are joined. A part
without a topic of its own (…の実績は？あと、目標は？) shares the topic of the part before it,
as a follow-up shares the conversation's. A question asking for the plan and the results at
once (前期の実績と次期の目標) has two sides, each answered from its own document. Two
subjects that each get the asked attribute (AとBはそれぞれ何％？) are two parts, one per
subject (question/distributive.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from question.continuation import leans_on_history
from question.cue_words import blank_words, has_word
from question.distributive import distributed
from question.normal import nfkc
from question.rules import rules
from question.topic_words import topic_words

MIN_PART_CHARS = 3  # shorter pieces are a trailing particle or an interjection (ね, 本当)


@dataclass(frozen=True)
class QuestionPart:
    text: str  # as searched and scored: the part, with a shared topic where it lacks one
    side: str | None = None  # "results" or "plan" for one side of a comparison
    # For one of two subjects each asked the same (AとBはそれぞれ…): the compounds naming
    # this part's subject (question/distributive.py); () for any other part.
    subject: tuple[str, ...] = ()

    @property
    def normalized(self) -> str:
        """The part in NFKC (a single part's is the analysis' own, already computed)."""
        return nfkc(self.text)


def split_parts(question: str) -> list[str]:
    """The questions inside ``question`` as written: one item when it asks one thing."""
    parts = [p.strip(" 、,") for p in rules().between_parts.split(question)]
    parts = [p for p in parts if len(p) >= MIN_PART_CHARS]
    return parts if len(parts) > 1 else [question]


def sides(question: str, topic: str = "") -> tuple[QuestionPart, ...]:
    """The results side and the plan side of a question naming both, each without the
    other side's words; () when it names one side or none. The side words count as words
    of the question, not inside others (結果 in 結果的に: question/cue_words.py). A topic
    carried from the conversation (``topic``, written first) is read as it stands."""
    found = rules()
    carried, text = _carried(nfkc(question), topic)
    if not (found.results_side.search(text) and found.plan_side.search(text)):
        return ()  # not both as strings: no units read
    if not (has_word(found.results_side, text) and has_word(found.plan_side, text)):
        return ()
    return (
        QuestionPart(carried + blank_words(found.plan_side, text), "results"),
        QuestionPart(carried + blank_words(found.results_side, text), "plan"),
    )


def each_subject(question: str, topic: str = "") -> tuple[QuestionPart, ...]:
    """One part per subject when two each get the asked attribute (AとBはそれぞれ何％？);
    () otherwise. A carried ``topic`` is kept in front of each."""
    carried, text = _carried(nfkc(question), topic)
    each = distributed(text)
    if not each or not all(conjunct.subject for conjunct in each):
        return ()
    return tuple(QuestionPart(carried + c.question, subject=c.subject) for c in each)


def _carried(text: str, topic: str) -> tuple[str, str]:
    """``text`` (NFKC) cut into the topic a follow-up carries in front of it and the
    question's own words. Only the own words are read for cues: the carried topic is nouns
    that name a subject (question.topic_words.topic_words leaves aspect words out), and the
    question's own words are the text whose units the analysis has already read."""
    head = f"{nfkc(topic)} " if topic else ""
    if head and text.startswith(head):
        return head, text[len(head) :]
    return "", text


def question_parts(question: str, topic: str = "") -> tuple[QuestionPart, ...]:
    """The parts of ``question`` (a follow-up's searched text starts with the ``topic`` it
    carries)."""
    written = split_parts(question)
    if len(written) == 1:
        return sides(question, topic) or each_subject(question, topic) or (QuestionPart(question),)
    parts: list[QuestionPart] = []
    topic = ""
    for text in written:
        if leans_on_history(text) and topic:
            parts.append(QuestionPart(f"{topic} {text}"))
        else:
            parts.append(QuestionPart(text))
            topic = " ".join(dict.fromkeys(topic_words(text))) or topic
    return tuple(parts)
