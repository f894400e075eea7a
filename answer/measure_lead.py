"""A question asking what is done (何をしている, どんな取組, どうやって) is answered by a
measure, not by a target.

The plans state for a topic a target (…件以内に抑えることを目指す, …を目標とする) and the measures
taken or planned toward it (…を実施, …を推進する, …に取り組む, …を図る). A question
asking what is done to some end (…を減らすために何をしている？) or what measures there are
(どんな取組？) asks for the second; a target shares the question's subject and purpose
words, so selection may put it first. Japanese puts the predicate last: a sentence whose
predicate is 目指す or 目標とする states a target, one whose predicate is a verb of doing
(実施, 推進, 取り組む, 図る, 行う, 進める, 講じる) states a measure, as does one stating what
was done before the result it brought (…を実施した結果: answer/followup_kinds.states_means).
The cues and predicates are data (data/question/rules.toml: asks_measure,
states_target, states_measure).

So when such a question's first statement states a target, a statement of a measure on the
same subject (holding each of the question's compounds the target holds) leads: from the
picked sentences, then the top passages in their order. When none does, the answer is
left as selection made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from answer.extractive import Picked
from answer.followup_kinds import states_means
from answer.kind_lead import led_by, statement
from answer.sentences import display, is_statement, sentences_of
from ingest.model import Chunk
from question.normal import nfkc
from question.rules import rules

_COMPOUND = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]{2,}")
# What closes a sentence after its predicate: the full stop, a closing bracket's aside
# ((407項目中195項目を実施)), spaces.
_CLOSING = re.compile(r"(?:[。．.\s]|[(（][^()（）]*[)）])+$")


def asks_measure(question: str) -> bool:
    """Whether ``question`` (NFKC) asks what is done or what measures there are."""
    return bool(rules().asks_measure.search(question))


def states_target(sentence: str) -> bool:
    """Whether ``sentence`` (NFKC) ends on a target's predicate (…を目指す, …を目標とする)."""
    return bool(rules().states_target.search(_predicate_end(sentence)))


def states_measure(sentence: str) -> bool:
    """Whether ``sentence`` (NFKC) ends on a verb of doing (…を実施, …に取り組む) or states
    what was done before a result (…を実施した結果、…削減した), and on no target."""
    end = _predicate_end(sentence)
    if rules().states_target.search(end):
        return False
    return bool(rules().states_measure.search(end)) or states_means(sentence)


def _predicate_end(sentence: str) -> str:
    return _CLOSING.sub("", sentence)


def measure_lead(question: str, picked: list[Picked], passages: Sequence[Chunk]) -> list[Picked]:
    """``picked`` led by a statement of a measure on the question's subject when the question
    asks what is done and the first statement states a target; as it is otherwise."""
    if not picked or not asks_measure(question):
        return picked
    if not states_target(nfkc(picked[0].shown)):
        return picked
    subject = _subject(question, nfkc(picked[0].shown))
    if not subject:  # a target on no subject the question names: nothing to match a measure to
        return picked
    for p in picked[1:]:
        if _answers(nfkc(p.shown), subject):
            return led_by(p, picked)
    found = _first_measure(passages, subject)
    return picked if found is None else led_by(found, picked)


def _subject(question: str, target: str) -> tuple[str, ...]:
    """The question's compounds the target holds, the asking words' own left out (どんな
    取組 asks for a measure, it names no subject)."""
    asking = rules().asks_measure.sub(" ", question)
    return tuple(c for c in _COMPOUND.findall(asking) if c in target)


def _answers(sentence: str, subject: Iterable[str]) -> bool:
    return states_measure(sentence) and all(c in sentence for c in subject)


def _first_measure(passages: Sequence[Chunk], subject: tuple[str, ...]) -> Picked | None:
    for chunk in passages:
        for sentence in sentences_of(chunk):
            if is_statement(sentence) and _answers(nfkc(display(sentence)), subject):
                return statement(sentence, chunk)
    return None
