"""Name the topic a first statement leaves unsaid, when it is what the question asks.

Japanese states a passage's topic once, in its heading, and leaves it out of the sentences
under it (an article about a team: 「…に到達するなどチームは最下位に低迷した。」; a plan
measure: 「…を実施する。」 under its heading). A question written from such a sentence
restates it and asks for the one thing it leaves unsaid (「…に到達したチームは？」): the
sentence that answers is found, but the answer is its passage's heading, which no sentence
holds. So when the first statement is mostly the question's own words (the share of its
character 4-grams the question holds, answer/restatement.py, at least ``share``), the
question asks something it does not say, and the passage's heading is a short name the
question and the statement both leave out, the statement is shown after that heading
(「埼玉西武ライオンズ：…」). Quotes and citations stay as they are: the heading is the
passage's own and cited with it.

``share`` is fitted (bench/topic_heading_cv.py, PLANQA_ANSWER__TOPIC_SHARE): above 1 it
never applies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from answer.extractive import Picked
from answer.restatement import asks_open, restated_share
from index import phrase

# A heading that is a name, not a sentence or a list of them: short, with no clause break.
MAX_TOPIC_CHARS = 30
_CLAUSE_BREAK = re.compile(r"[、。,，．\n]")
# An interrogative: the question asks for something it does not say (answer/ranker.py).
_INTERROGATIVE = re.compile(
    r"何|なに|なん|いつ|どこ|どなた|誰|だれ|どれ|どちら|どう|いくら|いくつ|幾|どの|どんな|如何"
)


def topic_of(picked: Picked) -> str:
    """The passage's heading when it is a short name ("" otherwise)."""
    title = (picked.chunk.title or "").strip()
    if not title or len(title) > MAX_TOPIC_CHARS or _CLAUSE_BREAK.search(title):
        return ""
    return title


def name_topic(question: str, picked: Sequence[Picked], share: float) -> list[Picked]:
    """``picked`` with the first statement shown after its passage's heading when the
    question (NFKC: the analysis' form) restates that statement and asks what the heading
    names (see the module)."""
    if not picked or share > 1.0:
        return list(picked)
    found = eligible_topic(question, picked[0])
    if found is None or found[1] < share:
        return list(picked)
    lead = picked[0]
    return [replace(lead, shown=f"{found[0]}：{lead.shown}"), *picked[1:]]


def eligible_topic(question: str, lead: Picked) -> tuple[str, float] | None:
    """The lead's heading and the share of the lead the question (NFKC) restates, when the
    heading is a short name neither says and the question asks something (None otherwise)."""
    topic = topic_of(lead)
    if not topic:
        return None
    plain_topic = _compact(unicodedata.normalize("NFKC", topic))
    shown = _compact(unicodedata.normalize("NFKC", lead.shown))
    if plain_topic in _compact(question) or plain_topic in shown:
        return None
    if not asks_open(question, interrogative=bool(_INTERROGATIVE.search(question))):
        return None
    return topic, restated_share(phrase.normalized_grams(question), lead.shown)


def _compact(text: str) -> str:
    return "".join(text.split())
